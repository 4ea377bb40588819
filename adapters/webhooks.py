"""What every messenger's webhook route needs: the body read within a limit, refusals
logged without flooding the log, the answer once what was sent is (or is not) kept, and
a stored photo served to whoever may fetch it."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from adapters import untrusted

log = logging.getLogger(__name__)


async def read_body(request: web.Request, limit: int) -> bytes:
    """The raw body; 413 (raised) when it is, or announces itself, larger than ``limit``."""
    if request.content_length is not None and request.content_length > limit:
        raise web.HTTPRequestEntityTooLarge(limit, request.content_length, text="too large")
    try:
        return await untrusted.read_limited(request.content.read, limit)
    except untrusted.TooLarge:
        raise web.HTTPRequestEntityTooLarge(limit, limit + 1, text="too large") from None


class IngestRetry(Exception):
    """What the messenger sent could not be kept now (network, media, database): it must
    not be acknowledged, so that the messenger delivers it again."""


def dropped(channel: str, exc: Exception) -> web.Response:
    """The answer to a genuine delivery whose body cannot be read: acknowledged, or the
    messenger would send it again and again, holding back what comes after it."""
    log.warning("%s webhook: delivery dropped, body unreadable: %s", channel, exc)
    return web.Response(status=200, text="dropped")


async def taken_in(channel: str, ingest: Awaitable[object]) -> web.Response:
    """200 once ``ingest`` has kept what was sent; 503 on :class:`IngestRetry`."""
    try:
        await ingest
    except IngestRetry as exc:
        log.warning("%s webhook: not stored, to be delivered again: %s", channel, exc)
        return web.Response(status=503, text="try again")
    return web.Response(status=200, text="ok")


class RefusalLog:
    """Logs refused webhook calls at most once per ``period`` seconds, with how many were
    refused since the last line: a scanner or a stale webhook with an old secret would
    otherwise write a line for every request it sends."""

    def __init__(
        self, channel: str, period: float = 60.0, clock: Callable[[], float] = time.monotonic
    ):
        self.channel = channel
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
            "%s webhook: %s from %s (%d refused since the last such line)",
            self.channel,
            why,
            remote,
            self.refused,
        )
        self._last = now
        self.refused = 0


def photo_response(stored: tuple[bytes, str]) -> web.Response:
    """A stored photo, private to the one who may fetch it, never sniffed as another type."""
    data, mime = stored
    return web.Response(
        body=data,
        headers={
            "Content-Type": mime,
            "Cache-Control": "private, max-age=3600",
            "X-Content-Type-Options": "nosniff",
        },
    )
