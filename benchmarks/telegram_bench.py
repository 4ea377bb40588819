"""Telegram channel benchmark against the fake Bot API server, on loopback only.

    python -m benchmarks.telegram_bench [--rate 500] [--seconds 10] [--echo 3000]

Prints figures (it is not a timed test):

* inbound: simulated residents POST updates to the webhook at a fixed rate; the
  acknowledgement latency (p50/p99) and the sustained rate of the full pipeline
  (webhook -> inbox commit -> dialogue turn processed) on SQLite; beside it a bare
  aiogram 3 echo bot long-polling the same fake server (the baseline).
* outbound: 1,000 notifications to 200 private chats and one group through the real
  outbox worker and the channel's limiter, with the fake server enforcing Telegram's
  published limits: the achieved rate against 30/s, 429 answers, and the highest
  per-chat / per-group / overall rates seen.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from aiogram import Dispatcher
from aiogram.types import Message
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from sqlalchemy import func, select

from adapters.telegram.channel import TelegramChannel, make_bot
from adapters.telegram.limiter import NO_LIMITS, RateLimiter
from adapters.telegram.webhook import SECRET_HEADER
from bot.app import App, bootstrap
from bot.notices import queue_message
from bot.settings import load_settings
from core.channel import OutboundMessage
from core.storage.tables import InboxItem
from tests.telegram.fake_api import TOKEN, FakeTelegram

HOOK = "/tg/hook"
SECRET = "bench-secret"  # noqa: S105 - loopback benchmark only
GROUP = "-100777"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def max_in_window(times: list[float], period: float) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while times[start] <= t - period:
            start += 1
        best = max(best, end - start + 1)
    return best


async def service(tmp: Path, api: str, name: str, webhook: bool = True) -> App:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp}/{name}.db",
        media_dir=tmp / "media",
        demo_data=True,
        secret_key="bench",  # noqa: S106
        telegram_bot_token=TOKEN,
        telegram_api_base=api,
        telegram_webhook_url=f"https://example.test{HOOK}" if webhook else "",
        telegram_webhook_secret=SECRET,
        _env_file=None,
    )
    app = bootstrap(settings, classifier=None)
    await app.prepare()
    return app


async def inbound(tmp: Path, fake: FakeTelegram, api: str, rate: int, seconds: float) -> float:
    app = await service(tmp, api, "inbound")
    channel = app.channels["telegram"]
    assert isinstance(channel, TelegramChannel)
    channel.limiter = RateLimiter(NO_LIMITS)  # replies are measured in the outbound part
    server = TestServer(app.http, host="127.0.0.1")
    await server.start_server()
    app.start_workers()
    url = str(server.make_url(HOOK))
    total = int(rate * seconds)
    updates = [
        fake.text(100_000 + i % 1000, f"Ленина 5, кв {i % 40 + 1} — течёт кран")
        for i in range(total)
    ]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    loop = asyncio.get_running_loop()
    async with ClientSession() as http:

        async def post(update: dict[str, Any]) -> None:
            started = loop.time()
            async with http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as resp:
                await resp.read()
                statuses[resp.status] = statuses.get(resp.status, 0) + 1
            latencies.append(loop.time() - started)

        began = loop.time()
        tasks = []
        for i, update in enumerate(updates):
            delay = began + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post(update)))
        await asyncio.gather(*tasks)
        sent_for = loop.time() - began
        processed = 0
        deadline = loop.time() + 90
        while loop.time() < deadline:
            async with app.db.reading() as session:
                processed = int(
                    await session.scalar(
                        select(func.count())
                        .select_from(InboxItem)
                        .where(InboxItem.processed_at.is_not(None))
                    )
                    or 0
                )
            if processed >= total:
                break
            await asyncio.sleep(0.05)
        pipeline = loop.time() - began
    await server.close()
    await app.stop()
    print("inbound (webhook, SQLite)")
    print(f"  offered: {total} updates at {rate}/s over {sent_for:.1f} s; answers {statuses}")
    print(
        f"  ack latency: p50 {percentile(latencies, 0.5) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms"
    )
    sustained = processed / pipeline
    print(f"  full pipeline: {processed} processed in {pipeline:.1f} s = {sustained:.0f} updates/s")
    return sustained


async def processed_count(app: App) -> int:
    async with app.db.reading() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(InboxItem)
                .where(InboxItem.processed_at.is_not(None))
            )
            or 0
        )


async def saturated(tmp: Path, fake: FakeTelegram, api: str, count: int) -> float:
    """The full pipeline under the echo bot's conditions: the same number of updates
    queued on the fake server, taken by long polling, each committed to the inbox and
    then handled by its dialogue turn (replies queued and sent by the outbox worker)."""
    app = await service(tmp, api, "saturated", webhook=False)
    channel = app.channels["telegram"]
    assert isinstance(channel, TelegramChannel)
    channel.limiter = RateLimiter(NO_LIMITS)
    before = len(fake.methods("sendMessage"))
    for i in range(count):
        fake.push(fake.text(400_000 + i % 1000, f"Ленина 5, кв {i % 40 + 1} — течёт кран"))
    began = time.monotonic()
    app.start_workers()
    for hook in app.on_start:
        await hook()
    processed = 0
    while time.monotonic() - began < 120:
        processed = await processed_count(app)
        if processed >= count:
            break
        await asyncio.sleep(0.02)
    handled = time.monotonic() - began
    replies = len(fake.methods("sendMessage")) - before
    await app.stop()
    print("full pipeline, long polling the same queued updates as the echo bot")
    print(
        f"  {processed} updates committed and handled in {handled:.1f} s = "
        f"{processed / handled:.0f} updates/s ({replies} replies sent meanwhile)"
    )
    return processed / handled


async def echo_baseline(fake: FakeTelegram, api: str, count: int) -> float:
    bot = make_bot(TOKEN, api)
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    before = len(fake.methods("sendMessage"))
    for i in range(count):
        fake.push(fake.text(200_000 + i % 1000, f"echo {i}"))
    began = time.monotonic()
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    while len(fake.methods("sendMessage")) - before < count:
        if time.monotonic() - began > 120:
            break
        await asyncio.sleep(0.02)
    elapsed = time.monotonic() - began
    await dp.stop_polling()
    await task
    await bot.session.close()
    done = len(fake.methods("sendMessage")) - before
    print("baseline: bare aiogram echo bot, long polling the same fake server")
    print(f"  {done} updates echoed in {elapsed:.1f} s = {done / elapsed:.0f} updates/s")
    return done / elapsed


async def outbound(tmp: Path, fake: FakeTelegram, api: str) -> None:
    app = await service(tmp, api, "outbound")
    fake.enforce_limits = True
    fake.too_many = 0
    start_calls = len(fake.calls)
    now = app.clock()
    async with app.db.transaction() as session:
        for i in range(1000):
            chat = GROUP if i % 50 == 0 else str(300_000 + i % 200)
            await queue_message(session, now, "telegram", chat, OutboundMessage(f"уведомление {i}"))
    began = time.monotonic()
    while True:
        await app.outbox.drain()
        sent = [
            c
            for c in fake.calls[start_calls:]
            if c.method == "sendMessage" and c.params.get("text", "").startswith("уведомление")
        ]
        if len({c.params["text"] for c in sent}) >= 1000 or time.monotonic() - began > 120:
            break
        await asyncio.sleep(0.05)
    await app.stop()
    ok = [c for c in sent if fake.sent.get(c.chat)]
    times = [c.at for c in ok]
    elapsed = max(times) - min(times)
    by_chat: dict[str, list[float]] = {}
    for call in ok:
        by_chat.setdefault(call.chat, []).append(call.at)
    private = max(max_in_window(t, 1.0) for c, t in by_chat.items() if c != GROUP)
    group = max_in_window(by_chat.get(GROUP, []), 60.0)
    delivered = len({c.params["text"] for c in ok})
    print("outbound: 1000 notifications to 200 chats + 1 group (fake enforces Telegram's limits)")
    print(
        f"  delivered {delivered} in {elapsed:.1f} s = {(delivered - 1) / elapsed:.1f} msg/s "
        f"({(delivered - 1) / elapsed / 30 * 100:.0f}% of 30/s); 429 answers: {fake.too_many}"
    )
    print(
        f"  highest seen: {max_in_window(times, 1.0)} in any 1 s overall, {private} per private "
        f"chat in any 1 s, {group} in the group in any 60 s"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--echo", type=int, default=3000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    fake = FakeTelegram()
    api = await fake.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            paced = await inbound(Path(tmp), fake, api, args.rate, args.seconds)
            echo = await echo_baseline(fake, api, args.echo)
            pipeline = await saturated(Path(tmp), fake, api, args.echo)
            print(
                f"  full pipeline / bare echo: {pipeline / echo * 100:.0f}% saturated "
                f"(paced webhook run above: {paced / echo * 100:.0f}%, capped by the offered rate)"
            )
            await outbound(Path(tmp), fake, api)
    finally:
        await fake.close()


if __name__ == "__main__":
    asyncio.run(main())
