"""Fault suite: two service processes on one PostgreSQL, killed and restarted under load.

    python -m benchmarks.fault_suite [--short] [--seed N]
    python -m benchmarks.fault_suite --scale [--short]

This process plays everything around the service, on loopback only: a throwaway
PostgreSQL (``tests/support/postgres.py``), the Telegram Bot API (the fake of
``tests/telegram/fake_api.py``, answering 429 with ``retry_after``, 5xx and timeouts at
random), residents who file requests through the web chat API and through Telegram, and
technicians who accept, start and finish their jobs in the web chat.  Two service
processes (``python -m bot serve``, demo data, one ``SECRET_KEY``) share the database;
both run the workers.  Telegram reaches them by webhook, as a load balancer in front of
several machines would: with long polling only one process may call ``getUpdates``
(Telegram answers 409 to a second), so the other could never take Telegram's updates and
a SIGKILL of the poller would stop the channel until it restarts.  An update the service
did not acknowledge with 200 is delivered again, to whichever process is up, as Telegram
does.

Processes are killed with SIGKILL at random moments and restarted; PostgreSQL is
restarted once mid-run (``pg_ctl restart -m fast``).  Then the suite waits (bounded) for
quiet and checks: each request number a resident was told exists once, filed by that
resident; every resident who started filing got a number; no reminder was claimed twice;
no message is pending or dead; each Telegram chat received every message of the outbox
(duplicates counted: at most one per kill).  Exit status 1 on FAIL.  The seed decides
the faults, the kills and the residents' texts; print it, pass it back to replay.

``--scale`` runs the same residents and technicians, without faults, with one and then
two service processes under the same offered load, and prints the CPU per handled
update of each service process and of the PostgreSQL server (its whole process tree,
from /proc), and the time sessions spent waiting on locks (``pg_stat_activity`` sampled
every 50 ms: backends whose ``wait_event_type`` is ``Lock``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from adapters.telegram.webhook import SECRET_HEADER
from benchmarks.telegram_bench import UNLIMITED, cpu_of, percentile
from tests.support.live import LiveService
from tests.support.postgres import PgServer, reset_database, throwaway_postgres
from tests.telegram.fake_api import TOKEN, FakeTelegram, Fault

ROOT = Path(__file__).resolve().parents[1]
HOOK = "/tg/hook"
SECRET = "fault-suite-secret"  # noqa: S105 - loopback only
#: The message a resident reads their request number in.
FILED = re.compile(r"Заявка №(\d+) принята")
#: What residents write, and the type they pick when asked.
PROBLEMS = (
    ("Ленина 5, кв {n} — течёт кран на кухне", "Водоснабжение"),
    ("Ленина 5, кв {n} — не работает розетка в комнате", "Электричество"),
    ("Садовая 12, кв {n}: из трубы в ванной капает вода", "Водоснабжение"),
    ("Садовая 12, кв {n}: искрит выключатель", "Электричество"),
)
#: Buttons a resident presses, first found first (a duplicate offer: "another problem").
RESIDENT_CHOICES = ("Нет, другая проблема", "Да, верно", "Пропустить", "Подтвердить")
SENDS = ("sendMessage", "sendPhoto", "sendMediaGroup", "editMessageText")
#: The Telegram channel gives up on a call after 20 s; a "timeout" answers later than that.
HANG_SECONDS = 22.0
#: The text of the message that carries a contact keyboard before a question with buttons.
CONTACT_KEYBOARD_CARRIER = "⬇️"


@dataclass(frozen=True)
class Plan:
    """How much of everything one run offers."""

    web_residents: int
    telegram_residents: int
    arrivals_seconds: float  # residents start over this window
    kills: int
    fault_rate: float  # share of send calls answered 429 / 5xx / timeout
    timeouts: int  # at most this many hung calls (each holds a batch for 20 s)
    #: The bound on waiting for quiet at the end: a killed process's claims run out after
    #: 60 s and a message 5xx'd a few times waits its backoff, more on a loaded machine.
    quiet_seconds: float


SHORT = Plan(12, 6, 30.0, 3, 0.08, 1, 240.0)
FULL = Plan(40, 20, 90.0, 10, 0.08, 3, 300.0)
#: The scale path: web residents only (what they cost is the service's, not the fake's).
SCALE_SHORT = Plan(40, 0, 30.0, 0, 0.0, 0, 120.0)
SCALE_FULL = Plan(150, 0, 60.0, 0, 0.0, 0, 300.0)


# --- the Telegram side -------------------------------------------------------------------


@dataclass
class FaultyTelegram(FakeTelegram):
    """The fake Bot API, answering a share of the send calls with a fault at random."""

    rng: random.Random = field(default_factory=random.Random)
    rate: float = 0.0
    timeouts_left: int = 0
    injected: Counter[str] = field(default_factory=Counter)
    #: When each message reached its chat (monotonic seconds), to place a duplicate.
    arrivals: dict[tuple[str, str], list[float]] = field(default_factory=dict)

    def _store(self, chat: str, text: str, markup: Any, photos: int = 0) -> dict[str, Any]:
        self.arrivals.setdefault((chat, text), []).append(time.monotonic())
        return super()._store(chat, text, markup, photos)

    def _fault_for(self, method: str, params: dict[str, Any]) -> Fault | None:
        if method in SENDS and self.rate and self.rng.random() < self.rate:
            kind = self.rng.choice(("429", "500", "502", "timeout"))
            if kind == "timeout":
                if self.timeouts_left <= 0:
                    kind = "500"
                else:
                    self.timeouts_left -= 1
            self.injected[kind] += 1
            return Fault(kind, retry_after=1)
        return super()._fault_for(method, params)

    async def _fault(self, fault: Fault) -> web.StreamResponse:
        if fault.kind == "timeout":
            # Never processed: the caller gives up first, as on a lost connection.
            await asyncio.sleep(HANG_SECONDS)
            return web.json_response({"ok": False, "error_code": 504}, status=504)
        if fault.kind == "502":
            return web.Response(status=502, text="Bad Gateway")
        return await super()._fault(fault)


# --- the service processes ---------------------------------------------------------------


class Cluster:
    """N service processes on one database, killed and restarted on demand."""

    def __init__(self, workdir: Path, url: str, api: str, count: int) -> None:
        self.services = [
            LiveService(
                _mkdir(workdir / f"service-{i}"),
                PYTHONPATH=str(ROOT),
                DATABASE_URL=url,
                DEMO_DATA="1",
                SECRET_KEY="fault-suite-shared-signing-key-0123456789abcdef",  # noqa: S106
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE=api,
                TELEGRAM_WEBHOOK_URL=f"https://example.test{HOOK}",
                TELEGRAM_WEBHOOK_SECRET=SECRET,
                AUTO_ASSIGN="1",  # the technicians get their jobs by the demo matrix
                MAX_OPEN_JOBS="1000",
                SWEEP_INTERVAL_SECONDS="5",
                **UNLIMITED,
            )
            for i in range(count)
        ]
        self.up = [False] * count
        self.restarts = 0
        self.unexpected_exits = 0

    async def start(self, index: int) -> None:
        # A start may meet the database mid-restart: try again, bounded.
        for attempt in range(5):
            try:
                await asyncio.to_thread(self.services[index].start)
                self.up[index] = True
                return
            except RuntimeError:
                if attempt == 4:
                    raise
                await asyncio.sleep(1)

    async def start_all(self) -> None:
        # One after the other: the first migrates and loads the demo data.
        await self.start(0)
        await self.around_the_clock()
        for index in range(1, len(self.services)):
            await self.start(index)

    async def around_the_clock(self) -> None:
        """The demo technicians work 08:00-17:00 on weekdays; here every hour of every
        day, so that automatic assignment does not depend on when the suite runs."""
        service = self.services[0]
        shifts = service.workdir / "shifts.csv"
        days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        rows = [f"tech-{n},{day},00:00,23:59,work" for n in range(1, 5) for day in days]
        shifts.write_text("technician,day,start,end,kind\n" + "\n".join(rows) + "\n")
        command = (sys.executable, "-m", "bot", "admin", "import-shifts", str(shifts))
        process = await asyncio.create_subprocess_exec(
            *command, cwd=service.workdir, env=service.env, stdout=asyncio.subprocess.DEVNULL
        )
        if await process.wait() != 0:
            raise RuntimeError("could not import the around-the-clock shifts")

    def kill(self, index: int) -> None:
        self.up[index] = False
        self.services[index].kill()

    def urls(self) -> list[str]:
        """The base URLs of the processes that are up (a crashed one is noted)."""
        for index, service in enumerate(self.services):
            if self.up[index] and service.process and service.process.poll() is not None:
                self.up[index] = False
                self.unexpected_exits += 1
        return [s.url for s, up in zip(self.services, self.up, strict=True) if up]

    def pids(self) -> list[int]:
        return [s.process.pid for s in self.services if s.process and s.process.poll() is None]

    def stop(self) -> None:
        for service in self.services:
            service.stop()


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


class Front:
    """What residents and staff reach the service through: any process that is up, the
    next one on a refused connection or a 5xx (a load balancer's retry), bounded."""

    def __init__(self, cluster: Cluster, http: ClientSession, rng: random.Random) -> None:
        self.cluster, self.http, self.rng = cluster, http, rng
        self.keys = 0

    async def _any(self, call: Callable[[str], Awaitable[Any]], limit: float = 60) -> Any:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            urls = self.cluster.urls()
            if urls:
                try:
                    return await call(self.rng.choice(urls))
                except (ClientError, TimeoutError, _Retry):
                    pass
            await asyncio.sleep(0.2)
        raise TimeoutError("no service process answered")

    async def post(self, body: dict[str, str]) -> None:
        self.keys += 1
        key = f"fault-{self.keys}-{self.rng.getrandbits(32)}"

        async def call(url: str) -> None:
            headers = {"Idempotency-Key": key}
            async with self.http.post(f"{url}/api/web/messages", json=body, headers=headers) as r:
                if r.status != 202:
                    raise _Retry(r.status)

        await self._any(call)

    async def messages(self, chat: str, after: int, wait: float) -> list[dict[str, Any]]:
        async def call(url: str) -> list[dict[str, Any]]:
            query = {"chat": chat, "after": str(after), "wait": str(wait)}
            async with self.http.get(f"{url}/api/web/messages", params=query) as r:
                if r.status != 200:
                    raise _Retry(r.status)
                return list((await r.json())["messages"])

        result: list[dict[str, Any]] = await self._any(call)
        return result

    async def update(self, update: dict[str, Any]) -> None:
        """Deliver a Telegram update until a process acknowledges it with 200."""

        async def call(url: str) -> None:
            headers = {SECRET_HEADER: SECRET}
            async with self.http.post(f"{url}{HOOK}", json=update, headers=headers) as r:
                if r.status != 200:
                    raise _Retry(r.status)

        await self._any(call)


class _Retry(Exception):
    pass


# --- people ------------------------------------------------------------------------------


@dataclass
class Outcome:
    told: dict[tuple[str, str], int] = field(default_factory=dict)  # (channel, user) -> number
    started: set[tuple[str, str]] = field(default_factory=set)
    turn_seconds: list[float] = field(default_factory=list)


def choose(labels: list[str], category: str) -> str | None:
    for wanted in (RESIDENT_CHOICES[0], RESIDENT_CHOICES[1], category, *RESIDENT_CHOICES[2:]):
        for label in labels:
            if wanted in label:
                return label
    return None


async def web_resident(
    front: Front, outcome: Outcome, user: str, problem: str, category: str, stop: asyncio.Event
) -> None:
    outcome.started.add(("web", user))
    await front.post({"chat": user, "user": user, "text": problem})
    asked = time.monotonic()
    cursor, pressed = 0, set()
    while not stop.is_set():
        messages = await front.messages(user, cursor, wait=3)
        if not messages:
            continue
        cursor = messages[-1]["id"]
        outcome.turn_seconds.append(time.monotonic() - asked)
        for message in messages:
            found = FILED.search(message["text"])
            if found:
                outcome.told[("web", user)] = int(found.group(1))
                return
        last = messages[-1]
        buttons = {b["text"]: b["payload"] for row in last["buttons"] for b in row}
        label = choose(list(buttons), category)
        if label is None or last["id"] in pressed:
            continue
        pressed.add(last["id"])
        await front.post({"chat": user, "user": user, "button": buttons[label]})
        asked = time.monotonic()


async def telegram_resident(
    front: Front,
    fake: FakeTelegram,
    outcome: Outcome,
    user: int,
    problem: str,
    category: str,
    stop: asyncio.Event,
) -> None:
    outcome.started.add(("telegram", str(user)))
    await front.update(fake.text(user, problem))
    asked = time.monotonic()
    seen, pressed = 0, set()
    while not stop.is_set():
        box = fake.sent[str(user)]
        if len(box) == seen:
            await asyncio.sleep(0.1)
            continue
        fresh, seen = box[seen:], len(box)
        outcome.turn_seconds.append(time.monotonic() - asked)
        for message in fresh:
            found = FILED.search(message.text)
            if found:
                outcome.told[("telegram", str(user))] = int(found.group(1))
                return
        last = fresh[-1]
        buttons = dict(last.buttons)
        label = choose(list(buttons), category)
        if label is None or last.message_id in pressed:
            continue
        pressed.add(last.message_id)
        await front.update(fake.press(user, buttons[label]))
        asked = time.monotonic()


#: What ends a technician's wait on a report: done, a refusal, or a stale button (the
#: done notice may come joined under another text, so these are looked for anywhere).
_REPORT_ENDS = ("Готово: заявка", "действие недоступно", "действие уже недоступно")


async def technician(front: Front, user: str, stop: asyncio.Event) -> None:
    """Accept, start and finish every job, one action at a time: a report is a dialogue
    of its own (press Done, comment, press Ready), and any other button pressed meanwhile
    abandons it, as it would for a person."""
    cursor = 0
    actions: list[tuple[str, str]] = []  # (label, payload), in the order they came
    reporting, reporting_since = "", 0.0
    while not stop.is_set():
        messages = await front.messages(user, cursor, wait=2)
        for message in messages:
            cursor = message["id"]
            body = message["text"]
            buttons = {b["text"]: b["payload"] for row in message["buttons"] for b in row}
            if "фотоотчёт" in body:
                await front.post({"chat": user, "user": user, "text": "заменил, всё работает"})
            elif "Комментарий записан" in body:
                ready = next(p for t, p in buttons.items() if "Готово" in t)
                await front.post({"chat": user, "user": user, "button": ready})
            elif any(end in body for end in _REPORT_ENDS):
                # The report went through, or the press was refused (the job moved on):
                # either way nothing more will come of it.
                reporting, reporting_since = "", 0.0
            else:
                # An emergency's job says "on site" and "repaired" for start and done.
                for wanted in ("Принять", "Начать", "На месте", "Выполнено", "Устранена"):
                    payload = next((p for t, p in buttons.items() if wanted in t), None)
                    if payload is not None:
                        actions.append((wanted, payload))
                        break
        # No answer in 90 s (longer than a message's claim and a hung call): press again
        # later, as a person would; a second press of a finished job is refused.
        if reporting_since and time.monotonic() - reporting_since > 90:
            actions.append(("Выполнено", reporting))
            reporting, reporting_since = "", 0.0
        while actions and not reporting_since:
            label, payload = actions.pop(0)
            await front.post({"chat": user, "user": user, "button": payload})
            if label in ("Выполнено", "Устранена"):
                reporting, reporting_since = payload, time.monotonic()


# --- the run -----------------------------------------------------------------------------


async def counts(engine: AsyncEngine, sql: str) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text(sql))).scalar() or 0)


async def quiet(engine: AsyncEngine, outcome: Outcome, limit: float) -> float:
    """Seconds until every started resident has a number, the inbox is empty, no message
    is pending and every request is done (or the bound, whichever comes first); what is
    still open is printed every 10 s."""
    began = shown = time.monotonic()
    while time.monotonic() - began < limit:
        with contextlib.suppress(OSError, DBAPIError):
            busy = await rows(
                engine,
                "SELECT (SELECT count(*) FROM inbox WHERE processed_at IS NULL),"
                " (SELECT count(*) FROM outbox WHERE status = 'pending'),"
                " (SELECT count(*) FROM requests WHERE status NOT IN ('done', 'closed'))",
            )
            waiting = len(outcome.started - set(outcome.told))
            if not any(busy[0]) and not waiting:
                return time.monotonic() - began
            if time.monotonic() - shown > 10:
                shown = time.monotonic()
                inbox, outbox, open_requests = busy[0]
                print(
                    f"  waiting: {inbox} updates, {outbox} messages, {open_requests} requests"
                    f" not done, {waiting} residents without a number",
                    file=sys.stderr,
                )
        await asyncio.sleep(0.5)
    return time.monotonic() - began


async def rows(engine: AsyncEngine, sql: str) -> list[Any]:
    async with engine.connect() as conn:
        return list((await conn.execute(text(sql))).all())


async def chaos(
    cluster: Cluster,
    pg: PgServer,
    plan: Plan,
    rng: random.Random,
    figures: Counter[str],
    events: list[tuple[float, str]],
) -> None:
    """SIGKILL a random process at random moments of the first two thirds of the arrivals
    and restart it after a moment; restart PostgreSQL once, half-way.  Returns when the
    arrivals are over and every process is back."""
    began = time.monotonic()
    kills = sorted(rng.uniform(0.05, 0.7) * plan.arrivals_seconds for _ in range(plan.kills))
    schedule = sorted([(at, "kill") for at in kills] + [(plan.arrivals_seconds / 2, "pg")])
    restarts: list[asyncio.Task[None]] = []

    async def restart(index: int, pause: float) -> None:
        await asyncio.sleep(pause)
        await cluster.start(index)
        figures["restarts"] += 1

    for at, what in schedule:
        await asyncio.sleep(max(0.0, began + at - time.monotonic()))
        if what == "pg":
            events.append((time.monotonic(), "PostgreSQL restart"))
            await asyncio.to_thread(pg.restart)
            figures["pg_restarts"] += 1
            continue
        pending = [task for task in restarts if not task.done()]
        if not any(cluster.up) and pending:  # all are down: the kill waits for a restart
            await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        index = rng.choice([i for i, alive in enumerate(cluster.up) if alive])
        events.append((time.monotonic(), f"SIGKILL of process {index}"))
        cluster.kill(index)
        figures["kills"] += 1
        restarts.append(asyncio.create_task(restart(index, rng.uniform(0.2, 1.5))))
    await asyncio.sleep(max(0.0, began + plan.arrivals_seconds - time.monotonic()))
    await asyncio.gather(*restarts)


async def check(
    engine: AsyncEngine, fake: FakeTelegram, outcome: Outcome, kills: int
) -> tuple[list[str], dict[str, int]]:
    """The invariants; returns the failures and the figures."""
    failures: list[str] = []
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT r.number, i.channel, i.external_id, r.status FROM requests r"
                    " JOIN identities i ON i.person_id = r.reporter_id"
                )
            )
        ).all()
        filed_by: dict[int, set[tuple[str, str]]] = {}
        statuses: dict[int, str] = {}
        for number, channel, external, status in rows:
            filed_by.setdefault(number, set()).add((channel, external))
            statuses[number] = status
        numbers = Counter(
            n for (n,) in (await conn.execute(text("SELECT number FROM requests"))).all()
        )
        reminders_twice = await _scalar(
            conn,
            "SELECT count(*) FROM (SELECT 1 FROM reminders GROUP BY request_id, kind, period"
            " HAVING count(*) > 1) twice",
        )
        undelivered = await _scalar(conn, "SELECT count(*) FROM outbox WHERE status <> 'sent'")
        unhandled = await _scalar(conn, "SELECT count(*) FROM inbox WHERE processed_at IS NULL")
        retried = await _scalar(conn, "SELECT count(*) FROM inbox WHERE attempts > 0")
        sent = "FROM outbox WHERE NOT answer AND status = 'sent' AND channel ="
        expected = await _per_chat(conn, f"SELECT chat, count(*) {sent} 'telegram' GROUP BY chat")
        web_expected = await _per_chat(conn, f"SELECT chat, count(*) {sent} 'web' GROUP BY chat")
        web_got = await _per_chat(conn, "SELECT chat, count(*) FROM web_messages GROUP BY chat")
    for (channel, user), number in sorted(outcome.told.items()):
        if numbers[number] != 1:
            failures.append(f"request №{number} told to {channel}:{user} exists {numbers[number]}x")
        elif (channel, user) not in filed_by.get(number, set()):
            failures.append(f"request №{number} told to {channel}:{user} is someone else's")
    told_numbers = Counter(outcome.told.values())
    for number, times in told_numbers.items():
        if times > 1:
            failures.append(f"request №{number} was told to {times} residents")
    stuck = sorted(outcome.started - set(outcome.told))
    if stuck:
        failures.append(f"{len(stuck)} residents never got a number: {stuck[:5]}")
    untold = sorted(set(numbers) - set(told_numbers))
    not_done = sorted(n for n, s in statuses.items() if s not in ("done", "closed"))
    if not_done:
        shown = ", ".join(f"№{n} {statuses[n]}" for n in not_done[:5])
        failures.append(f"{len(not_done)} requests never reached done: {shown}")
        async with engine.connect() as conn:
            said = await conn.execute(
                text(
                    "SELECT chat, body->>'text' FROM web_messages"
                    " WHERE (chat LIKE 'tech-%' OR chat = 'dispatch')"
                    " AND body->>'text' LIKE :number ORDER BY id"
                ),
                {"number": f"%№{not_done[0]}%"},
            )
            for chat, words in said.all():
                print(f"  {chat} was told: {words[:300]!r}")
    if reminders_twice:
        failures.append(f"{reminders_twice} reminders recorded twice")
    if undelivered or unhandled:
        failures.append(f"{undelivered} messages not delivered, {unhandled} updates not handled")
    lost = duplicated = 0
    for chat in set(expected) | {c for c, box in fake.sent.items() if box}:
        # A question with both a contact keyboard and buttons comes as two messages, the
        # first an arrow: one outbox row.
        got = sum(1 for m in fake.sent.get(chat, []) if m.text != CONTACT_KEYBOARD_CARRIER)
        want = expected.get(chat, 0)
        lost += max(0, want - got)
        duplicated += max(0, got - want)
    web_lost = web_duplicated = 0
    for chat in set(web_expected) | set(web_got):
        got, want = web_got.get(chat, 0), web_expected.get(chat, 0)
        web_lost += max(0, want - got)
        web_duplicated += max(0, got - want)
    if lost or web_lost:
        failures.append(f"messages lost: {lost} on Telegram, {web_lost} on the web chat")
    if duplicated + web_duplicated > kills:
        failures.append(
            f"{duplicated + web_duplicated} duplicate deliveries for {kills} kills "
            "(at most one each)"
        )
    figures = {
        "requests": len(numbers),
        "told": len(outcome.told),
        "untold requests": len(untold),
        "lost": lost + web_lost + len(stuck),
        "duplicated (telegram)": duplicated,
        "duplicated (web)": web_duplicated,
        "updates retried in the inbox": retried,
    }
    return failures, figures


async def _scalar(conn: Any, sql: str) -> int:
    return int((await conn.execute(text(sql))).scalar() or 0)


async def _per_chat(conn: Any, sql: str) -> dict[str, int]:
    return {str(chat): int(count) for chat, count in (await conn.execute(text(sql))).all()}


async def fault_run(plan: Plan, seed: int, workdir: Path) -> bool:
    rng = random.Random(seed)
    fake = FaultyTelegram(rng=random.Random(rng.getrandbits(64)))
    api = await fake.start()
    figures: Counter[str] = Counter()
    with throwaway_postgres(dbname="fault_suite") as pg:
        cluster = Cluster(workdir, pg.url, api, 2)
        engine = create_async_engine(pg.url, poolclass=NullPool)
        try:
            starting = time.monotonic()
            await cluster.start_all()
            started = time.monotonic() - starting
            fake.rate, fake.timeouts_left = plan.fault_rate, plan.timeouts
            async with ClientSession(timeout=ClientTimeout(total=40)) as http:
                front = Front(cluster, http, random.Random(rng.getrandbits(64)))
                outcome, stop = Outcome(), asyncio.Event()
                people = _people(front, fake, outcome, plan, rng, stop)
                events: list[tuple[float, str]] = []
                began = time.monotonic()
                await chaos(cluster, pg, plan, rng, figures, events)
                faulted = time.monotonic() - began
                fake.rate = 0.0  # the fault window is over: now it must all come out
                waited = await quiet(engine, outcome, plan.quiet_seconds)
                stop.set()
                await asyncio.gather(*people, return_exceptions=True)
                failures, found = await check(engine, fake, outcome, figures["kills"])
        finally:
            cluster.stop()
            await engine.dispose()
            await fake.close()
    print(f"fault suite: seed {seed}, 2 service processes on PostgreSQL, {workdir}")
    for name, value in {
        **found,
        "kills": figures["kills"],
        "restarts": figures["restarts"],
        "unexpected exits": cluster.unexpected_exits,
        "PG restarts": figures["pg_restarts"],
        "429 injected": fake.injected["429"],
        "5xx injected": fake.injected["500"] + fake.injected["502"],
        "timeouts injected": fake.injected["timeout"],
    }.items():
        print(f"  {name:32} {value}")
    print(
        f"  seconds: {started:.1f} starting, {faulted:.1f} under faults, {waited:.1f} to quiet"
        f" (bound {plan.quiet_seconds:.0f})"
    )
    for failure in failures:
        print(f"  FAIL: {failure}")
    if failures:
        for at, what in events:
            print(f"  at {at - began:6.1f} s: {what}")
        for (chat, sent), times in fake.arrivals.items():
            if len(times) > 1:
                when = ", ".join(f"{t - began:.1f}" for t in times)
                print(f"  telegram chat {chat} got {len(times)}x at {when} s: {sent[:50]!r}")
    print(f"{'PASS' if not failures else 'FAIL'} (seed {seed})")
    return not failures


def _people(
    front: Front,
    fake: FakeTelegram,
    outcome: Outcome,
    plan: Plan,
    rng: random.Random,
    stop: asyncio.Event,
) -> list[asyncio.Task[None]]:
    async def later(delay: float, job: Awaitable[None]) -> None:
        await asyncio.sleep(delay)
        await job

    tasks = [asyncio.create_task(technician(front, t, stop)) for t in ("tech-1", "tech-2")]
    total = plan.web_residents + plan.telegram_residents
    for i in range(total):
        problem, category = rng.choice(PROBLEMS)
        problem = problem.format(n=i % 40 + 1)
        delay = rng.uniform(0, plan.arrivals_seconds)
        if i < plan.web_residents:
            job = web_resident(front, outcome, f"fw-{i}", problem, category, stop)
        else:
            job = telegram_resident(front, fake, outcome, 70_000 + i, problem, category, stop)
        tasks.append(asyncio.create_task(later(delay, job)))
    return tasks


# --- the scale path ----------------------------------------------------------------------


def tree_cpu(root: int) -> float:
    """CPU seconds of a process, its reaped children and its live descendants (/proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(stat[1]), []).append(int(entry))
    total = 0.0
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{root}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(stat[13]) + int(stat[14])) / os.sysconf("SC_CLK_TCK")  # reaped
    stack = [root]
    while stack:
        pid = stack.pop()
        with contextlib.suppress(OSError):
            total += cpu_of(pid)
        stack.extend(children.get(pid, []))
    return total


async def lock_sampler(url: str, stop: asyncio.Event, samples: list[int]) -> None:
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    try:
        while not stop.is_set():
            waiting = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            )
            samples.append(int(waiting))
            await asyncio.sleep(0.05)
    finally:
        await conn.close()


@dataclass
class ScaleFigures:
    processes: int
    updates: int
    seconds: float
    service_ms: list[float]
    postgres_ms: float
    lock_seconds: float
    turn_p50: float
    turn_p99: float


async def scale_run(plan: Plan, processes: int, pg: PgServer, workdir: Path) -> ScaleFigures:
    await reset_database(pg.url)
    fake = FaultyTelegram()
    api = await fake.start()
    cluster = Cluster(workdir / f"scale-{processes}", pg.url, api, processes)
    engine = create_async_engine(pg.url, poolclass=NullPool)
    try:
        await cluster.start_all()
        pids, postmaster = cluster.pids(), pg.postmaster_pid()
        handled_before = await counts(engine, "SELECT count(*) FROM inbox")
        cpu_before = [cpu_of(p) for p in pids], tree_cpu(postmaster)
        samples: list[int] = []
        stop_sampling = asyncio.Event()
        sampler = asyncio.create_task(lock_sampler(pg.url, stop_sampling, samples))
        began = time.monotonic()
        async with ClientSession(timeout=ClientTimeout(total=40)) as http:
            front = Front(cluster, http, random.Random(1))
            outcome, stop = Outcome(), asyncio.Event()
            people = _people(front, fake, outcome, plan, random.Random(1), stop)
            await asyncio.sleep(plan.arrivals_seconds)
            await quiet(engine, outcome, plan.quiet_seconds)
            seconds = time.monotonic() - began
            cpu_after = [cpu_of(p) for p in pids], tree_cpu(postmaster)
            stop.set()
            await asyncio.gather(*people, return_exceptions=True)
        stop_sampling.set()
        await sampler
        updates = await counts(engine, "SELECT count(*) FROM inbox") - handled_before
    finally:
        cluster.stop()
        await engine.dispose()
        await fake.close()
    per = 1000 / max(updates, 1)
    return ScaleFigures(
        processes,
        updates,
        seconds,
        [(after - before) * per for before, after in zip(cpu_before[0], cpu_after[0], strict=True)],
        (cpu_after[1] - cpu_before[1]) * per,
        sum(samples) * 0.05,
        percentile(outcome.turn_seconds, 0.5) * 1000,
        percentile(outcome.turn_seconds, 0.99) * 1000,
    )


async def scale(plan: Plan, workdir: Path) -> None:
    with throwaway_postgres(dbname="scale_path") as pg:
        results = [await scale_run(plan, n, pg, workdir) for n in (1, 2)]
    print(
        f"scale path: {plan.web_residents} web residents filing over {plan.arrivals_seconds:.0f} s,"
        " two technicians; the same offered load on one and on two service processes"
    )
    print(
        "  processes | updates | seconds | service CPU ms/update (each) | PostgreSQL CPU "
        "ms/update | lock waits s | turn p50 / p99 ms"
    )
    for r in results:
        each = " + ".join(f"{ms:.2f}" for ms in r.service_ms)
        print(
            f"  {r.processes:9} | {r.updates:7} | {r.seconds:7.1f} | {each:28} | "
            f"{r.postgres_ms:24.2f} | {r.lock_seconds:12.2f} | {r.turn_p50:.0f} / {r.turn_p99:.0f}"
        )
    one, two = results
    print(
        f"  from one to two: service CPU per update {sum(one.service_ms):.2f} -> "
        f"{sum(two.service_ms):.2f} ms, PostgreSQL {one.postgres_ms:.2f} -> "
        f"{two.postgres_ms:.2f} ms, lock waits {one.lock_seconds:.2f} -> {two.lock_seconds:.2f} s"
    )
    print(
        f"  a third process, if the step repeats: {two.postgres_ms - one.postgres_ms:+.2f} ms of"
        f" PostgreSQL CPU and {sum(two.service_ms) - sum(one.service_ms):+.2f} ms of service CPU"
        f" per update, {two.lock_seconds - one.lock_seconds:+.2f} s more lock waits"
    )
    print(
        "  (lock waits: pg_stat_activity sampled every 50 ms, backends with wait_event_type"
        " 'Lock', times 50 ms; turn: a resident's message to the bot's next reply through the"
        " web chat API, which another process's reply reaches within its 1 s re-check)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="the CI form (about 1-2 minutes)")
    parser.add_argument("--scale", action="store_true", help="one vs two processes, no faults")
    parser.add_argument("--seed", type=int, default=None, help="replay a run")
    args = parser.parse_args()
    if args.scale:
        plan = SCALE_SHORT if args.short else SCALE_FULL
    else:
        plan = SHORT if args.short else FULL
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    workdir = Path(tempfile.mkdtemp(prefix="fault-suite-"))
    if args.scale:
        asyncio.run(scale(plan, workdir))
        passed = True
    else:
        passed = asyncio.run(fault_run(plan, seed, workdir))
    if passed:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"the services' logs are kept in {workdir}")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    main()
