"""The webhook parser on the recorded notifications (written from Meta's webhook payload
examples) and on what no client should send: it never raises, odd messages become
UNSUPPORTED events, and statuses come out with their error codes."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.whatsapp.parsing import (
    MAX_DELIVERY_ID,
    MAX_EVENT_ID,
    Notification,
    parse_notification,
    short_id,
)
from core.channel import EventKind

FIXTURES = Path(__file__).parents[2] / "adapters" / "whatsapp" / "fixtures"
NOW = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
NUMBER = "106540352242922"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def parse(data: Any) -> Notification:
    return parse_notification(data, NOW, NUMBER)


def only_event(name: str):  # type: ignore[no-untyped-def]
    notification = parse(fixture(name))
    [inbound] = notification.messages
    assert inbound.event.channel == "whatsapp" and inbound.event.received_at == NOW
    return inbound


def test_text_keeps_the_words_the_sender_and_the_message_id() -> None:
    inbound = only_event("text")
    event = inbound.event
    assert event.kind is EventKind.TEXT
    assert event.text == "Ленина 5, кв 12 — течёт кран на кухне"
    assert (event.chat, event.user, event.user_name) == (
        "79161234567",
        "79161234567",
        "Анна Петровна",
    )
    assert event.event_id == "wamid.HBgLNzkxNjEyMzQ1NjcVAgASGBQzQUZCMTY0RjE2NUQ3MkE0MDNCRQA="
    assert inbound.media_id == ""


@pytest.mark.parametrize(
    ("name", "payload"),
    [("button_reply", "v1:q:cat:plumbing"), ("list_reply", "v1:q:loc:entrance")],
)
def test_a_reply_button_or_list_row_is_a_press_whose_id_is_the_payload(
    name: str, payload: str
) -> None:
    event = only_event(name).event
    assert (event.kind, event.payload, event.text) == (EventKind.BUTTON, payload, "")


def test_a_template_quick_reply_says_its_payload_as_text() -> None:
    event = only_event("template_quick_reply").event
    assert (event.kind, event.text) == (EventKind.TEXT, "/status 12")


@pytest.mark.parametrize(
    ("name", "media_id", "caption"),
    [
        ("image", "1432207614187963", "Вот протечка"),
        ("document_image", "1601288057403291", "Фото щитка"),
    ],
)
def test_an_image_or_a_picture_document_is_a_photo_to_fetch_by_media_id(
    name: str, media_id: str, caption: str
) -> None:
    inbound = only_event(name)
    assert inbound.event.kind is EventKind.PHOTO and inbound.event.text == caption
    assert inbound.media_id == media_id


@pytest.mark.parametrize("name", ["document_pdf", "sticker", "unknown"])
def test_what_the_service_cannot_take_is_unsupported_without_media(name: str) -> None:
    inbound = only_event(name)
    assert inbound.event.kind is EventKind.UNSUPPORTED and inbound.media_id == ""


def test_location_and_contact() -> None:
    location = only_event("location").event
    assert (location.kind, location.payload) == (EventKind.LOCATION, "55.751244,37.618423")
    contact = only_event("contacts").event
    assert (contact.kind, contact.payload) == (EventKind.CONTACT, "+7 916 123-45-67")


def test_the_person_is_the_business_scoped_id_and_the_chat_the_number() -> None:
    event = only_event("bsuid_text").event
    assert (event.user, event.chat, event.user_name) == (
        "RU.1410018717833190",
        "79261234568",
        "Игорь",
    )
    hidden = only_event("bsuid_only").event
    assert (hidden.user, hidden.chat) == ("RU.8806251993007425", "RU.8806251993007425")


def test_a_start_link_text_is_a_start_with_its_payload() -> None:
    data = fixture("text")
    data["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = (
        "/start b-sad12-entrance2"
    )
    event = parse(data).messages[0].event
    assert (event.kind, event.payload) == (EventKind.START, "b-sad12-entrance2")


@pytest.mark.parametrize(
    ("name", "state", "errors"),
    [
        ("status_sent", "sent", ()),
        ("status_delivered", "delivered", ()),
        ("status_read", "read", ()),
        ("status_failed_131047", "failed", (131047,)),
    ],
)
def test_statuses_name_the_sent_message_and_its_errors(
    name: str, state: str, errors: tuple[int, ...]
) -> None:
    notification = parse(fixture(name))
    assert notification.messages == ()
    [status] = notification.statuses
    assert (status.status, status.errors, status.recipient) == (state, errors, "79161234567")
    assert status.delivery_id == "wamid.HBgLNzkxNjEyMzQ1NjcVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
    assert status.at == datetime(2025, 12, 2, 8, 1, tzinfo=UTC)


def test_other_fields_and_other_numbers_are_skipped_with_a_note() -> None:
    template = parse(fixture("template_status_update"))
    assert template.messages == () and template.statuses == () and template.notes
    other = parse_notification(fixture("text"), NOW, "999")
    assert other.messages == () and other.notes == ("for another phone number",)


def test_a_message_with_a_control_character_is_unsupported_with_nothing_kept() -> None:
    data = fixture("text")
    data["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = "кран\x00течёт"
    event = parse(data).messages[0].event
    assert (event.kind, event.text) == (EventKind.UNSUPPORTED, "")


def test_long_ids_are_shortened_stably_to_fit_their_columns() -> None:
    wamid = "wamid." + "A" * 150
    assert len(short_id(wamid, MAX_EVENT_ID)) <= MAX_EVENT_ID
    assert (
        short_id(wamid, MAX_DELIVERY_ID)
        == short_id(wamid, MAX_DELIVERY_ID)
        != short_id(wamid + "B", MAX_DELIVERY_ID)
    )
    assert short_id("wamid.short", MAX_DELIVERY_ID) == "wamid.short"


def test_several_messages_in_one_notification_come_out_in_order() -> None:
    data = fixture("text")
    messages = data["entry"][0]["changes"][0]["value"]["messages"]
    second = copy.deepcopy(messages[0])
    second["id"] = "wamid.second"
    second["text"]["body"] = "и ещё"
    messages.append(second)
    assert [m.event.text for m in parse(data).messages] == [
        "Ленина 5, кв 12 — течёт кран на кухне",
        "и ещё",
    ]


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "x",
        1,
        {},
        {"object": "page"},
        {"object": "whatsapp_business_account", "entry": "x"},
        {
            "object": "whatsapp_business_account",
            "entry": [{"changes": [{"field": "messages", "value": []}]}],
        },
    ],
)
def test_shapes_that_are_no_notification_give_nothing(body: Any) -> None:
    notification = parse(body)
    assert notification.messages == () and notification.statuses == ()


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(noise=_json, where=st.sampled_from(["message", "status", "value", "contacts"]))
def test_any_json_anywhere_in_a_notification_never_raises(noise: Any, where: str) -> None:
    data = fixture("image")
    value = data["entry"][0]["changes"][0]["value"]
    if where == "message":
        value["messages"][0]["image"] = noise
        value["messages"][0]["type"] = "image" if not isinstance(noise, str) else noise
    elif where == "status":
        value["statuses"] = [noise]
    elif where == "contacts":
        value["contacts"] = noise
    else:
        data["entry"][0]["changes"][0]["value"] = noise
    notification = parse(data)
    for inbound in notification.messages:
        assert inbound.event.chat == "79161234567"
