"""Transcripts through the real service with residents and a technician on WhatsApp (the
fake Cloud API) and the dispatchers in the web chat: filing by text and reply buttons,
a request begun with a photo alone, a job accepted and closed with a photo report, the
template for a resident silent for more than a day, a repeated message id, and forged
notifications refused."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from adapters.whatsapp.webhook import PATH
from core.storage.tables import InboxItem, OutboxItem, Request
from tests.support.harness import FakeClock, photos_of_request, png
from tests.whatsapp.fake_api import FakeCloudApi
from tests.whatsapp.harness import VERIFY_TOKEN, WaHarness, make_wa_harness

RESIDENT = "79161234567"
NEIGHBOUR = "79267654321"
TECH = "79035551122"
GROUP = "dispatch"
LEAK = "Ленина 5, кв 12 — течёт кран на кухне"


@pytest.fixture
async def wa(tmp_path: Path, fake: FakeCloudApi) -> AsyncIterator[WaHarness]:
    url = f"sqlite+aiosqlite:///{tmp_path}/svc.db"
    async with make_wa_harness(url, tmp_path, FakeClock(), fake) as harness:
        yield harness


def number_in(text: str) -> int:
    match = re.search(r"№(\d+)", text)
    assert match, text
    return int(match.group(1))


async def answer_until_filed(wa: WaHarness, phone: str) -> int:
    """Answer each question (the type, photos, phone) and confirm."""
    for _ in range(8):
        titles = " ".join(wa.options(phone))
        if "Подтвердить" in titles:
            await wa.press(phone, "Подтвердить")
            said = wa.said(phone)
            assert "принята" in said, said
            return number_in(said)
        await wa.press(
            phone, next(t for t in ("Водоснабжение", "Готово", "Пропустить") if t in titles)
        )
    raise AssertionError(wa.said(phone))


async def file_leak(wa: WaHarness, phone: str = RESIDENT) -> int:
    await wa.send(wa.fake.text(phone, LEAK, name="Анна Петровна"))
    said = wa.said(phone)
    assert "Здравствуйте" in said and "тип проблемы" in said, said
    return await answer_until_filed(wa, phone)


async def test_a_resident_files_by_text_and_reply_buttons(wa: WaHarness) -> None:
    number = await file_leak(wa)
    async with wa.h.app.db.reading() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
    assert request is not None and request.description.startswith(LEAK)
    card = (await wa.h.read(GROUP))[-1]
    assert f"№{number}" in card.text and "Анна Петровна" in card.text
    interactive = [b["interactive"] for b in wa.fake.to(RESIDENT) if b["type"] == "interactive"]
    assert interactive and all(
        len(i["action"].get("buttons", [])) <= 3 for i in interactive
    )  # more choices went as a list or a numbered text
    assert wa.fake.violations == []


async def test_a_resident_marks_an_emergency_from_the_summarys_list(wa: WaHarness) -> None:
    """Four choices at the summary are more than WhatsApp's three reply buttons: a list,
    the resident's own emergency mark one of its rows."""
    await wa.send(wa.fake.text(RESIDENT, LEAK, name="Анна Петровна"))
    while "Подтвердить" not in (titles := " ".join(wa.options(RESIDENT))):
        await wa.press(RESIDENT, next(t for t in ("Водоснабжение", "Пропустить") if t in titles))
    summary = wa.fake.to(RESIDENT)[-1]["interactive"]
    assert summary["type"] == "list"
    assert wa.options(RESIDENT) == ["✅ Подтвердить", "✏️ Изменить", "✖️ Отменить", "🚨 Это авария"]
    wa.said(RESIDENT)
    await wa.press(RESIDENT, "Это авария")
    assert "(🚨 авария — по вашей отметке)" in wa.said(RESIDENT)
    assert "Это не авария" in wa.options(RESIDENT)
    number = await answer_until_filed(wa, RESIDENT)
    card = (await wa.h.read(GROUP))[-1]
    assert f"№{number}" in card.text and "🙋 Аварию отметил житель" in card.text
    assert wa.fake.violations == []


async def test_a_resident_starts_with_a_photo_alone(wa: WaHarness) -> None:
    await wa.send(wa.fake.image(NEIGHBOUR, png(5)))
    assert "Здравствуйте" in wa.said(NEIGHBOUR)
    media = [path for path in wa.fake.hits if path.startswith("/files/")]
    assert len(media) == 1  # fetched once, with the bearer token
    await wa.send(wa.fake.text(NEIGHBOUR, "Садовая 12, кв 45 — протечка с потолка в ванной"))
    number = await answer_until_filed(wa, NEIGHBOUR)
    assert await photos_of_request(wa.h.app, number) == 1
    assert wa.fake.violations == []


async def assign_to_sergey(wa: WaHarness, number: int) -> None:
    h = wa.h
    card = (await h.read(GROUP))[-1]
    assert f"№{number}" in card.text
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP)


async def test_a_technician_on_whatsapp_accepts_and_closes_with_a_photo_report(
    wa: WaHarness,
) -> None:
    bound = await wa.bind_staff("tech-1", TECH)
    assert "Сергей Иванов" in bound, bound
    number = await file_leak(wa)
    await assign_to_sergey(wa, number)
    job = wa.said(TECH)
    assert f"№{number}" in job and "течёт кран" in job, job
    await wa.press(TECH, "Принять")
    assert "принял" in wa.said(RESIDENT)
    wa.said(TECH)
    await wa.press(TECH, "Начать")
    wa.said(TECH)
    await wa.press(TECH, "Выполнено")
    assert "фотоотчёт" in wa.said(TECH)
    await wa.send(wa.fake.image(TECH, png(99), caption="заменил прокладку"))
    await wa.send(wa.fake.text(TECH, "готово"))
    assert "выполнена" in wa.said(TECH)

    done = wa.read(RESIDENT)
    assert [b for b in done if b["type"] == "image"], done  # the report photo, uploaded
    assert "выполнены" in " ".join(map(FakeCloudApi.text_of, done))
    await wa.press(RESIDENT, "Да")
    assert "закрыта" in wa.said(RESIDENT)
    assert wa.fake.violations == []


async def test_a_resident_silent_for_a_day_gets_the_template_when_the_job_is_done(
    wa: WaHarness,
) -> None:
    number = await file_leak(wa)
    await assign_to_sergey(wa, number)
    wa.said(RESIDENT)
    wa.h.clock.advance(hours=25)
    wa.fake.closed.add(RESIDENT)  # as Meta would answer a free-form message now
    h = wa.h
    job = (await h.read("tech-1"))[-1]
    job = (await h.press("tech-1", job.button("Принять")))[-1]
    job = (await h.press("tech-1", job.button("Начать")))[-1]
    await h.press("tech-1", job.button("Выполнено"))
    await h.photo("tech-1")
    await h.say("tech-1", "готово")

    bodies = wa.read(RESIDENT)
    templates = [b["template"] for b in bodies if b["type"] == "template"]
    assert templates, bodies
    assert all(b["type"] == "template" for b in bodies)  # nothing free-form got through
    assert wa.fake.window_refusals == 0  # the window was known before any send
    notices = " ".join(map(FakeCloudApi.text_of, bodies))
    assert f"№{number}" in notices and "выполнены" in notices
    press = templates[-1]["components"][1]["parameters"][0]["payload"]
    assert press == f"/status {number}"
    # The quick reply opens the window again and asks for the request's status.
    wa.fake.closed.discard(RESIDENT)
    await wa.send(wa.fake.message(RESIDENT, "button", {"text": "Открыть", "payload": press}))
    assert f"№{number}" in wa.said(RESIDENT)
    assert wa.fake.violations == []


async def test_131047_in_a_failed_status_sends_the_notice_as_the_template(
    wa: WaHarness,
) -> None:
    number = await file_leak(wa)
    wa.fake.closed_later.add(RESIDENT)  # Meta takes the message, then reports it failed
    since = len(wa.fake.sent)
    await assign_to_sergey(wa, number)
    [notice] = wa.read(RESIDENT)
    assert notice["type"] == "text" and "назначен техник" in notice["text"]["body"]
    await wa.send(wa.fake.statuses(chat=RESIDENT, since=since))
    [template] = wa.read(RESIDENT)
    assert template["type"] == "template"
    assert "назначен техник" in FakeCloudApi.text_of(template)
    # Reported failed again (a redelivered callback): the template is not sent twice.
    await wa.send(wa.fake.statuses(chat=RESIDENT, since=since))
    assert wa.read(RESIDENT) == []


async def test_a_repeated_message_id_makes_one_request(wa: WaHarness) -> None:
    notification = wa.fake.text(RESIDENT, LEAK, wamid="wamid.HBgLNzkxNjEyMzQ1NjcVAgASGBQzQUZC")
    await wa.send(notification)
    first = wa.read(RESIDENT)
    await wa.send(notification)
    assert wa.read(RESIDENT) == [] and first
    async with wa.h.app.db.reading() as session:
        stored = await session.scalar(
            select(func.count()).select_from(InboxItem).where(InboxItem.channel == "whatsapp")
        )
    assert stored == 1


async def test_forged_notifications_and_a_wrong_verify_token_are_refused(wa: WaHarness) -> None:
    client = wa.h.client
    raw, _ = wa.fake.sign(wa.fake.text(RESIDENT, LEAK))
    unsigned = {"Content-Type": "application/json"}
    assert (await client.post(PATH, data=raw, headers=unsigned)).status == 401
    forged = FakeCloudApi(app_secret="not-the-app-secret").sign(raw)[1]
    assert (await client.post(PATH, data=raw, headers=forged)).status == 403
    await wa.h.settle()
    async with wa.h.app.db.reading() as session:
        assert await session.scalar(select(func.count()).select_from(InboxItem)) == 0
    assert wa.fake.sent == []

    query = {"hub.mode": "subscribe", "hub.challenge": "271828"}
    wrong = await client.get(PATH, params={**query, "hub.verify_token": "guess"})
    assert wrong.status == 403
    right = await client.get(PATH, params={**query, "hub.verify_token": VERIFY_TOKEN})
    assert right.status == 200 and await right.text() == "271828"


async def test_a_forged_or_stale_button_id_is_refused_and_changes_nothing(wa: WaHarness) -> None:
    number = await file_leak(wa)
    async with wa.h.app.db.reading() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
    assert request is not None
    # A resident "accepting" the job, with the request's current version, and a list
    # row whose id no codec made.
    forged = f"v1:r:ac:{request.id}:{request.version}"
    for press in (wa.fake.press(RESIDENT, forged, "Принять"), wa.fake.pick(RESIDENT, "x:y", "?")):
        await wa.send(press)
        assert "недоступно" in wa.said(RESIDENT)
    async with wa.h.app.db.reading() as session:
        again = await session.scalar(select(Request).where(Request.number == number))
    assert again is not None and (again.status, again.version) == (request.status, request.version)


async def test_statuses_are_recorded_on_the_outbox_rows(wa: WaHarness) -> None:
    await wa.send(wa.fake.text(RESIDENT, LEAK))
    await wa.send(wa.fake.statuses("read", chat=RESIDENT))
    async with wa.h.app.db.reading() as session:
        rows = list(
            await session.scalars(
                select(OutboxItem).where(
                    OutboxItem.channel == "whatsapp", OutboxItem.chat == RESIDENT
                )
            )
        )
    assert rows and all(row.receipt == "seen" for row in rows), [r.receipt for r in rows]
