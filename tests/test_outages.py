"""Outage notices: a dispatcher declares an outage with a period; every resident known in
the building (or entrance) is told once, those who write get the answer at once, the end
is announced."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.classifier_port import load_classifier
from core.storage.tables import Building, Identity, Person
from tests.support.harness import FakeClock, Harness, make_harness
from tests.test_sweeps import GROUP, msk, sweep

NEIGHBOURS = [f"len-{n}" for n in range(1, 26)]
FAR_ENTRANCE = "len-e3"


@pytest.fixture
async def ho(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    async with make_harness(
        f"sqlite+aiosqlite:///{tmp_path}/ho.db", tmp_path, clock, load_classifier("")
    ) as h:
        now = clock()
        async with h.app.db.transaction() as session:
            lenina = await session.scalar(select(Building).where(Building.code == "len5"))
            assert lenina is not None
            homes = [(code, f"apartment:{20 + i}") for i, code in enumerate(NEIGHBOURS)]
            for code, home in [*homes, (FAR_ENTRANCE, "entrance:3;floor:2")]:
                person = Person(
                    name=code,
                    role="resident",
                    home_building_id=lenina.id,
                    home_location=home,
                    created_at=now,
                )
                session.add(person)
                await session.flush()
                session.add(
                    Identity(
                        person_id=person.id,
                        channel="web",
                        external_id=code,
                        chat=code,
                        last_seen_at=now,
                    )
                )
        await sweep(h)  # the day's digest, out of the way
        await h.skip(GROUP)
        yield h


async def texts(h: Harness, chat: str) -> list[str]:
    return [m.text for m in await h.read(chat)]


async def test_an_outage_reaches_every_resident_and_its_end_too(ho: Harness) -> None:
    h = ho
    declared = await h.say(
        "disp-1", "/outage Ленина 5 плановое отключение горячей воды с 10:00 до 18:00", chat=GROUP
    )
    reply = declared[-1].text
    everyone = [*NEIGHBOURS, FAR_ENTRANCE, "res-1"]
    assert "Плановое отключение" in reply and f"Сообщено жителям: {len(everyone)}" in reply
    for chat in everyone:
        told = await texts(h, chat)
        assert len(told) == 1, chat
        assert "Плановое отключение" in told[0] and "24.11.2026 18:00" in told[0], told
    assert await texts(h, "res-2") == []  # another building

    # A resident who writes about it is answered at once.
    replies = await h.say("len-3", "Ленина 5 кв 22 нет горячей воды")
    if "Об этом уже известно" not in replies[-1].text:
        replies = await h.press("len-3", replies[-1].button("Да, верно"))
    assert "Об этом уже известно" in replies[-1].text

    # The announced end passes: everyone told it is over, once; the group sees it.
    await sweep(h, msk(24, 18).astimezone(UTC))
    for chat in everyone:
        told = await texts(h, chat)
        assert len(told) == 1 and "Устранено" in told[0], (chat, told)
    group = await texts(h, GROUP)
    assert any(f"Сообщено жителям: {len(everyone)}" in t for t in group), group
    await sweep(h, msk(24, 18, 5).astimezone(UTC))
    assert await texts(h, "len-1") == []


async def test_an_entrance_outage_spares_those_known_to_live_elsewhere(ho: Harness) -> None:
    h = ho
    reply = (
        await h.say(
            "disp-1", "/outage Ленина 5 подъезд 2 нет электричества, ремонт до 14:00", chat=GROUP
        )
    )[-1].text
    assert "Аварийное отключение" in reply and ", подъезд 2" in reply
    assert await texts(h, FAR_ENTRANCE) == []  # lives in entrance 3
    told = await texts(h, "len-7")  # entrance unknown: told rather than left out
    assert len(told) == 1 and "Аварийное отключение" in told[0]


@pytest.mark.parametrize(
    "command",
    [
        "/outage",
        "/outage Ленина 5 нет воды",  # no end
        "/outage Несуществующая 99 нет воды до 18:00",
        "/outage Ленина 5 нет воды с 19:00 до 18:00",  # ends before it starts
    ],
)
async def test_a_bad_outage_command_is_explained_and_tells_nobody(
    ho: Harness, command: str
) -> None:
    h = ho
    reply = (await h.say("disp-1", command, chat=GROUP))[-1].text
    assert "/outage" in reply or "Дата" in reply, reply
    assert await texts(h, "len-1") == []
