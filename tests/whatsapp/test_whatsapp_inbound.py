"""Taking a notification in: each message's photo fetched by media id with the bearer
token and handed to the intake, refusals told to the dialogue, and anything that could
not be kept now raised for Meta to deliver again."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.webhooks import IngestRetry
from adapters.whatsapp.channel import WhatsAppChannel
from adapters.whatsapp.parsing import Notification, parse_notification
from core.channel import PHOTO_REFUSED, EventKind, OutboundMessage
from core.ports import IntakeUnavailable, MediaRefused, UnstorableEvent
from tests.support.harness import FakeClock, png
from tests.whatsapp.conftest import Taken
from tests.whatsapp.fake_api import PHONE_NUMBER_ID, FakeCloudApi

PHONE = "79161234567"


def read(body: dict[str, Any]) -> Notification:
    return parse_notification(body, FakeClock()(), PHONE_NUMBER_ID)


async def test_a_photo_is_fetched_with_the_token_and_handed_to_the_intake(
    channel: WhatsAppChannel, fake: FakeCloudApi, taken: Taken
) -> None:
    photo = png(3)
    await channel.ingest(read(fake.image(PHONE, photo, caption="протечка")))
    [(event, media)] = taken.events
    assert (event.kind, event.text, media) == (EventKind.PHOTO, "протечка", [photo])
    assert any(path.startswith("/files/") for path in fake.hits)


async def test_a_photo_whatsapp_no_longer_has_is_told_as_refused(
    channel: WhatsAppChannel, fake: FakeCloudApi, taken: Taken
) -> None:
    notification = fake.image(PHONE, png(3))
    fake.files.clear()
    await channel.ingest(read(notification))
    [(event, media)] = taken.events
    assert (event.kind, event.payload, media) == (EventKind.UNSUPPORTED, PHOTO_REFUSED, [])


async def test_a_photo_over_the_limit_is_not_downloaded(
    channel: WhatsAppChannel, fake: FakeCloudApi, taken: Taken
) -> None:
    taken.max_photo_bytes = 100
    await channel.ingest(read(fake.image(PHONE, png(3))))
    [(event, _)] = taken.events
    assert event.payload == f"{PHOTO_REFUSED}too_large"
    assert not any(path.startswith("/files/") for path in fake.hits)


async def test_a_photo_the_intake_refuses_is_told_with_the_reason(
    channel: WhatsAppChannel, fake: FakeCloudApi, taken: Taken
) -> None:
    taken.failure = MediaRefused("not_image")
    await channel.ingest(read(fake.image(PHONE, b"not a picture")))
    [(event, media)] = taken.events
    assert (event.kind, event.payload, media) == (
        EventKind.UNSUPPORTED,
        f"{PHOTO_REFUSED}not_image",
        [],
    )


async def test_the_media_service_out_of_reach_means_deliver_again(
    channel: WhatsAppChannel, fake: FakeCloudApi, taken: Taken
) -> None:
    notification = fake.image(PHONE, png(3))
    await fake.close()  # nobody answers: the fetch fails like a network error
    with pytest.raises(IngestRetry):
        await channel.ingest(read(notification))
    assert taken.events == []


async def test_an_intake_out_of_reach_means_deliver_again(
    channel: WhatsAppChannel, fake: FakeCloudApi, taken: Taken
) -> None:
    taken.failure = IntakeUnavailable("database down")
    with pytest.raises(IngestRetry):
        await channel.ingest(read(fake.text(PHONE, "нет воды")))


async def test_an_unstorable_message_is_skipped_and_the_rest_taken(
    channel: WhatsAppChannel, fake: FakeCloudApi, taken: Taken
) -> None:
    taken.failure = UnstorableEvent("event_id: too long")
    await channel.ingest(read(fake.text(PHONE, "первое")))
    await channel.ingest(read(fake.text(PHONE, "второе")))
    assert [event.text for event, _ in taken.events] == ["второе"]


async def test_a_failed_status_with_131047_in_a_notification_sends_the_template(
    channel: WhatsAppChannel, fake: FakeCloudApi, taken: Taken
) -> None:
    fake.closed_later.add(PHONE)
    await channel.send(PHONE, OutboundMessage("Заявка №5: назначен техник."))
    await channel.ingest(read(fake.statuses(chat=PHONE)))
    assert [body["type"] for body in fake.to(PHONE)] == ["text", "template"]
    assert taken.events == []
