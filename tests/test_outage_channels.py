"""An outage declared in the dispatchers' group reaches every resident of the building in
their own messenger (web chat, Telegram, Viber, WhatsApp, each behind its fake HTTP
server), once, within each channel's limits: the sends per second the fake servers saw
stay under the channel's rate limit, each message within the messenger's own limits, and
a WhatsApp resident outside the 24-hour window gets the approved template rather than a
free-form message WhatsApp would refuse.  The end of the outage goes the same way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.telegram.settings import TelegramSettings
from adapters.viber.settings import ViberSettings
from core.storage.tables import Building, Identity, OutboxItem, Person
from tests.support.harness import FakeClock, Harness, make_harness
from tests.telegram.fake_api import TOKEN as TELEGRAM_TOKEN
from tests.telegram.fake_api import FakeTelegram
from tests.test_limiter import max_in_window
from tests.test_sweeps import GROUP, msk, sweep
from tests.viber.fake_api import FakeViber
from tests.whatsapp.fake_api import FakeCloudApi
from tests.whatsapp.harness import whatsapp_settings

#: More Telegram residents than Telegram's 30 messages a second overall.
TELEGRAM_PEOPLE = [str(700_000 + n) for n in range(34)]
#: One person on Telegram and the web chat, who chose Telegram for notices.
BOTH = "700999"
VIBER_PEOPLE = [f"vb{n}+AbCdEfGh==" for n in range(4)]
WHATSAPP_PEOPLE = [f"7901000{n:04d}" for n in range(7)]
#: Last wrote two days ago: outside WhatsApp's 24-hour window.
WHATSAPP_SILENT = "79019999999"
WEB_PEOPLE = [f"web-{n}" for n in range(3)]
#: The demo data's resident of Ленина 5, on the web chat.
DEMO_RESIDENT = "res-1"
TELEGRAM_PER_SECOND = 30
WHATSAPP_PER_SECOND = 3
#: A send booked at the limit reaches the fake a few ms later; on a busy machine more.
#: The window counted is this much shorter than the limit's second, which still catches
#: any burst over the limit (unlimited, the 35 Telegram sends arrive within ~0.1 s).
JITTER = 0.1
DECLARE = "/outage Ленина 5 плановое отключение горячей воды с 10:00 до 18:00"


@dataclass
class Fakes:
    telegram: FakeTelegram
    viber: FakeViber
    whatsapp: FakeCloudApi


@pytest.fixture
async def fakes() -> AsyncIterator[Fakes]:
    telegram, viber, whatsapp = FakeTelegram(), FakeViber(), FakeCloudApi()
    await telegram.start()
    await viber.start()
    await whatsapp.start()
    try:
        yield Fakes(telegram, viber, whatsapp)
    finally:
        await telegram.close()
        await viber.close()
        await whatsapp.close()


@pytest.fixture
async def town(tmp_path: Path, clock: FakeClock, fakes: Fakes) -> AsyncIterator[Harness]:
    """The service with every channel on, and residents of Ленина 5 known in each."""
    assert fakes.telegram.server is not None and fakes.viber.server is not None
    channels = {
        "telegram": TelegramSettings(
            bot_token=TELEGRAM_TOKEN,
            api_base=str(fakes.telegram.server.make_url("")).rstrip("/"),
            max_per_second=TELEGRAM_PER_SECOND,
            _env_file=None,
        ),
        "viber": ViberSettings(
            auth_token=fakes.viber.token,
            bot_name="УК",
            api_base=str(fakes.viber.server.make_url("/pa")),
            _env_file=None,
        ),
        "whatsapp": whatsapp_settings(fakes.whatsapp.base).model_copy(
            update={"max_per_second": WHATSAPP_PER_SECOND}
        ),
    }
    database = f"sqlite+aiosqlite:///{tmp_path}/town.db"
    async with make_harness(database, tmp_path, clock, channels=channels) as h:
        fakes.telegram.enforce_limits = True
        fakes.viber.subscribed.update(VIBER_PEOPLE)
        fakes.whatsapp.closed.add(WHATSAPP_SILENT)  # WhatsApp refuses them free-form
        now = clock()
        people = [
            *(("telegram", chat, now) for chat in TELEGRAM_PEOPLE),
            *(("viber", chat, now) for chat in VIBER_PEOPLE),
            *(("whatsapp", chat, now) for chat in WHATSAPP_PEOPLE),
            ("whatsapp", WHATSAPP_SILENT, now - timedelta(days=2)),
            *(("web", chat, now) for chat in WEB_PEOPLE),
        ]
        async with h.app.db.transaction() as session:
            lenina = await session.scalar(select(Building).where(Building.code == "len5"))
            assert lenina is not None
            for n, (channel, chat, seen) in enumerate(people):
                person = await _resident(session, lenina.id, f"{channel}-{n}", now, channel)
                session.add(_identity(person.id, channel, chat, seen))
            both = await _resident(session, lenina.id, "both", now, "telegram")
            session.add(_identity(both.id, "telegram", BOTH, now))
            session.add(_identity(both.id, "web", "web-both", now - timedelta(hours=1)))
        await sweep(h)  # the day's digest, out of the way
        await h.skip(GROUP)
        yield h


async def _resident(
    session: AsyncSession, building: int, name: str, now: datetime, notify: str
) -> Person:
    person = Person(
        name=name,
        role="resident",
        home_building_id=building,
        home_location="apartment:30",
        notify_channel=notify,
        created_at=now,
    )
    session.add(person)
    await session.flush()
    return person


def _identity(person: int, channel: str, chat: str, seen: datetime) -> Identity:
    return Identity(
        person_id=person, channel=channel, external_id=chat, chat=chat, last_seen_at=seen
    )


async def deliver_everything(h: Harness, bound: float = 60.0) -> None:
    """Run the outbox as its worker does, waiting when a rate limit holds messages back,
    until nothing is pending (bounded)."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + bound
    while True:
        await h.settle()
        async with h.app.db.reading() as session:
            pending = await session.scalar(
                select(func.count(OutboxItem.id)).where(OutboxItem.status == "pending")
            )
        if not pending:
            return
        assert loop.time() < give_up, f"{pending} messages still pending after {bound} s"
        await asyncio.sleep(min(h.app.outbox.next_wait or 0.05, 1.0))


def telegram_texts(fakes: Fakes, chat: str) -> list[str]:
    return [m.text for m in fakes.telegram.read(chat)]


def viber_texts(fakes: Fakes, user: str, seen: int) -> list[str]:
    return [str(body.get("text", "")) for body in fakes.viber.sends(user)[seen:]]


def whatsapp_bodies(fakes: Fakes, phone: str, seen: int) -> list[dict[str, object]]:
    return fakes.whatsapp.to(phone)[seen:]


async def told_once_everywhere(h: Harness, fakes: Fakes, words: str, seen: int) -> None:
    """Each resident got exactly one message saying ``words`` in their own channel
    (``seen``: how many each Viber and WhatsApp resident had before)."""
    for chat in [*TELEGRAM_PEOPLE, BOTH]:
        got = telegram_texts(fakes, chat)
        assert len(got) == 1 and words in got[0], (chat, got)
    for user in VIBER_PEOPLE:
        got = viber_texts(fakes, user, seen)
        assert len(got) == 1 and words in got[0], (user, got)
    for phone in WHATSAPP_PEOPLE:
        bodies = whatsapp_bodies(fakes, phone, seen)
        assert [b["type"] for b in bodies] == ["text"], (phone, bodies)
        assert words in FakeCloudApi.text_of(bodies[0])
    # Outside the window: the approved template, never a free-form message refused.
    silent = whatsapp_bodies(fakes, WHATSAPP_SILENT, seen)
    assert [b["type"] for b in silent] == ["template"], silent
    assert words in FakeCloudApi.text_of(silent[0])
    for chat in [*WEB_PEOPLE, DEMO_RESIDENT]:
        got = [m.text for m in await h.read(chat)]
        assert len(got) == 1 and words in got[0], (chat, got)
    assert await h.read("web-both") == []  # told on Telegram, the messenger they chose


def within_the_limits(fakes: Fakes) -> None:
    sends = [c for c in fakes.telegram.calls if c.method == "sendMessage"]
    assert max_in_window([c.at for c in sends], 1.0 - JITTER) <= TELEGRAM_PER_SECOND
    for chat in {c.chat for c in sends}:
        assert max_in_window([c.at for c in sends if c.chat == chat], 1.0 - JITTER) <= 1, chat
    assert fakes.telegram.too_many == 0
    assert max_in_window([s.at for s in fakes.whatsapp.sent], 1.0 - JITTER) <= WHATSAPP_PER_SECOND
    assert fakes.whatsapp.violations == [] and fakes.whatsapp.window_refusals == 0
    refused = [b for c in fakes.viber.calls for b in [c.body] if b.get("_problem")]
    assert refused == [], refused


async def test_an_outage_reaches_every_channel_within_its_limits(
    town: Harness, fakes: Fakes
) -> None:
    h = town
    reply = (await h.say("disp-1", DECLARE, chat=GROUP))[-1].text
    everyone = len(TELEGRAM_PEOPLE) + len(VIBER_PEOPLE) + len(WHATSAPP_PEOPLE) + 2
    everyone += len(WEB_PEOPLE) + 1
    assert f"Сообщено жителям: {everyone}" in reply, reply
    await deliver_everything(h)
    await told_once_everywhere(h, fakes, "Плановое отключение", 0)
    within_the_limits(fakes)
    # Over the limit at once, so the limiter really held sends back.
    sends = [c.at for c in fakes.telegram.calls if c.method == "sendMessage"]
    assert max(sends) - min(sends) >= 1.0 - JITTER

    # The announced end passes: everyone is told, once, the same way.
    await sweep(h, msk(24, 18).astimezone(UTC))
    await deliver_everything(h)
    await told_once_everywhere(h, fakes, "Устранено", 1)
    within_the_limits(fakes)
