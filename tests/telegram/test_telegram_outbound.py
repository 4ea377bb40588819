"""Outbound through the fake Bot API: rendering, edits, errors, 429 storms, blocked users."""

from __future__ import annotations

import gc

import pytest
from sqlalchemy import select

from adapters.limiter import RateLimiter
from bot import admin
from bot.notices import person_targets, queue_message
from core.channel import Button, DeliveryError, OutboundMessage
from core.storage.tables import GroupBinding, Identity, OutboxItem, Person
from tests.support.harness import png
from tests.telegram.harness import TgHarness
from tests.telegram.test_telegram_transcript import GROUP, TECH, file_with_album, setup_staff

CHATS = ("1001", "1002", "-100777")


async def queue(h: TgHarness, chat: str, *messages: OutboundMessage) -> None:
    async with h.app.db.transaction() as session:
        for message in messages:
            await queue_message(session, h.clock(), "telegram", chat, message)


async def pending(h: TgHarness) -> int:
    async with h.app.db.reading() as session:
        return len(
            list(await session.scalars(select(OutboxItem.id).where(OutboxItem.status == "pending")))
        )


async def test_a_429_storm_delivers_everything_once_in_order(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    for chat in CHATS:
        await queue(h, chat, *(OutboundMessage(f"{chat} #{i}") for i in range(6)))
    fake.fail("429", method="sendMessage", retry_after=5, times=7)
    fake.fail("500", method="sendMessage", times=2)
    rounds = 0
    while await pending(h):
        await h.settle()
        h.clock.advance(seconds=6)
        rounds += 1
        assert rounds < 50
    for chat in CHATS:
        assert [m.text for m in fake.sent[chat]] == [f"{chat} #{i}" for i in range(6)]
    async with h.app.db.reading() as session:
        statuses = set(await session.scalars(select(OutboxItem.status)))
    assert statuses == {"sent"}


async def test_a_blocked_technician_is_marked_unreachable(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    await setup_staff(h)
    fake.fail("403", chat=str(TECH), times=100)
    start = len(fake.calls)
    await file_with_album(h)
    card = fake.read(GROUP)[-1]
    await h.send(fake.press(3001, card.button("Назначить"), chat=GROUP))
    picker = fake.read(GROUP)[-1]
    await h.send(fake.press(3001, picker.button("Сергей Иванов"), chat=GROUP))
    tried = [c for c in fake.calls[start:] if c.chat == str(TECH) and c.method.startswith("send")]
    async with h.app.db.reading() as session:
        identity = await session.scalar(
            select(Identity).where(
                Identity.channel == "telegram", Identity.external_id == str(TECH)
            )
        )
        assert identity is not None and identity.unreachable
        person = await session.get(Person, identity.person_id)
        assert person is not None and person.code == "tech-1"
        assert await person_targets(session, person.id) in ([], [("web", "tech-1")])
        failed = list(
            await session.scalars(
                select(OutboxItem).where(
                    OutboxItem.chat == str(TECH), OutboxItem.status == "failed"
                )
            )
        )
    assert len(tried) == 1 and len(failed) == 1  # one try, no retries against a block
    # Sending stops: the next job notice does not go to Telegram at all.
    h.clock.advance(hours=1)
    await h.settle()
    again = [c for c in fake.calls[start:] if c.chat == str(TECH) and c.method.startswith("send")]
    assert len(again) == 1


async def test_rendering(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    channel = h.channel
    long = "\n".join(f"строка {i} " + "x" * 90 for i in range(60))
    buttons = ((Button("Да", "v1:q:yes"), Button("Нет", "v1:q:no")),)
    delivered = await channel.send("1001", OutboundMessage(long, buttons=buttons))
    parts = fake.read(1001)
    assert len(parts) == 2 and all(len(p.text) <= 4096 for p in parts)
    assert "\n".join(p.text for p in parts) == long
    assert parts[0].markup is None and parts[1].buttons == [("Да", "v1:q:yes"), ("Нет", "v1:q:no")]
    assert delivered.delivery_id == str(parts[1].message_id)

    await channel.send("1001", OutboundMessage("Телефон?", request_contact=True))
    markup = fake.methods("sendMessage")[-1].params["reply_markup"]
    assert markup["keyboard"][0][0]["request_contact"] is True

    sha = (await h.app.media.save(png(1))).sha
    sha2 = (await h.app.media.save(png(2))).sha
    stored = [(await h.app.media.load(sha) or (b"", ""))[0] for sha in (sha, sha2)]
    await channel.send("1001", OutboundMessage("фото", photos=(sha,)))
    photo = fake.methods("sendPhoto")[-1]
    assert photo.params["caption"] == "фото" and list(photo.files.values()) == stored[:1]
    await channel.send("1001", OutboundMessage("два фото", photos=(sha, sha2), buttons=buttons))
    album = fake.methods("sendMediaGroup")[-1]
    assert sorted(album.files.values()) == sorted(stored)
    assert fake.last(1001).text == "два фото" and fake.last(1001).buttons


async def test_a_retry_after_a_failure_halfway_sends_only_the_parts_not_yet_sent(
    tg_webhook: TgHarness,
) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    sha = (await h.app.media.save(png(1))).sha
    pieces = [f"Часть {i}. " + "слово " * 600 for i in range(3)]
    message = OutboundMessage("\n\n".join(pieces), photos=(sha,))
    fake.fail("500", method="sendMessage")  # the photo goes, then the first piece fails
    with pytest.raises(DeliveryError):
        await h.channel.send("1001", message)
    assert [p.photos for p in fake.read(1001)] == [1]
    delivered = await h.channel.send("1001", message)
    rest = fake.read(1001)
    assert [p.text.split(".")[0] for p in rest] == ["Часть 0", "Часть 1", "Часть 2"]
    assert delivered.delivery_id == str(rest[-1].message_id)
    # Sent whole, the message is forgotten: sent again, it goes again in full.
    await h.channel.send("1001", message)
    assert len(fake.read(1001)) == 4


async def test_edits(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    channel = h.channel
    card = OutboundMessage(
        "Заявка №1", buttons=((Button("Назначить", "v1:r:ap:1:1"),),), edit_key="card:1"
    )
    first = await channel.send("-100123", card)
    same = await channel.send("-100123", card, edit_of=first.delivery_id)  # not modified
    assert same.delivery_id == first.delivery_id
    changed = await channel.send(
        "-100123",
        OutboundMessage("Заявка №1 · назначена", edit_key="card:1"),
        edit_of=first.delivery_id,
    )
    assert changed.delivery_id == first.delivery_id
    assert fake.last(-100123).text == "Заявка №1 · назначена" and fake.last(-100123).markup is None
    gone = await channel.send(
        "-100123", OutboundMessage("Заявка №1 · закрыта", edit_key="card:1"), edit_of="999999"
    )
    assert (
        gone.delivery_id != first.delivery_id and fake.last(-100123).text == "Заявка №1 · закрыта"
    )


async def test_errors_map_onto_delivery_errors(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    channel = h.channel
    message = OutboundMessage("привет")
    fake.fail("429", retry_after=7)
    with pytest.raises(DeliveryError) as error:
        await channel.send("1001", message)
    assert error.value.retry_after == 7 and not error.value.permanent
    fake.fail("500")
    with pytest.raises(DeliveryError) as error:
        await channel.send("1001", message)
    assert error.value.retry_after is None and not error.value.permanent
    fake.fail("400", description="Bad Request: chat not found")
    with pytest.raises(DeliveryError) as error:
        await channel.send("1001", message)
    assert error.value.permanent
    fake.fail("403", description="Forbidden: bot was kicked from the supergroup chat")
    with pytest.raises(DeliveryError) as error:
        await channel.send("-100123", message)
    assert error.value.permanent
    fake.fail("400", description="Bad Request: can't parse entities")
    with pytest.raises(DeliveryError) as error:
        await channel.send("1001", message)
    # Refused as it is (the chat is fine): not retried, sent in a simpler form instead.
    assert error.value.refused and not error.value.permanent
    channel.send_timeout = 1
    fake.fail("hang")
    with pytest.raises(DeliveryError) as error:
        await channel.send("1001", message)
    assert not error.value.permanent and fake.token not in str(error.value)


async def test_a_migrated_group_follows_its_new_id(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    await admin.bind_group(h.app.db, "telegram", "-4001", h.clock())
    fake.faults.append(_migrate_fault())
    delivered = await h.channel.send("-4001", OutboundMessage("карточка"))
    assert fake.last(-1004001).text == "карточка" and delivered.delivery_id
    async with h.app.db.reading() as session:
        chat = await session.scalar(
            select(GroupBinding.chat).where(GroupBinding.channel == "telegram")
        )
    assert chat == "-1004001"


def _migrate_fault():  # type: ignore[no-untyped-def]
    from tests.telegram.fake_api import Fault

    return Fault("migrate", method="sendMessage", chat="-4001", retry_after=-1004001)


async def test_limits_are_waited_for_not_broken(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    fake.enforce_limits = True
    h.channel.limiter = RateLimiter()
    for i in range(3):
        await h.channel.send("1001", OutboundMessage(f"#{i}"))
    times = [c.at for c in fake.methods("sendMessage")]
    assert fake.too_many == 0 and times[2] - times[0] >= 1.9


async def test_an_emergency_card_is_pinned_until_taken(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    first = await h.channel.send("-4001", OutboundMessage("🚨 карточка", pin=True))
    assert fake.pinned == {("-4001", int(first.delivery_id))}
    again = await h.channel.send(
        "-4001", OutboundMessage("🚨 карточка · принята", pin=False), edit_of=first.delivery_id
    )
    assert again.delivery_id == first.delivery_id and fake.pinned == set()
    # Private chats are never pinned; a refused pin does not resend the message.
    await h.channel.send("1001", OutboundMessage("x", pin=True))
    assert fake.methods("pinChatMessage")[-1].params["chat_id"] in (-4001, "-4001")
    fake.fail("400", method="pinChatMessage", description="Bad Request: not enough rights")
    await h.channel.send("-4001", OutboundMessage("🚨 другая", pin=True))
    assert fake.last(-4001).text == "🚨 другая"


def test_answer_models_are_built_once() -> None:
    """aiogram validates each answer as ``Response[<result type>]``; pydantic keeps those
    generic models only weakly, and rebuilding one costs milliseconds per send.  The
    channel holds the ones it needs, so a collection does not throw them away."""
    from aiogram.methods import SendMessage
    from aiogram.methods.base import Response

    from adapters.telegram import channel

    gc.collect()
    assert Response[SendMessage.__returning__] in channel._RESPONSE_MODELS  # type: ignore[name-defined]
