"""Bad input gets a clear answer and changes nothing."""

from __future__ import annotations

import asyncio
import io

import pytest
from aiohttp import FormData
from sqlalchemy import select

from core import services
from core.lifecycle import Action
from core.payloads import RequestAction
from core.storage.tables import Person, Request
from tests.support.harness import PNG, Harness, file_request, make_harness

GROUP = "dispatch"


async def test_api_rejects_malformed_requests(harness: Harness) -> None:
    c = harness.client
    cases = [
        (dict(data=b"{not json", headers={"Content-Type": "application/json"}), 400),
        (dict(json=["a list"]), 400),
        (dict(json={"chat": "res-1", "user": "res-1"}), 400),
        (dict(json={"chat": "res-1", "user": "res-1", "text": "x", "button": "y"}), 400),
        (dict(json={"chat": "res-1", "user": "res-1", "text": "x", "admin": True}), 400),
        (dict(json={"chat": "res 1", "user": "res-1", "text": "x"}), 400),
        (dict(json={"chat": "a" * 65, "user": "a" * 65, "text": "x"}), 400),
        (dict(json={"chat": "res-1", "user": "res-1", "text": 5}), 400),
        (dict(json={"chat": "res-1", "user": "res-1", "text": "я" * 4097}), 413),
        (dict(json={"chat": "res-1", "user": "res-1", "button": "x" * 65}), 400),
        (dict(data=b"plain", headers={"Content-Type": "text/plain"}), 415),
    ]
    for kwargs, status in cases:
        response = await c.post("/api/web/messages", **kwargs)
        assert response.status == status, (kwargs, await response.text())
        assert "error" in await response.json()
    for query in ("chat=res-1&after=-1", "chat=res-1&wait=31", "chat=../x", "chat=res-1&after=x"):
        response = await c.get(f"/api/web/messages?{query}")
        assert response.status == 400, query
    await harness.settle()
    assert await harness.read("res-1") == []


async def test_uploads_must_be_images_within_the_limit(harness: Harness) -> None:
    c = harness.client

    async def upload(data: bytes, **extra: str) -> tuple[int, dict[str, str]]:
        form = FormData()
        form.add_field("chat", "res-1")
        form.add_field("user", "res-1")
        for key, value in extra.items():
            form.add_field(key, value)
        form.add_field("photo", io.BytesIO(data), filename="x.png", content_type="image/png")
        response = await c.post("/api/web/messages", data=form)
        return response.status, await response.json()

    status, body = await upload(b"#!/bin/sh\necho not an image")
    assert status == 400 and "not a JPEG" in body["error"]
    status, body = await upload(PNG + b"0" * (10 * 1024 * 1024))
    assert status == 413
    status, body = await upload(PNG, extra="x")
    assert status == 400 and "unknown field" in body["error"]
    status, body = await upload(b"")
    assert status == 400
    await harness.settle()
    assert await harness.read("res-1") == []


async def test_free_text_where_a_button_is_expected(harness: Harness) -> None:
    h = harness
    replies = await h.say("res-1", "Ленина 5, кв 12 — течёт кран на кухне")
    replies = await h.say("res-1", "абракадабра")
    assert "выберите вариант" in replies[0].text
    assert "тип проблемы" in replies[-1].text  # asked again
    replies = await h.say("res-1", "/foo")
    assert "Не знаю такой команды" in replies[0].text
    assert "тип проблемы" in replies[-1].text


async def test_overlong_text_in_dialogue_is_refused_politely(harness: Harness) -> None:
    h = harness
    h.app.services.settings.max_text_chars = 200
    await h.say("res-1", "не работает лифт")
    replies = await h.say("res-1", "Ленина 5 " + "очень " * 100)
    assert "слишком длинное" in replies[-1].text


async def test_forged_and_malformed_buttons_change_nothing(harness: Harness) -> None:
    h = harness
    number = (await file_request(h)).number
    card = (await h.read(GROUP))[-1]
    assign = card.button("Назначить")
    request_id = int(assign.split(":")[3])
    forged = [
        "garbage",
        "v1:r:zz:1:1",
        "v2:r:as:1:1:1",
        "v1:r:as:x:1:2",
        "v1:q:confirm:yes",
        RequestAction("as", request_id, 1, "1").encode(),  # a resident "assigning"
        RequestAction("cl", request_id, 1).encode(),  # a resident "closing"
        RequestAction("ac", request_id, 1).encode(),
        RequestAction("ok", 999_999, 1).encode(),
    ]
    for payload in forged:
        replies = await h.press("res-2", payload)
        assert any("недоступно" in m.text for m in replies), (payload, [m.text for m in replies])
    # A technician cannot act on a job that is not theirs.
    replies = await h.press("tech-2", RequestAction("ac", request_id, 1).encode())
    assert "недоступно" in replies[-1].text
    status = (await h.say("res-1", f"статус {number}"))[-1]
    assert "новая" in status.text
    assert await h.read(GROUP) == []


async def test_stale_buttons_after_reassignment_and_close(harness: Harness) -> None:
    h = harness
    await file_request(h)
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    card = (await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP))[-1]
    job = (await h.read("tech-1"))[-1]
    # Reassigned to another technician before tech-1 accepted.
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    fresh = (await h.press("disp-1", picker.button("Николай Попов"), chat=GROUP))[-1]
    assert "передана другому" in (await h.read("tech-1"))[-1].text
    replies = await h.press("tech-1", job.button("Принять"))
    assert "недоступно" in replies[-1].text
    # The old card's buttons are stale too.
    replies = await h.press("disp-2", card.button("Отклонить"), chat=GROUP)
    assert "только что изменили" in replies[-1].text
    # Closed by a dispatcher: the technician's fresh card no longer works.
    job4 = (await h.read("tech-4"))[-1]
    await h.press("disp-1", fresh.button("Закрыть"), chat=GROUP)
    replies = await h.press("tech-4", job4.button("Принять"))
    assert "недоступно" in replies[-1].text


async def test_a_job_card_is_stale_once_the_request_changed(harness: Harness) -> None:
    """Same technician, same state, but the request changed since the card was sent
    (the urgency went up): the old card's «Принять» changes nothing."""
    h = harness
    filed = await file_request(h)
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    card = (await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP))[-1]
    job = (await h.read("tech-1"))[-1]
    picker = (await h.press("disp-1", card.button("Срочность"), chat=GROUP))[-1]
    # A leaking tap is already urgent by its norm (1 day): raise it to an emergency.
    assert "Авария" in (await h.press("disp-1", picker.button("Авария"), chat=GROUP))[-1].text
    await h.read("tech-1")
    replies = await h.press("tech-1", job.button("Принять"))
    assert "недоступно" in replies[-1].text
    async with h.app.db.reading() as session:
        request = await session.scalar(select(Request).where(Request.number == filed.number))
    assert request is not None and request.status == "assigned"


async def test_the_use_case_refuses_any_version_but_the_current(harness: Harness) -> None:
    """Whatever the dialogue checked before, the use case itself acts only on the
    version it is given: an older or a newer one is refused and changes nothing."""
    h = harness
    filed = await file_request(h)
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP)
    async with h.app.db.reading() as session:
        tech = await session.scalar(select(Person).where(Person.code == "tech-1"))
        request = await session.scalar(select(Request).where(Request.number == filed.number))
    assert tech is not None and request is not None and request.version > 1
    for version in (request.version - 1, request.version + 1):
        with pytest.raises(services.Refused) as refused:
            async with h.app.db.transaction() as session:
                await services.transition(
                    session, h.clock(), tech, request.id, version, Action.ACCEPT
                )
        assert refused.value.reason == "stale", version
    async with h.app.db.transaction() as session:
        outcome = await services.transition(
            session, h.clock(), tech, request.id, request.version, Action.ACCEPT
        )
    assert outcome.request.status == "accepted"


async def test_two_dispatchers_assign_at_once_one_wins(harness: Harness) -> None:
    h = harness
    await file_request(h)
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    first = picker.button("Сергей Иванов")
    second = picker.button("Алексей Смирнов")
    r1, r2 = await asyncio.gather(
        h.post({"chat": GROUP, "user": "disp-1", "button": first}),
        h.post({"chat": GROUP, "user": "disp-2", "button": second}),
    )
    assert r1.status == r2.status == 202
    await h.settle()
    texts = [m.text for m in await h.read(GROUP)]
    assert sum("Назначен:" in t for t in texts) == 1, texts
    assert sum("только что изменили" in t for t in texts) == 1, texts
    jobs = [await h.read("tech-1"), await h.read("tech-2")]
    assert sorted(len(j) for j in jobs) == [0, 1]


async def test_stranger_in_the_group_and_residents_never_become_staff(harness: Harness) -> None:
    h = harness
    await file_request(h)
    card = (await h.read(GROUP))[-1]
    replies = await h.press("intruder", card.button("Назначить"), chat=GROUP)
    assert "только диспетчерам" in replies[-1].text
    replies = await h.press("res-1", card.button("Назначить"), chat=GROUP)
    assert "только диспетчерам" in replies[-1].text
    replies = await h.say("intruder", "/start inv-forgedtoken")
    assert "недействительна" in replies[-1].text
    replies = await h.say("intruder", "/open")
    assert "Открытые" not in replies[-1].text


async def test_restart_mid_dialogue_resumes(tmp_path, clock) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/restart.db"
    async with make_harness(url, tmp_path, clock) as h:
        replies = await h.say("res-1", "Ленина 5, кв 12 — течёт кран на кухне")
        question = replies[-1]
    async with make_harness(url, tmp_path, clock) as h:
        replies = await h.press("res-1", question.button("Водоснабжение"))
        assert "фото" in replies[-1].text.lower()


async def test_redelivered_event_is_processed_once(harness: Harness) -> None:
    h = harness
    body = {"chat": "res-1", "user": "res-1", "text": "/help"}
    headers = {"Idempotency-Key": "abc123"}
    first = await h.client.post("/api/web/messages", json=body, headers=headers)
    second = await h.client.post("/api/web/messages", json=body, headers=headers)
    assert (await first.json())["id"] == (await second.json())["id"]
    await h.settle()
    assert len(await h.read("res-1")) == 2  # greeting + help, once
