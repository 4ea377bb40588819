"""The webhook route: Telegram POSTs each update here with our secret token in a header."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from adapters.telegram.channel import IngestRetry, TelegramChannel

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
DEFAULT_PATH = "/telegram/webhook"
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


def webhook_handler(channel: TelegramChannel, secret: str) -> Handler:
    expected = secret.encode()

    async def handle(request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return web.Response(status=401, text="secret token missing")
        if not hmac.compare_digest(given.encode(), expected):
            log.warning("telegram webhook: wrong secret token from %s", request.remote)
            return web.Response(status=403, text="wrong secret token")
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413, text="too large")
        try:
            raw = await request.read()
            if len(raw) > MAX_BODY:
                return web.Response(status=413, text="too large")
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            log.warning("telegram webhook: body is not JSON")
            return web.Response(status=400, text="not JSON")
        try:
            await channel.ingest(data)
        except IngestRetry as exc:
            # Not stored: Telegram delivers it again later.
            log.warning("telegram webhook: update not stored: %s", exc)
            return web.Response(status=503, text="try again")
        return web.Response(status=200, text="ok")

    return handle
