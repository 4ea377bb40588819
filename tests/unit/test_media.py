"""The content-addressed media store: type sniffing, limits, dedupe, safe paths."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from core.storage.media import MediaRejected, MediaStore, sniff_image

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
GIF87 = b"GIF87a" + b"\x01\x00\x01\x00" + b"\x00" * 16
GIF89 = b"GIF89a" + b"\x01\x00\x01\x00" + b"\x00" * 16
WEBP = b"RIFF" + (30).to_bytes(4, "little") + b"WEBPVP8 " + b"\x00" * 22


@pytest.fixture
def store(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "media", max_bytes=1024)


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (GIF87, "image/gif"),
        (GIF89, "image/gif"),
        (WEBP, "image/webp"),
    ],
)
def test_accepts_images_by_magic_bytes(store: MediaStore, data: bytes, mime: str) -> None:
    assert sniff_image(data) == mime
    assert store.check(data) == mime
    sha, saved_mime = store.save(data)
    assert saved_mime == mime
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.path(sha) == store.root / sha[:2] / sha
    assert store.read(sha) == data


@pytest.mark.parametrize(
    "data",
    [
        b"hello, this is text",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"%PDF-1.7\n",
        b"GIF88a" + b"\x00" * 10,
        b"RIFF\x00\x00\x00\x00WAVEfmt ",  # a WAV file, RIFF but not WEBP
        b"XXXX\x00\x00\x00\x00WEBPVP8 ",  # WEBP tag without RIFF
        b"\xff\xd8",  # truncated JPEG magic
        b"\x00",
    ],
)
def test_rejects_non_images(store: MediaStore, data: bytes) -> None:
    assert sniff_image(data) is None
    with pytest.raises(MediaRejected) as rejected:
        store.save(data)
    assert rejected.value.reason == "not_image"
    assert files(store.root) == []


def test_rejects_empty(store: MediaStore) -> None:
    with pytest.raises(MediaRejected) as rejected:
        store.save(b"")
    assert rejected.value.reason == "empty"
    assert str(rejected.value) == "empty"


def test_rejects_oversized(store: MediaStore) -> None:
    big = JPEG + b"\x00" * (store.max_bytes - len(JPEG) + 1)
    with pytest.raises(MediaRejected) as rejected:
        store.save(big)
    assert rejected.value.reason == "too_large"
    assert files(store.root) == []


def test_size_limit_is_inclusive(store: MediaStore) -> None:
    exact = JPEG + b"\x00" * (store.max_bytes - len(JPEG))
    assert len(exact) == store.max_bytes
    assert store.save(exact)[1] == "image/jpeg"


def test_size_is_checked_before_type(store: MediaStore) -> None:
    with pytest.raises(MediaRejected, match="too_large"):
        store.check(b"x" * (store.max_bytes + 1))


def test_rejection_is_a_value_error() -> None:
    assert issubclass(MediaRejected, ValueError)


def test_same_bytes_stored_once(store: MediaStore) -> None:
    first = store.save(PNG)
    second = store.save(PNG)
    assert first == second
    assert files(store.root) == [store.path(first[0])]


def test_different_bytes_stored_apart(store: MediaStore) -> None:
    a, _ = store.save(PNG)
    b, _ = store.save(PNG + b"\x01")
    assert a != b
    assert len(files(store.root)) == 2


def test_existing_file_is_not_rewritten(store: MediaStore) -> None:
    sha, _ = store.save(JPEG)
    path = store.path(sha)
    before = path.stat().st_mtime_ns
    store.save(JPEG)
    assert path.stat().st_mtime_ns == before
    assert [p.name for p in path.parent.iterdir()] == [sha]  # no temp files left


@pytest.mark.parametrize(
    "sha",
    [
        "../../etc/passwd",
        "../" + "a" * 61,
        "a" * 63,
        "a" * 65,
        "",
        "A" * 64,  # upper-case hex is not how ids are written
        "g" * 64,
        "/" + "a" * 63,
        "a" * 62 + "/.",
        "a" * 63 + "\n",
        "０" * 64,  # fullwidth digits
    ],
)
def test_path_rejects_anything_but_a_sha256(store: MediaStore, sha: str) -> None:
    with pytest.raises(MediaRejected) as rejected:
        store.path(sha)
    assert rejected.value.reason == "bad_id"
    with pytest.raises(MediaRejected):
        store.read(sha)


def test_read_unknown_sha(store: MediaStore) -> None:
    with pytest.raises(FileNotFoundError):
        store.read("0" * 64)


def test_path_stays_under_root(store: MediaStore) -> None:
    sha = hashlib.sha256(b"x").hexdigest()
    path = store.path(sha)
    assert path.resolve().is_relative_to(store.root.resolve())
    assert path.parent.name == sha[:2]
