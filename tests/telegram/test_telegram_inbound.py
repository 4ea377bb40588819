"""Inbound through the fake Bot API: de-duplication, the webhook secret, odd updates."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from adapters.telegram.parsing import chat_of
from bot import admin
from bot.workers import BATCH_BUDGET, FLUSH_EVERY, POLLING_BATCH_BUDGET
from core.storage.tables import GroupBinding, InboxItem, Request
from tests.support.harness import png
from tests.telegram.fake_api import FakeTelegram
from tests.telegram.harness import SECRET, WEBHOOK_PATH, TgHarness
from tests.telegram.test_telegram_transcript import RESIDENT, file_with_album

STICKER = {
    "file_id": "st",
    "file_unique_id": "st",
    "type": "regular",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
}
BOT_USER = {"id": 123, "is_bot": True, "first_name": "Бот"}
UNSUPPORTED = (
    "Я пока не умею читать такие сообщения. Пожалуйста, напишите текстом или пришлите фото."
)


async def count(h: TgHarness, table: type) -> int:
    async with h.app.db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_the_same_update_twice_files_one_request(tg: TgHarness) -> None:
    h, fake = tg, tg.fake
    number = await file_with_album(h)
    assert number
    answered = len([c for c in fake.calls if c.method == "answerCallbackQuery"])
    fake.read(RESIDENT)
    # Telegram redelivers the last press (a lost acknowledgement): nothing happens twice.
    last_press = next(u for u in reversed(h.sent_updates) if "callback_query" in u)
    await h.send(last_press)
    assert fake.read(RESIDENT) == []
    assert len([c for c in fake.calls if c.method == "answerCallbackQuery"]) == answered
    await h.send(fake.text(RESIDENT, "/my"))  # still one request
    assert await count(h, Request) == 1
    listed = " ".join(m.text for m in fake.read(RESIDENT))
    assert listed.count("№") == 1 and f"№{number}" in listed, listed
    if h.mode == "webhook":
        first = h.sent_updates[0]
        assert await h.deliver(first) == 200
    assert await count(h, InboxItem) == len({u["update_id"] for u in h.sent_updates})


async def test_webhook_rejects_a_missing_or_wrong_secret(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    assert fake.webhook["secret_token"] == SECRET
    assert fake.webhook["url"].endswith(WEBHOOK_PATH)
    update = fake.text(RESIDENT, "течёт кран")
    missing = await h.client.post(WEBHOOK_PATH, json=update)
    assert missing.status == 401
    for wrong in ("", "s3cret-Token_valuE", SECRET + "x", "я"):
        response = await h.client.post(
            WEBHOOK_PATH, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": wrong}
        )
        assert response.status == 403, wrong
    await h.settle()
    assert await count(h, InboxItem) == 0
    assert fake.read(RESIDENT) == []


async def test_junk_is_answered_politely_and_breaks_nothing(tg: TgHarness) -> None:
    h, fake = tg, tg.fake
    await h.send(fake.message(RESIDENT, sticker=STICKER))
    polite = [m.text for m in fake.read(RESIDENT)]
    assert len(polite) == 2 and polite[0].startswith("Здравствуйте!")
    assert polite[1] == UNSUPPORTED
    # Shapes aiogram refuses, from a known sender: a polite answer, never a crash.
    junk = fake.text(RESIDENT, "x")
    junk["message"]["date"] = "yesterday"
    await h.send(junk)
    assert [m.text for m in fake.read(RESIDENT)] == [UNSUPPORTED]
    # Nothing readable at all, or no sender: dropped, acknowledged, the channel goes on.
    for odd in ({"update_id": 77}, {"update_id": 78, "message": "text"}, {"update_id": 79, "x": 1}):
        await h.send(odd)
    assert fake.read(RESIDENT) == []
    await h.send(fake.text(RESIDENT, "Ленина 5, кв 12 — течёт кран"))
    assert "тип проблемы" in fake.read(RESIDENT)[-1].text


async def test_edited_messages_are_ignored(tg: TgHarness) -> None:
    h, fake = tg, tg.fake
    update = fake.text(RESIDENT, "Ленина 5, кв 12 — течёт кран")
    edited = {"update_id": update["update_id"] + 500, "edited_message": update["message"]}
    await h.send(edited)
    assert fake.read(RESIDENT) == []
    assert await count(h, InboxItem) == 0


async def test_contact_location_and_image_documents(tg: TgHarness) -> None:
    h, fake = tg, tg.fake
    await h.send(fake.text(RESIDENT, "Ленина 5, кв 12 — течёт кран"))
    question = fake.read(RESIDENT)[-1]
    await h.send(fake.press(RESIDENT, question.button("Водоснабжение")))
    file_id = fake.add_file(png(7))
    document = {"file_id": file_id, "file_unique_id": file_id, "mime_type": "image/png"}
    await h.send(fake.message(RESIDENT, document=document))
    assert "Фото добавлено (1)" in fake.read(RESIDENT)[-1].text
    await h.send(fake.press(RESIDENT, fake.last(RESIDENT).button("Готово")))
    fake.read(RESIDENT)
    contact = {"phone_number": "+7 912 000-11-22", "first_name": "Анна", "user_id": RESIDENT}
    await h.send(fake.message(RESIDENT, contact=contact))
    summary = " ".join(m.text for m in fake.read(RESIDENT))
    assert "+79120001122" in summary, summary
    async with h.app.db.reading() as session:
        events = list(await session.scalars(select(InboxItem.event)))
    kinds = [e["kind"] for e in events]
    assert "contact" in kinds and kinds.count("photo") == 1
    await h.send(fake.message(RESIDENT, location={"latitude": 55.75, "longitude": 37.61}))
    async with h.app.db.reading() as session:
        events = list(await session.scalars(select(InboxItem.event)))
    assert events[-1]["kind"] == "location" and events[-1]["payload"] == "55.750000,37.610000"


async def test_group_migration_and_removal(tg: TgHarness, caplog) -> None:
    h, fake = tg, tg.fake
    await admin.bind_group(h.app.db, "telegram", "-4001", h.clock())
    migrated = fake.message(1, -4001, migrate_to_chat_id=-1004001)
    await h.send(migrated)
    async with h.app.db.reading() as session:
        chats = list(await session.scalars(select(GroupBinding.chat)))
    assert "-1004001" in chats and "-4001" not in chats
    removed = {
        "update_id": 9001,
        "my_chat_member": {
            "chat": {"id": -1004001, "type": "supergroup", "title": "Диспетчерская"},
            "from": {"id": 3001, "is_bot": False, "first_name": "Ольга"},
            "date": 1,
            "old_chat_member": {
                "status": "member",
                "user": BOT_USER,
            },
            "new_chat_member": {
                "status": "kicked",
                "until_date": 0,
                "user": BOT_USER,
            },
        },
    }
    with caplog.at_level(logging.WARNING, logger="adapters.telegram.channel"):
        await h.send(removed)
    assert any("removed" in r.getMessage() and "-1004001" in r.getMessage() for r in caplog.records)


async def test_token_never_logged(tg: TgHarness, caplog, fake: FakeTelegram) -> None:
    h = tg
    fake.fail("500", method="getFile")
    update = fake.photo(RESIDENT)
    with caplog.at_level(logging.DEBUG):
        status = await h.deliver(update)
        if h.mode == "webhook":
            assert status == 503  # not stored: Telegram will deliver it again
            status = await h.deliver(update)
        assert status == 200
        await h.settle()
    assert "По какому адресу" in fake.read(RESIDENT)[-1].text  # the photo came through
    ours = [r for r in caplog.records if r.name.split(".")[0] in ("adapters", "bot", "core")]
    # Either way the failure to store is said (without the token) and the update waits.
    assert any("not stored" in r.getMessage() for r in ours)
    assert all(fake.token not in r.getMessage() for r in ours)


async def test_a_polled_batch_keeps_each_chats_order(tg: TgHarness) -> None:
    """Chats are taken in side by side; within a chat a slow photo download still
    goes before the text written after it."""
    fake = tg.fake
    updates = [
        fake.photo(RESIDENT, caption="первое"),
        fake.text(RESIDENT + 1, "другой чат"),
        fake.text(RESIDENT, "второе"),
        fake.text(RESIDENT + 1, "другой чат, снова"),
    ]
    if tg.mode == "webhook":
        for update in updates:
            assert await tg.deliver(update) == 200
    else:
        for update in updates[:-1]:
            fake.push(update)
        assert await tg.deliver(updates[-1]) == 200
    async with tg.app.db.reading() as session:
        rows = list(await session.scalars(select(InboxItem).order_by(InboxItem.id)))
    by_chat: dict[str, list[str]] = {}
    for row in rows:
        by_chat.setdefault(row.chat, []).append(row.event["text"])
    assert by_chat[str(RESIDENT)] == ["первое", "второе"]
    assert by_chat[str(RESIDENT + 1)] == ["другой чат", "другой чат, снова"]


def test_the_chat_of_a_raw_update() -> None:
    message = {"update_id": 1, "message": {"chat": {"id": 5}, "from": {"id": 6}}}
    press = {"update_id": 2, "callback_query": {"from": {"id": 6}, "message": {"chat": {"id": -7}}}}
    inline = {"update_id": 3, "inline_query": {"from": {"id": 8}}}
    assert chat_of(message) == "5"
    assert chat_of(press) == "-7"
    assert chat_of(inline) == "8"
    assert chat_of({"update_id": 4, "poll": {"id": "x"}}) == ""
    assert chat_of([1, 2]) == "" and chat_of({"message": "junk"}) == ""


async def test_longer_inbox_batches_only_where_no_acknowledgement_waits(tg: TgHarness) -> None:
    """By long polling nobody waits on the inbox's commits: fewer, longer transactions.
    A webhook's acknowledgement does wait: there the batches stay short."""
    longer = tg.mode == "polling"
    assert tg.app.inbox.batch_budget == (POLLING_BATCH_BUDGET if longer else BATCH_BUDGET)
    assert tg.app.inbox.flush_every == (0 if longer else FLUSH_EVERY)
