"""What every messenger's webhook route needs: the body read within a limit, refusals
logged without flooding the log, and a stored photo served to whoever may fetch it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

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
