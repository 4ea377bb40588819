"""The webhook route: Telegram POSTs each update here with our secret token in a header."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from adapters import untrusted
from adapters.telegram.channel import IngestRetry, TelegramChannel
from adapters.telegram.settings import DEFAULT_PATH, SECRET_HEADER
from adapters.webhooks import RefusalLog, read_body
from core.signing import same_secret

__all__ = ["SECRET_HEADER", "derive_secret", "webhook_handler", "webhook_path"]

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


def webhook_handler(
    channel: TelegramChannel, secret: str, refusals: RefusalLog | None = None
) -> Handler:
    refusals = refusals or RefusalLog("telegram")

    async def handle(request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            refusals.refuse("secret token missing", request.remote)
            return web.Response(status=401, text="secret token missing")
        if not same_secret(given, secret):
            refusals.refuse("wrong secret token", request.remote)
            return web.Response(status=403, text="wrong secret token")
        raw = await read_body(request, MAX_BODY)
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
