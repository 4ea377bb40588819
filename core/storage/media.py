"""Content-addressed media store: each file kept once under its sha256, with checks."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

# Magic numbers of the image formats the service accepts.
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),
)


class MediaRejected(ValueError):
    """The upload is not acceptable; ``reason`` is "too_large", "empty" or "not_image"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sniff_image(data: bytes) -> str | None:
    for magic, offset, mime in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            if mime == "image/webp" and data[:4] != b"RIFF":
                continue
            return mime
    return None


class MediaStore:
    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def path(self, sha: str) -> Path:
        if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):
            raise MediaRejected("bad_id")
        return self.root / sha[:2] / sha

    def check(self, data: bytes) -> str:
        """Return the image's MIME type or raise :class:`MediaRejected`."""
        if not data:
            raise MediaRejected("empty")
        if len(data) > self.max_bytes:
            raise MediaRejected("too_large")
        mime = sniff_image(data)
        if mime is None:
            raise MediaRejected("not_image")
        return mime

    def save(self, data: bytes) -> tuple[str, str]:
        """Store the bytes once (atomically); return (sha256, mime)."""
        mime = self.check(data)
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return sha, mime

    def read(self, sha: str) -> bytes:
        return self.path(sha).read_bytes()
