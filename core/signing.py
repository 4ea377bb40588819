"""Secrets compared in constant time, and signed, expiring links to stored media (a
messenger's client or a browser fetches a person's photo by URL, with no session)."""

from __future__ import annotations

import hashlib
import hmac
import re

_EXPIRES = re.compile(r"[0-9]{1,12}")


def same_secret(given: str, expected: str) -> bool:
    """Whether ``given`` is ``expected``, in a time that tells nothing of either (their
    digests, of equal length, are compared)."""
    return hmac.compare_digest(_digest(given), _digest(expected))


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()


def link_signature(secret: bytes, name: str, expires: int, *, scope: str = "") -> str:
    """The signature of a link to ``name`` that works until ``expires`` (Unix seconds):
    128 bits of an HMAC-SHA256 in hex.  ``scope`` keeps one route's links from opening
    another's."""
    message = f"{scope}{name}:{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def link_refusal(
    secret: bytes, name: str, expires: str, signature: str, now: float, *, scope: str = ""
) -> str | None:
    """Why a link, as it came (untrusted text), may not be opened at ``now``: "link
    expired" (or an expiry that is not a number), "bad signature"; None when it may."""
    if not _EXPIRES.fullmatch(expires) or int(expires) < now:
        return "link expired"
    expected = link_signature(secret, name, int(expires), scope=scope)
    if not hmac.compare_digest(signature.encode("utf-8", "surrogatepass"), expected.encode()):
        return "bad signature"
    return None
