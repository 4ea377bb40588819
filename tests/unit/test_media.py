"""The content-addressed media store: every photo decoded once, checked, re-encoded."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from core.storage.media import (
    MAX_SIDES_SUM,
    PHOTO_MIME,
    MediaRejected,
    MediaStore,
    normalise_photo,
)


def image(fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", **save: object) -> bytes:
    out = io.BytesIO()
    colour = (0, 0, 0, 0) if mode == "RGBA" else "orange"
    Image.new(mode, size, colour).save(out, fmt, **save)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels in a few dozen bytes (a bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def decoded(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture


@pytest.fixture
def store(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "media", max_bytes=1024 * 1024)


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_accepted_formats_are_stored_as_jpeg(store: MediaStore, fmt: str) -> None:
    stored = store.save(image(fmt))
    data = store.read(stored.sha)
    assert stored.mime == PHOTO_MIME == "image/jpeg"
    assert stored.sha == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)
    assert store.path(stored.sha) == store.root / stored.sha[:2] / stored.sha
    assert decoded(data).format == "JPEG" and decoded(data).size == (64, 48)


@pytest.mark.parametrize(
    "data",
    [
        b"hello, this is text",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"%PDF-1.7\n",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00<html><script>alert(1)</script></html>",
        b"\x89PNG\r\n\x1a\n<html></html>",
        b"GIF89a" + b"<html>" * 10,
        b"RIFF\x00\x00\x00\x00WAVEfmt ",
        b"\xff\xd8",
        image("JPEG")[:200],  # truncated
        image("BMP"),  # an image, but not a format phones and browsers send
        image("TIFF"),
        b"\x00",
    ],
)
def test_rejects_what_does_not_decode_as_a_photo(store: MediaStore, data: bytes) -> None:
    with pytest.raises(MediaRejected) as rejected:
        store.save(data)
    assert rejected.value.reason == "not_image"
    assert files(store.root) == []


def test_rejects_empty_and_oversized(store: MediaStore) -> None:
    with pytest.raises(MediaRejected, match="empty"):
        store.save(b"")
    with pytest.raises(MediaRejected, match="too_large"):
        store.save(image("PNG") + b"\x00" * store.max_bytes)
    assert files(store.root) == []


def test_a_decompression_bomb_is_refused_before_decoding(store: MediaStore) -> None:
    bomb = png_header_only(20_000, 20_000)
    assert len(bomb) < 200
    with pytest.raises(MediaRejected) as rejected:
        store.save(bomb)
    assert rejected.value.reason == "too_many_pixels"


def test_the_pixel_limit_is_the_stores(tmp_path: Path) -> None:
    small = MediaStore(tmp_path, max_bytes=1024 * 1024, max_pixels=100 * 100)
    small.save(image("PNG", (100, 100)))
    with pytest.raises(MediaRejected, match="too_many_pixels"):
        small.save(image("PNG", (101, 100)))
    with pytest.raises(MediaRejected, match="too_many_pixels"):
        small.save(png_header_only(5000, 5000))


@pytest.mark.parametrize(
    ("size", "reason"),
    [((31, 100), "too_small"), ((100, 16), "too_small"), ((2100, 100), "bad_shape")],
)
def test_rejects_shapes_messengers_refuse(
    store: MediaStore, size: tuple[int, int], reason: str
) -> None:
    with pytest.raises(MediaRejected) as rejected:
        store.save(image("PNG", size))
    assert rejected.value.reason == reason


def test_the_limits_themselves_are_accepted(store: MediaStore) -> None:
    assert decoded(store.read(store.save(image("PNG", (32, 640))).sha)).size == (32, 640)


def test_a_photo_too_large_for_telegram_is_scaled_down(store: MediaStore) -> None:
    data = image("JPEG", (8000, 2500), quality=50)
    width, height = decoded(store.read(store.save(data).sha)).size
    assert width + height <= MAX_SIDES_SUM
    assert abs(width / height - 8000 / 2500) < 0.01
    assert width + height > MAX_SIDES_SUM * 0.99


def test_orientation_is_applied_and_metadata_stripped(store: MediaStore) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (55.0, 45.0, 21.0)  # GPSLatitude
    original = image("JPEG", (64, 40), exif=exif.tobytes())
    assert decoded(original).getexif()[0x0112] == 6
    stored = store.read(store.save(original).sha)
    picture = decoded(stored)
    assert picture.size == (40, 64)  # upright
    assert not picture.getexif()
    assert b"Exif" not in stored and b"PhoneMaker" not in stored


def test_transparency_is_laid_over_white(store: MediaStore) -> None:
    picture = decoded(store.read(store.save(image("PNG", mode="RGBA")).sha))
    assert picture.mode == "RGB"
    assert all(channel > 245 for channel in picture.getpixel((10, 10)))


def test_normalising_is_deterministic() -> None:
    data = image("PNG")
    assert normalise_photo(data, 10**6, 10**6) == normalise_photo(data, 10**6, 10**6)


def test_rejection_is_a_value_error() -> None:
    assert issubclass(MediaRejected, ValueError)


def test_same_picture_stored_once(store: MediaStore) -> None:
    first = store.save(image("PNG"))
    second = store.save(image("PNG") + b"trailing bytes after IEND")
    assert first == second
    assert files(store.root) == [store.path(first.sha)]


def test_different_pictures_stored_apart(store: MediaStore) -> None:
    a = store.save(image("PNG"))
    b = store.save(image("PNG", (48, 64)))
    assert a.sha != b.sha
    assert len(files(store.root)) == 2


def test_existing_file_is_not_rewritten(store: MediaStore) -> None:
    sha = store.save(image("JPEG")).sha
    path = store.path(sha)
    before = path.stat().st_mtime_ns
    store.save(image("JPEG"))
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
