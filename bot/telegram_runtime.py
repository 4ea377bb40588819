"""Wires the Telegram channel into the app: the channel, and either the webhook route or
the long-polling task (settings decide).  Called by ``bootstrap`` when a token is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from adapters.telegram.channel import PollError, TelegramChannel, make_bot
from adapters.telegram.limiter import Limits, RateLimiter
from adapters.telegram.webhook import derive_secret, webhook_handler, webhook_path
from bot.app import ConfigProblem
from bot.workers import POLLING_BATCH_BUDGET

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)


def attach_telegram(app: App) -> TelegramChannel:
    settings = app.settings
    bot = make_bot(settings.telegram_bot_token, settings.telegram_api_base)
    limits = Limits(
        private_count=settings.telegram_max_per_chat_second,
        group_count=settings.telegram_max_per_group_minute,
        global_count=settings.telegram_max_per_second,
    )
    channel = TelegramChannel(
        bot,
        app.db,
        app.media,
        app.clock,
        limiter=RateLimiter(limits),
        on_inbound=app.inbox.wake.set,
    )
    app.channels["telegram"] = channel
    tasks: list[asyncio.Task[None]] = []

    async def check_token() -> None:
        """A token Telegram refuses stops the start; Telegram out of reach does not (the
        poller and the webhook registration retry until it answers)."""
        try:
            await channel.raw_call("getMe", {}, http_timeout=10)
        except PollError as exc:
            if exc.status in (401, 404):
                raise ConfigProblem(f"Telegram refused TELEGRAM_BOT_TOKEN: {exc}") from None
            log.warning("telegram getMe failed: %s; starting anyway", exc)

    app.checks.append(check_token)

    async def stop() -> None:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        tasks.clear()
        await channel.close()

    url = settings.telegram_webhook_url
    if url:
        secret = settings.telegram_webhook_secret or derive_secret(settings.telegram_bot_token)
        path = webhook_path(url)
        app.http.router.add_post(path, webhook_handler(channel, secret))

        async def start_webhook() -> None:
            tasks.append(asyncio.create_task(channel.set_webhook(url, secret)))

        app.on_start.append(start_webhook)
        log.info("telegram: webhook mode")
    else:
        # Nobody waits on the inbox's commits to be answered: longer batches, fewer commits,
        # each batch written once.
        app.inbox.batch_budget = POLLING_BATCH_BUDGET
        app.inbox.flush_every = 0

        async def start_polling() -> None:
            tasks.append(asyncio.create_task(channel.poll()))

        app.on_start.append(start_polling)
        log.info("telegram: long polling mode")
    app.on_stop.append(stop)
    return channel
