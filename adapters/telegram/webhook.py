"""The webhook route: Telegram POSTs each update here with our secret token in a header."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from adapters import untrusted
from adapters.telegram.channel import IngestRetry, TelegramChannel
from adapters.telegram.settings import DEFAULT_PATH, SECRET_HEADER

__all__ = ["SECRET_HEADER", "RefusalLog", "derive_secret", "webhook_handler", "webhook_path"]

log = logging.getLogger(__name__)
#: Telegram sends updates of at most a few kilobytes; anything far larger is not Telegram.
MAX_BODY = 1024 * 1024

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def webhook_path(url: str) -> str:
    """The local route for ``TELEGRAM_WEBHOOK_URL`` (its path, or a default)."""
    path = urlsplit(url).path
    return path if path and path != "/" else DEFAULT_PATH


def derive_secret(token: str) -> str:
    """A stable secret when none is configured (Telegram allows A-Z a-z 0-9 _ -)."""
    return hashlib.sha256(f"telegram-webhook:{token}".encode()).hexdigest()


class RefusalLog:
    """Logs refused webhook calls at most once per ``period`` seconds, with how many were
    refused since the last line: a scanner or a stale webhook with an old secret would
    otherwise write a line for every request it sends."""

    def __init__(self, period: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.period = period
        self.clock = clock
        self.refused = 0
        self._last: float | None = None

    def refuse(self, why: str, remote: str | None) -> None:
        self.refused += 1
        now = self.clock()
        if self._last is not None and now - self._last < self.period:
            return
        log.warning(
            "telegram webhook: %s from %s (%d refused since the last such line)",
            why,
            remote,
            self.refused,
        )
        self._last = now
        self.refused = 0


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()


def webhook_handler(
    channel: TelegramChannel, secret: str, refusals: RefusalLog | None = None
) -> Handler:
    # Digests of equal length: the comparison takes the same time whatever was sent.
    expected = _digest(secret)
    refusals = refusals or RefusalLog()

    async def handle(request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            refusals.refuse("secret token missing", request.remote)
            return web.Response(status=401, text="secret token missing")
        if not hmac.compare_digest(_digest(given), expected):
            refusals.refuse("wrong secret token", request.remote)
            return web.Response(status=403, text="wrong secret token")
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413, text="too large")
        try:
            raw = await untrusted.read_limited(request.content.read, MAX_BODY)
        except untrusted.TooLarge:
            return web.Response(status=413, text="too large")
        try:
            data = untrusted.loads(raw)
        except untrusted.JsonRejected as exc:
            # The secret matched, so Telegram sent it: refused, it would be delivered
            # again and again, holding the updates behind it.  Acknowledged and dropped.
            log.warning("telegram webhook: update dropped, body unreadable: %s", exc)
            return web.Response(status=200, text="dropped")
        try:
            await channel.ingest(data)
        except IngestRetry as exc:
            # Not stored: Telegram delivers it again later.
            log.warning("telegram webhook: update not stored: %s", exc)
            return web.Response(status=503, text="try again")
        return web.Response(status=200, text="ok")

    return handle
