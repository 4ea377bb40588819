"""The sender against the fake Cloud API: what each message becomes on the wire, every
limit kept (the fake refuses and records any send over them), errors mapped for the
outbox, and 131047 answered with the template at once, never a retry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.limiter import Limits, RateLimiter
from adapters.whatsapp.channel import WhatsAppChannel
from adapters.whatsapp.parsing import MAX_DELIVERY_ID, Status, short_id
from core.channel import Button, DeliveryError, OutboundMessage
from tests.whatsapp.fake_api import WINDOW_CLOSED, FakeCloudApi

CHAT = "79161234567"
PHOTO, OTHER_PHOTO = "a" * 64, "b" * 64


def options(*titles: str) -> tuple[tuple[Button, ...], ...]:
    return tuple((Button(title, f"v1:q:x:{i}"),) for i, title in enumerate(titles))


async def test_a_text_goes_as_a_text(channel: WhatsAppChannel, fake: FakeCloudApi) -> None:
    delivered = await channel.send(CHAT, OutboundMessage("Заявка №12 принята."))
    [body] = fake.to(CHAT)
    assert body["type"] == "text" and body["text"]["body"] == "Заявка №12 принята."
    assert delivered.delivery_id == short_id(fake.sent[-1].wamid, MAX_DELIVERY_ID)
    assert fake.violations == []


async def test_up_to_three_short_options_are_reply_buttons(
    channel: WhatsAppChannel, fake: FakeCloudApi
) -> None:
    await channel.send(CHAT, OutboundMessage("Решена?", buttons=options("Да", "Нет", "Не знаю")))
    [body] = fake.to(CHAT)
    assert body["interactive"]["type"] == "button"
    assert fake.choices(CHAT) == [("Да", "v1:q:x:0"), ("Нет", "v1:q:x:1"), ("Не знаю", "v1:q:x:2")]
    assert fake.violations == []


async def test_a_list_goes_as_a_list(channel: WhatsAppChannel, fake: FakeCloudApi) -> None:
    titles = ("Сантехника", "Электрика", "Лифт", "Нет воды на кухне утром")
    message = OutboundMessage("Что случилось?", buttons=options(*titles), as_list=True)
    await channel.send(CHAT, message)
    [body] = fake.to(CHAT)
    assert body["interactive"]["type"] == "list"
    assert [title for title, _ in fake.choices(CHAT)] == list(titles)
    assert fake.violations == []


@pytest.mark.parametrize(
    ("buttons", "as_list"),
    [
        (options("Да", "Нет", "Не знаю", "Позже"), False),
        (options("Да", "Да"), False),
        (options("Двадцать один символ!"), False),
        (((Button("Да", "x" * 257),),), False),
        (options(*(f"Вариант {i}" for i in range(11))), True),
        (options("Да", "Да"), True),
        (options("Протечка из квартиры выше"), True),
        (((Button("Да", "x" * 201),),), True),
    ],
)
async def test_choices_beyond_every_limit_are_refused_before_any_call(
    channel: WhatsAppChannel,
    fake: FakeCloudApi,
    buttons: tuple[tuple[Button, ...], ...],
    as_list: bool,
) -> None:
    message = OutboundMessage("Выберите:", buttons=buttons, as_list=as_list)
    with pytest.raises(DeliveryError) as caught:
        await channel.send(CHAT, message)
    assert caught.value.refused and not caught.value.permanent
    assert fake.sent == [] and fake.hits == {}


async def test_a_question_too_long_for_buttons_goes_before_them(
    channel: WhatsAppChannel, fake: FakeCloudApi
) -> None:
    question = "Опишите проблему. " * 70
    await channel.send(CHAT, OutboundMessage(question, buttons=options("Да", "Нет")))
    first, second = fake.to(CHAT)
    assert first["type"] == "text" and first["text"]["body"] == question
    assert second["interactive"]["type"] == "button"
    assert fake.violations == []


async def test_a_text_over_4096_characters_is_refused(
    channel: WhatsAppChannel, fake: FakeCloudApi
) -> None:
    with pytest.raises(DeliveryError) as caught:
        await channel.send(CHAT, OutboundMessage("ы" * 4097))
    assert caught.value.refused and fake.sent == []


async def test_a_photo_is_uploaded_once_and_sent_by_id_with_its_caption(
    channel: WhatsAppChannel, fake: FakeCloudApi
) -> None:
    await channel.send(CHAT, OutboundMessage("Фотоотчёт по №12", photos=(PHOTO,)))
    await channel.send("79169998877", OutboundMessage("", photos=(PHOTO, OTHER_PHOTO)))
    first = fake.to(CHAT)[0]["image"]
    assert first["caption"] == "Фотоотчёт по №12" and first["id"] in fake.uploads
    assert fake.hits["/v21.0/106540352242922/media"] == 2  # two photos, each once
    assert fake.to("79169998877")[0]["image"]["id"] == first["id"]
    assert fake.violations == []


async def test_photos_with_buttons_go_first_and_the_question_last(
    channel: WhatsAppChannel, fake: FakeCloudApi
) -> None:
    message = OutboundMessage("Принять?", photos=(PHOTO,), buttons=options("Принять", "Отказ"))
    await channel.send(CHAT, message)
    assert [b["type"] for b in fake.to(CHAT)] == ["image", "interactive"]
    assert "caption" not in fake.to(CHAT)[0]["image"]


async def test_a_part_sent_before_a_failure_is_not_sent_again(
    channel: WhatsAppChannel, fake: FakeCloudApi
) -> None:
    message = OutboundMessage("Принять?", photos=(PHOTO,), buttons=options("Принять", "Отказ"))
    fake.fail(500, 1, after=1)
    with pytest.raises(DeliveryError):
        await channel.send(CHAT, message)
    await channel.send(CHAT, message)
    assert [b["type"] for b in fake.to(CHAT)] == ["image", "interactive"]


async def test_131047_in_the_answer_sends_the_template_at_once(
    channel: WhatsAppChannel, fake: FakeCloudApi
) -> None:
    fake.closed.add(CHAT)
    notice = "Работы по заявке №12 выполнены.\nПроблема решена?"
    delivered = await channel.send(CHAT, OutboundMessage(notice, buttons=options("Да", "Нет")))
    [body] = fake.to(CHAT)
    template = body["template"]
    assert (template["name"], template["language"]["code"]) == ("request_update", "ru")
    assert fake.texts(CHAT) == ["Работы по заявке №12 выполнены. · Проблема решена?"]
    assert template["components"][1]["parameters"][0]["payload"] == "/status 12"
    assert delivered.delivery_id == short_id(fake.sent[-1].wamid, MAX_DELIVERY_ID)
    assert fake.violations == []


async def test_131047_in_a_failed_status_sends_the_template_once(
    channel: WhatsAppChannel, fake: FakeCloudApi
) -> None:
    kept: list[tuple[str, str, str]] = []

    async def receipt(channel_name: str, delivery_id: str, status: str, at: datetime) -> bool:
        kept.append((channel_name, delivery_id, status))
        return True

    channel.receipt = receipt
    fake.closed_later.add(CHAT)
    rate = options("Хорошо", "Плохо")
    await channel.send(CHAT, OutboundMessage("Заявка №7 закрыта.", photos=(PHOTO,), buttons=rate))
    await channel.send(CHAT, OutboundMessage("Заявка №8 закрыта.", photos=(OTHER_PHOTO,)))
    parts = list(fake.sent)
    assert len(parts) == 3
    at = datetime(2026, 12, 2, tzinfo=UTC)
    for sent in parts:
        delivery_id = short_id(sent.wamid, MAX_DELIVERY_ID)
        await channel.on_status(Status(delivery_id, "failed", CHAT, at, (WINDOW_CLOSED,)))
    templates = [b for b in fake.to(CHAT) if b["type"] == "template"]
    assert len(templates) == 2  # one per message, not per failed part
    assert kept == []  # taken over by the template: no failure to show


async def test_statuses_are_kept_as_receipts(channel: WhatsAppChannel, fake: FakeCloudApi) -> None:
    kept: list[tuple[str, str, str]] = []

    async def receipt(channel_name: str, delivery_id: str, status: str, at: datetime) -> bool:
        kept.append((channel_name, delivery_id, status))
        return True

    channel.receipt = receipt
    at = datetime(2026, 12, 2, tzinfo=UTC)
    for state in ("sent", "delivered", "read"):
        await channel.on_status(Status("wamid.X", state, CHAT, at))
    await channel.on_status(Status("wamid.Y", "failed", CHAT, at, (131026,)))
    assert kept == [
        ("whatsapp", "wamid.X", "delivered"),
        ("whatsapp", "wamid.X", "seen"),
        ("whatsapp", "wamid.Y", "failed"),
    ]


@pytest.mark.parametrize(
    ("http", "code", "retry_after", "permanent", "refused"),
    [
        (429, 130429, 7.0, False, False),
        (400, 131056, None, False, False),
        (500, 1, None, False, False),
        (503, 131016, None, False, False),
        (400, 131026, None, True, False),
        (400, 131009, None, False, True),
        (400, 131051, None, False, True),
        (401, 190, None, False, False),
    ],
)
async def test_errors_are_mapped_for_the_outbox(
    channel: WhatsAppChannel,
    fake: FakeCloudApi,
    http: int,
    code: int,
    retry_after: float | None,
    permanent: bool,
    refused: bool,
) -> None:
    fake.fail(http, code, retry_after="7" if retry_after else "")
    with pytest.raises(DeliveryError) as caught:
        await channel.send(CHAT, OutboundMessage("Заявка №12 принята."))
    error = caught.value
    assert (error.retry_after, error.permanent, error.refused) == (retry_after, permanent, refused)
    assert fake.token not in str(error)
    assert len(fake.to(CHAT)) == 0  # one call, no retry inside the channel


async def test_the_number_takes_80_messages_a_second(
    channel: WhatsAppChannel, fake: FakeCloudApi
) -> None:
    now = [100.0]
    channel.limiter = RateLimiter(Limits(private_count=80, global_count=80), now=lambda: now[0])
    for i in range(80):
        assert channel.ready_in(f"7916000{i:04d}") == 0
        await channel.send(f"7916000{i:04d}", OutboundMessage("ok"))
    assert channel.room() == 0 and channel.ready_in("79160009999") > 0.9
    now[0] += 1.1
    assert channel.room() == 80


async def test_a_business_scoped_id_is_sent_to_as_recipient(
    channel: WhatsAppChannel, fake: FakeCloudApi
) -> None:
    await channel.send("RU.8806251993007425", OutboundMessage("Заявка №3 принята."))
    body = fake.sent[-1].body
    assert body["recipient"] == "RU.8806251993007425" and "to" not in body
