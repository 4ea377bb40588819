"""Telegram's registry entry: the channel, and either the webhook route or the long-polling
task (the settings decide), with the token checked before the service starts.

Only the settings are imported up front: aiogram takes seconds to import, and a service
without a Telegram token should not wait for it."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import quote

from aiohttp import web

from adapters.plugin import (
    BuiltChannel,
    ChannelPlugin,
    ChannelRefused,
    Conformance,
    Ports,
    stop_hook,
)
from adapters.telegram.settings import CHANNEL, DEFAULT_PATH, SECRET_HEADER, TelegramSettings

log = logging.getLogger(__name__)


def build(settings: TelegramSettings, ports: Ports) -> BuiltChannel:
    from adapters.limiter import Limits, RateLimiter
    from adapters.telegram.channel import PollError, TelegramChannel, is_group, make_bot
    from adapters.telegram.webhook import derive_secret, webhook_handler, webhook_path

    bot = make_bot(settings.bot_token, settings.api_base)
    limits = Limits(
        private_count=settings.max_per_chat_second,
        group_count=settings.max_per_group_minute,
        global_count=settings.max_per_second,
    )
    channel = TelegramChannel(
        bot,
        ports.intake,
        ports.media,
        ports.directory,
        ports.clock,
        limiter=RateLimiter(limits, is_group=is_group),
    )
    username = settings.bot_username.removeprefix("@")
    tasks: list[asyncio.Task[None]] = []

    def start_link(payload: str) -> str:
        return f"https://t.me/{username}?start={quote(payload, safe='')}" if username else ""

    async def check_token() -> None:
        """A token Telegram refuses stops the start; Telegram out of reach does not (the
        poller and the webhook registration retry until it answers)."""
        nonlocal username
        try:
            me = await channel.raw_call("getMe", {}, http_timeout=10)
        except PollError as exc:
            if exc.status in (401, 404):
                raise ChannelRefused(f"Telegram refused TELEGRAM_BOT_TOKEN: {exc}") from None
            log.warning("telegram getMe failed: %s; starting anyway", exc)
            return
        if not username and isinstance(me, dict) and isinstance(me.get("username"), str):
            username = me["username"]

    stop = stop_hook(channel.close, tasks)
    built = BuiltChannel(channel, start_link, checks=[check_token], on_stop=[stop])
    url = settings.webhook_url
    if url:
        secret = settings.webhook_secret or derive_secret(settings.bot_token)
        built.routes.append(web.post(webhook_path(url), webhook_handler(channel, secret)))

        async def start_webhook() -> None:
            tasks.append(asyncio.create_task(channel.set_webhook(url, secret)))

        built.on_start.append(start_webhook)
        log.info("telegram: webhook mode")
    else:
        built.polls = True

        async def start_polling() -> None:
            tasks.append(asyncio.create_task(channel.poll()))

        built.on_start.append(start_polling)
        log.info("telegram: long polling mode")
    return built


#: What the conformance suite's webhook deliveries carry.
_CONFORMANCE_SECRET = "conformance-Secret_1"  # noqa: S105 - a test value


def _conformance_settings(api_base: str) -> TelegramSettings:
    return TelegramSettings(
        bot_token="123456:conformance-token",  # noqa: S106 - a test value
        api_base=api_base,
        webhook_url=f"https://conformance.test{DEFAULT_PATH}",
        webhook_secret=_CONFORMANCE_SECRET,
        _env_file=None,  # type: ignore[call-arg]
    )


PLUGIN = ChannelPlugin(
    name=CHANNEL,
    settings=TelegramSettings,
    enabled=lambda settings: bool(settings.bot_token),
    build=build,
    conformance=Conformance(
        settings=_conformance_settings,
        path=DEFAULT_PATH,
        headers={SECRET_HEADER: _CONFORMANCE_SECRET},
        wrong_headers={SECRET_HEADER: "not-the-secret"},
    ),
)
