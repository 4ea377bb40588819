"""The webhook route: Telegram POSTs each update here with our secret token in a header."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from adapters import untrusted
from adapters.telegram.channel import TelegramChannel
from adapters.telegram.settings import DEFAULT_PATH, SECRET_HEADER
from adapters.webhooks import RefusalLog, dropped, read_body, taken_in
from core.signing import same_secret

__all__ = ["SECRET_HEADER", "derive_secret", "webhook_handler", "webhook_path"]

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
            return dropped("telegram", exc)  # the secret matched: Telegram sent it
        return await taken_in("telegram", channel.ingest(data))

    return handle
