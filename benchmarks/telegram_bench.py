"""Telegram channel benchmark against the fake Bot API server, on loopback only.

    python -m benchmarks.telegram_bench [--rate 500] [--seconds 10] [--echo 3000]
    python -m benchmarks.telegram_bench --only inbound   # the acknowledgement latency alone
    python -m benchmarks.telegram_bench --database postgresql   # on a throwaway PostgreSQL

Prints figures (it is not a timed test).  This process plays Telegram and the
residents (the fake Bot API server and the load); what is measured runs as a process
of its own, as it would in production: the real service (``python -m bot serve``,
SQLite or PostgreSQL, demo data, the shipped classifier) and, as the baseline, a bare
aiogram 3 echo bot (``benchmarks/echo_bot.py``).

Each phase starts on an empty database: a new SQLite file, or with ``--database
postgresql`` a throwaway server (``tests/support/postgres.py``) whose schema is dropped
before each phase.  ``--service-tree`` runs the service (and the durable echo) from
another checkout, such as a ``git worktree`` of an older commit, for A/B pairs measured
by this harness.

* inbound: residents POST updates to the service's webhook at a fixed rate; the
  acknowledgement latency (p50/p99) and how fast the pipeline (webhook -> inbox commit
  -> dialogue turn -> replies delivered) keeps up.
* saturated: the same queued updates taken by long polling by the echo bot, by the
  service with its dialogue cut to "send the text back" (``benchmarks/durable_echo.py``:
  what storing every update and reply costs) and by the service: updates per second of
  each, and the ratios to the echo bot.
* outbound: 1,000 notifications to 200 private chats and one group through the real
  outbox worker and the channel's limiter, with the fake server enforcing Telegram's
  published limits: the achieved rate against 30/s, 429 answers, and the highest
  per-chat / per-group / overall rates seen.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from aiohttp import ClientSession
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from adapters.telegram.settings import TelegramSettings
from adapters.telegram.webhook import SECRET_HEADER
from bot.app import App, bootstrap
from bot.notices import queue_message
from bot.settings import load_channel_settings, load_settings
from core.channel import OutboundMessage
from tests.support.live import LiveService
from tests.support.postgres import reset_database, throwaway_postgres
from tests.telegram.fake_api import TOKEN, FakeTelegram

ROOT = Path(__file__).resolve().parents[1]
HOOK = "/tg/hook"
SECRET = "bench-secret"  # noqa: S105 - loopback benchmark only
GROUP = "-100777"
#: What the simulated residents write (each chat sends several in a row).
TEXTS = (
    "Ленина 5, кв {n} — течёт кран на кухне",
    "Ленина 5 кв {n}, не работает розетка в комнате",
    "Садовая 12, подъезд 2: не горит свет на площадке",
    "Ленина 5, квартира {n}: нет горячей воды",
)
SERVICE = ("-m", "bot", "serve")
#: The service with its dialogue cut to "send the text back" (the price of durability).
DURABLE_ECHO = ("-m", "benchmarks.durable_echo")
#: The service may send as fast as the fake answers: the limits are measured on their own.
UNLIMITED = {
    "TELEGRAM_MAX_PER_SECOND": "10000",
    "TELEGRAM_MAX_PER_CHAT_SECOND": "10000",
    "TELEGRAM_MAX_PER_GROUP_MINUTE": "100000",
}


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


def resident_text(i: int) -> str:
    return TEXTS[i % len(TEXTS)].format(n=i % 40 + 1)


class Storage:
    """Where the measured processes keep their data, empty at the start of each phase."""

    def __init__(self, postgres_url: str | None = None, tree: Path = ROOT) -> None:
        self.postgres_url = postgres_url
        #: The source tree the service's processes run from.
        self.tree = tree

    @property
    def name(self) -> str:
        return "PostgreSQL" if self.postgres_url else "SQLite"

    async def fresh(self, workdir: Path) -> str:
        """The URL of an empty database for a phase working in ``workdir``."""
        if self.postgres_url is None:
            return f"sqlite+aiosqlite:///{workdir}/live.db"
        await reset_database(self.postgres_url)
        return self.postgres_url


@contextlib.contextmanager
def storage(database: str, tree: Path) -> Iterator[Storage]:
    if database == "sqlite":
        yield Storage(tree=tree)
        return
    with throwaway_postgres() as url:
        yield Storage(url, tree)


class Service:
    """The real service as a process of its own, pointed at the fake server."""

    def __init__(
        self,
        workdir: Path,
        api: str,
        database: str,
        tree: Path,
        command: tuple[str, ...] = SERVICE,
        **env: str,
    ) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        # Counting only (a few queries a second after the load): no pool to keep.
        self.db = create_async_engine(database, poolclass=NullPool)
        self.live = LiveService(
            workdir,
            command,
            PYTHONPATH=str(tree),  # the service runs in its work folder
            DATABASE_URL=database,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE=api,
            SECRET_KEY="loopback-benchmark-key-not-a-secret",  # noqa: S106
            **UNLIMITED,
            **env,
        )

    async def start(self) -> None:
        await asyncio.to_thread(self.live.start)

    def pid(self) -> int | None:
        return self.live.process.pid if self.live.process else None

    async def stop(self) -> None:
        await asyncio.to_thread(self.live.stop)
        await self.db.dispose()

    async def _count(self, sql: str) -> int:
        async with self.db.connect() as conn:
            return int((await conn.execute(text(sql))).scalar_one())

    async def processed(self) -> int:
        return await self._count("SELECT count(*) FROM inbox WHERE processed_at IS NOT NULL")

    async def unsent(self) -> int:
        return await self._count("SELECT count(*) FROM outbox WHERE status = 'pending'")

    async def wait_done(self, count: int, limit: float = 180) -> tuple[float, float]:
        """Seconds (monotonic) when ``count`` updates were handled and when every reply
        was out."""
        handled = delivered = 0.0
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if not handled and await self.processed() >= count:
                handled = time.monotonic()
            if handled and await self.unsent() == 0:
                delivered = time.monotonic()
                break
            await asyncio.sleep(0.02)
        return handled, delivered


async def inbound(
    tmp: Path, fake: FakeTelegram, api: str, store: Storage, rate: int, seconds: float
) -> None:
    service = Service(
        tmp / "inbound",
        api,
        await store.fresh(tmp / "inbound"),
        store.tree,
        TELEGRAM_WEBHOOK_URL=f"https://example.test{HOOK}",
        TELEGRAM_WEBHOOK_SECRET=SECRET,
    )
    await service.start()
    url = f"{service.live.url}{HOOK}"
    total = int(rate * seconds)
    updates = [fake.text(100_000 + i % 1000, resident_text(i)) for i in range(total)]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    loop = asyncio.get_running_loop()
    replies_before = len(fake.methods("sendMessage"))
    async with ClientSession() as http:

        async def post(update: dict[str, Any]) -> None:
            started = loop.time()
            async with http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as resp:
                await resp.read()
                statuses[resp.status] = statuses.get(resp.status, 0) + 1
            latencies.append(loop.time() - started)

        # This process is the measuring instrument: its own collector must not pause it
        # while it times acknowledgements (the fake server keeps every call it gets).
        gc.collect()
        gc.disable()
        began = loop.time()
        wall = time.monotonic()
        tasks = []
        for i, update in enumerate(updates):
            delay = began + i / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post(update)))
        await asyncio.gather(*tasks)
        sent_for = loop.time() - began
        gc.enable()
    handled, delivered = await service.wait_done(total)
    await service.stop()
    replies = len(fake.methods("sendMessage")) - replies_before
    print(f"inbound: residents through the webhook (service process, {store.name})")
    if store.tree != ROOT:
        print(f"  the service ran from {store.tree}")
    print(f"  offered: {total} updates at {rate}/s over {sent_for:.1f} s; answers {statuses}")
    print(
        f"  ack latency: p50 {percentile(latencies, 0.5) * 1000:.1f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms"
    )
    if handled and delivered:
        print(
            f"  all {total} handled {handled - wall - sent_for:+.1f} s after the last was "
            f"offered, all {replies} replies out {delivered - wall - sent_for:+.1f} s after"
        )
    else:
        print("  the pipeline did not finish within the time limit")


def _first(fake: FakeTelegram, method: str, since: int) -> float:
    return next(c.at for c in fake.calls[since:] if c.method == method)


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from Linux's /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds spent from the first getUpdates on by the measured process and by
    this one (the fake Bot API server, and the measuring): what an update costs, which
    rates alone do not tell on a machine shared with other work."""

    def __init__(self, fake: FakeTelegram, since: int) -> None:
        self.fake = fake
        self.since = since
        self.start: tuple[float, float] | None = None
        self.spent = (0.0, 0.0)

    async def watch(self, pid: Callable[[], int | None]) -> None:
        """Take the starting reading when the process first asks for updates."""
        while True:
            found = pid()
            if found and any(c.method == "getUpdates" for c in self.fake.calls[self.since :]):
                self.start = (cpu_of(found), time.process_time())
                return
            await asyncio.sleep(0.002)

    def stop(self, pid: int) -> None:
        with contextlib.suppress(OSError):  # the process is gone: no reading
            if self.start is None:
                return
            self.spent = (cpu_of(pid) - self.start[0], time.process_time() - self.start[1])

    def report(self, count: int) -> None:
        """Milliseconds of CPU per update: the measured process's and the fake server's."""
        mine, fakes = (spent * 1000 / count for spent in self.spent)
        print(f"  CPU per update: {mine:.2f} ms in that process, {fakes:.2f} ms in the fake server")


async def echo_baseline(tmp: Path, fake: FakeTelegram, api: str, count: int) -> float:
    since = len(fake.calls)
    for i in range(count):
        fake.push(fake.text(200_000 + i % 1000, f"echo {i}"))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.echo_bot",
        api,
        TOKEN,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=(tmp / "echo.log").open("ab"),
    )
    meter = CpuMeter(fake, since)
    watch = asyncio.create_task(meter.watch(lambda: process.pid))
    try:
        deadline = time.monotonic() + 120
        while len([c for c in fake.calls[since:] if c.method == "sendMessage"]) < count:
            if time.monotonic() > deadline or process.returncode is not None:
                break
            await asyncio.sleep(0.02)
        meter.stop(process.pid)
    finally:
        watch.cancel()
        process.terminate()
        await process.wait()
    sends = [c.at for c in fake.calls[since:] if c.method == "sendMessage"]
    rate = len(sends) / (max(sends) - _first(fake, "getUpdates", since))
    print("baseline: bare aiogram 3 echo bot (its own process), long polling the fake server")
    print(f"  {len(sends)} updates echoed at {rate:.0f} updates/s")
    meter.report(len(sends))
    return rate


async def saturated(
    tmp: Path,
    fake: FakeTelegram,
    api: str,
    store: Storage,
    count: int,
    command: tuple[str, ...] = SERVICE,
) -> tuple[float, float]:
    """The service under the echo bot's conditions: the same number of updates queued
    on the fake server, taken by long polling, each committed to the inbox, handled by
    its dialogue turn and its replies delivered."""
    since = len(fake.calls)
    for i in range(count):
        fake.push(fake.text(400_000 + i % 1000, resident_text(i)))
    workdir = tmp / command[-1]
    service = Service(workdir, api, await store.fresh(workdir), store.tree, command)
    meter = CpuMeter(fake, since)
    watch = asyncio.create_task(meter.watch(service.pid))
    await service.start()
    handled, delivered = await service.wait_done(count)
    watch.cancel()
    meter.stop(service.pid() or 0)
    await service.stop()
    began = _first(fake, "getUpdates", since)
    replies = len([c for c in fake.calls[since:] if c.method == "sendMessage"])
    if command == SERVICE:
        print("service (its own process), long polling the same number of queued updates")
    else:
        print("durable echo: the service with a one-line dialogue (the text sent back)")
    if not handled or not delivered:
        print("  did not finish within the time limit")
        return 0.0, 0.0
    print(
        f"  {count} updates handled by their dialogue turn in {handled - began:.2f} s = "
        f"{count / (handled - began):.0f} updates/s; all {replies} replies delivered in "
        f"{delivered - began:.2f} s = {count / (delivered - began):.0f} updates/s"
    )
    meter.report(count)
    return count / (handled - began), count / (delivered - began)


def ratio(label: str, rates: tuple[float, float], base: float) -> None:
    handled, delivered = rates
    print(
        f"  {label}: {handled / base * 100:.0f}% handled, "
        f"{delivered / base * 100:.0f}% with every reply delivered"
    )


async def outbound(tmp: Path, fake: FakeTelegram, api: str, store: Storage) -> None:
    """In this process (the limits, not the CPU, set the pace here)."""
    settings = load_settings(
        database_url=await store.fresh(tmp / "outbound"),
        media_dir=tmp / "media",
        secret_key="bench",  # noqa: S106
        _env_file=None,
    )
    telegram = TelegramSettings(
        bot_token=TOKEN,
        api_base=api,
        webhook_url=f"https://example.test{HOOK}",
        webhook_secret=SECRET,
        _env_file=None,
    )
    channels = load_channel_settings({"telegram": telegram}, env_file=None)
    app: App = bootstrap(settings, channel_settings=channels, classifier=None)
    await app.prepare()
    fake.enforce_limits = True
    fake.too_many = 0
    start_calls = len(fake.calls)
    now = app.clock()
    async with app.db.transaction() as session:
        for i in range(1000):
            chat = GROUP if i % 50 == 0 else str(300_000 + i % 200)
            await queue_message(session, now, "telegram", chat, OutboundMessage(f"уведомление {i}"))
    began = time.monotonic()
    worker = asyncio.create_task(app.outbox.run())
    while True:
        sent = [
            c
            for c in fake.calls[start_calls:]
            if c.method == "sendMessage" and c.params.get("text", "").startswith("уведомление")
        ]
        if len({c.params["text"] for c in sent}) >= 1000 or time.monotonic() - began > 120:
            break
        await asyncio.sleep(0.05)
    worker.cancel()
    await asyncio.gather(worker, return_exceptions=True)
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
    parser.add_argument(
        "--only", choices=["inbound"], help="run one phase alone (repeated A/B measurements)"
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="the service's engine (postgresql: a throwaway server started for the run)",
    )
    parser.add_argument(
        "--service-tree",
        type=Path,
        default=ROOT,
        help="run the service from this checkout (A/B against another commit)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    fake = FakeTelegram()
    api = await fake.start()
    try:
        with (
            tempfile.TemporaryDirectory() as folder,
            storage(args.database, args.service_tree.resolve()) as store,
        ):
            tmp = Path(folder)
            await inbound(tmp, fake, api, store, args.rate, args.seconds)
            if args.only:
                return
            echo = await echo_baseline(tmp, fake, api, args.echo)
            floor = await saturated(tmp, fake, api, store, args.echo, DURABLE_ECHO)
            ratio("durable echo / bare echo", floor, echo)
            service = await saturated(tmp, fake, api, store, args.echo)
            ratio("service / bare echo", service, echo)
            await outbound(tmp, fake, api, store)
    finally:
        await fake.close()


if __name__ == "__main__":
    asyncio.run(main())
