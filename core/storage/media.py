"""Content-addressed media store: each photo decoded once at intake, checked, re-encoded
as a plain JPEG and kept under the sha256 of the stored bytes.

Re-encoding is what makes an upload safe to forward: a file that only starts like an
image (a JPEG header followed by HTML), a decompression bomb or a shape a messenger
refuses never reaches a browser or a messenger, and the camera's metadata (GPS
position, device, time) is not passed on to staff or other residents.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import tempfile
from pathlib import Path
from typing import NamedTuple

from PIL import Image, ImageOps

from core.ports import PHOTO_MAX_RATIO, PHOTO_MIN_SIDE

PHOTO_MIME = "image/jpeg"
PNG_MIME = "image/png"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: What residents' phones and browsers send; every other decoder Pillow has stays unused.
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
#: Decoded pixels at most, by default: a 50-megapixel camera's full frame.
DEFAULT_MAX_PIXELS = 50_000_000
#: Messengers' photo-sending APIs refuse a photo whose width + height exceeds 10000 (or
#: whose sides differ more than PHOTO_MAX_RATIO times): a photo kept here is forwarded to any
#: of them, so larger photos are scaled down to fit, narrower ones refused.
MAX_SIDES_SUM = 10_000
JPEG_QUALITY = 85


class MediaRejected(ValueError):
    """The upload is not acceptable; ``reason`` is one of "empty", "too_large",
    "not_image", "too_many_pixels", "too_small", "bad_shape" (or "bad_id" for a
    malformed media id)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StoredMedia(NamedTuple):
    sha: str
    mime: str
    size: int


def is_media_id(sha: str) -> bool:
    """Whether ``sha`` can name stored media (a lowercase hex sha256)."""
    return len(sha) == 64 and all(c in "0123456789abcdef" for c in sha)


def described(photo: bytes) -> StoredMedia:
    """The id, type and size a prepared photo is stored under."""
    # Uploads are re-encoded as JPEG; the service's own charts are kept as drawn (PNG).
    mime = PNG_MIME if photo.startswith(PNG_SIGNATURE) else PHOTO_MIME
    return StoredMedia(hashlib.sha256(photo).hexdigest(), mime, len(photo))


def normalise_photo(data: bytes, max_bytes: int, max_pixels: int) -> bytes:
    """Decode ``data`` and return it re-encoded as an upright JPEG without metadata, or
    raise :class:`MediaRejected`.  CPU-bound: call it off the event loop."""
    if not data:
        raise MediaRejected("empty")
    if len(data) > max_bytes:
        raise MediaRejected("too_large")
    try:
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise MediaRejected("too_many_pixels")
            if min(width, height) < PHOTO_MIN_SIDE:
                raise MediaRejected("too_small")
            if max(width, height) > PHOTO_MAX_RATIO * min(width, height):
                raise MediaRejected("bad_shape")
            scale = min(1.0, MAX_SIDES_SUM / (width + height))
            if scale < 1.0:
                # A JPEG decodes straight at 1/2, 1/4 or 1/8 of its size: far less work.
                image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
            image.load()
            upright = ImageOps.exif_transpose(image)
            photo = _flatten(upright)
    except MediaRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaRejected("too_many_pixels") from exc
    except Exception as exc:
        # Decoders fail on hostile input in many ways (OSError, SyntaxError, ValueError,
        # struct.error, EOFError...); for an upload they all mean "not a usable image".
        raise MediaRejected("not_image") from exc
    if photo.width + photo.height > MAX_SIDES_SUM:
        scale = MAX_SIDES_SUM / (photo.width + photo.height)
        size = (max(1, int(photo.width * scale)), max(1, int(photo.height * scale)))
        photo = photo.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid over white (how a chat shows a transparent PNG)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


class MediaStore:
    def __init__(self, root: Path, max_bytes: int, max_pixels: int = DEFAULT_MAX_PIXELS) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels

    def path(self, sha: str) -> Path:
        if not is_media_id(sha):
            raise MediaRejected("bad_id")
        return self.root / sha[:2] / sha

    def prepare(self, data: bytes) -> bytes:
        """The upload as it will be stored (see :func:`normalise_photo`)."""
        return normalise_photo(data, self.max_bytes, self.max_pixels)

    def store(self, photo: bytes) -> StoredMedia:
        """Keep prepared bytes once (atomically) under their sha256."""
        stored = described(photo)
        target = self.path(stored.sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(photo)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return stored

    def save(self, data: bytes) -> StoredMedia:
        """Check, re-encode and store an upload; CPU-bound: call it off the event loop."""
        return self.store(self.prepare(data))

    def read(self, sha: str) -> bytes:
        return self.path(sha).read_bytes()
