"""Viber callbacks -> events: every fixture, and whatever else arrives, never an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.viber.parsing import parse_callback
from core.channel import EventKind

FIXTURES = Path(__file__).parents[2] / "adapters" / "viber" / "fixtures"
NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("name", "kind", "text", "payload"),
    [
        ("text", EventKind.TEXT, "Течёт кран на кухне", ""),
        ("button_press", EventKind.BUTTON, "", "v1:q:lang:en"),
        ("picture", EventKind.PHOTO, "Вот что течёт", ""),
        ("contact", EventKind.CONTACT, "", "+79161234567"),
        ("location", EventKind.LOCATION, "", "55.751244,37.618423"),
        ("sticker", EventKind.UNSUPPORTED, "", ""),
        ("file", EventKind.UNSUPPORTED, "", ""),
    ],
)
def test_messages_become_events(name: str, kind: EventKind, text: str, payload: str) -> None:
    parsed = parse_callback(fixture(name), NOW)
    event = parsed.event
    assert event is not None
    assert (event.kind, event.text, event.payload) == (kind, text, payload)
    assert event.channel == "viber"
    assert event.chat == event.user == "01234567890A="
    assert event.event_id == str(fixture(name)["message_token"])
    assert event.user_name == "Анна Петровна"
    assert event.language == "ru"


def test_a_picture_names_its_media_to_download() -> None:
    parsed = parse_callback(fixture("picture"), NOW)
    assert parsed.media_url.endswith("/img.jpg")
    assert parsed.media_size == 81234


def test_an_image_sent_as_a_file_is_a_photo() -> None:
    body = fixture("file")
    body["message"]["file_name"] = "leak.JPEG"
    body["message"]["media"] = "https://dl-media.viber.com/x/leak.JPEG"
    parsed = parse_callback(body, NOW)
    assert parsed.event is not None and parsed.event.kind is EventKind.PHOTO
    assert parsed.media_url == "https://dl-media.viber.com/x/leak.JPEG"


def test_conversation_started_asks_for_the_welcome_with_its_context() -> None:
    parsed = parse_callback(fixture("conversation_started"), NOW)
    assert parsed.event is None
    assert (parsed.welcome_to, parsed.context, parsed.language) == (
        "01234567890B=",
        "b-L5-apt12",
        "en",
    )


@pytest.mark.parametrize("context", ["x" * 201, "b-L5\x00", 12, None])
def test_an_unusable_context_is_dropped_not_the_welcome(context: object) -> None:
    body = fixture("conversation_started")
    body["context"] = context
    parsed = parse_callback(body, NOW)
    assert parsed.welcome_to == "01234567890B="
    assert parsed.context == ""


@pytest.mark.parametrize("kind", ["delivered", "seen", "failed"])
def test_receipts_name_the_message_token(kind: str) -> None:
    parsed = parse_callback(fixture(kind), NOW)
    assert parsed.receipt == ("4912661846655238145", kind)
    assert parsed.event is None
    assert parsed.detail == ("failure description" if kind == "failed" else "")


def test_unsubscribed_names_the_user() -> None:
    parsed = parse_callback(fixture("unsubscribed"), NOW)
    assert parsed.unsubscribed == "01234567890A="
    assert parsed.event is None


@pytest.mark.parametrize("name", ["webhook", "subscribed", "unknown_event"])
def test_other_callbacks_are_acknowledged_with_nothing_to_do(name: str) -> None:
    parsed = parse_callback(fixture(name), NOW)
    assert parsed.event is None and parsed.receipt is None and not parsed.welcome_to
    assert not parsed.unsubscribed
    assert parsed.note


@pytest.mark.parametrize(
    ("text", "kind", "payload"),
    [
        ("/start b-L5-apt12", EventKind.START, "b-L5-apt12"),
        ("/start", EventKind.TEXT, ""),
        ("v1:r:ac:12:3", EventKind.BUTTON, "v1:r:ac:12:3"),
        # Typed, not pressed, but shaped like a payload: checked like any press.
        ("v1:forged", EventKind.BUTTON, "v1:forged"),
        ("v1 is not a payload", EventKind.TEXT, ""),
    ],
)
def test_text_shapes(text: str, kind: EventKind, payload: str) -> None:
    body = fixture("text")
    body["message"]["text"] = text
    event = parse_callback(body, NOW).event
    assert event is not None
    assert (event.kind, event.payload) == (kind, payload)


def test_text_with_a_control_character_becomes_unsupported_and_keeps_nothing() -> None:
    body = fixture("text")
    body["message"]["text"] = "кран\x00течёт"
    parsed = parse_callback(body, NOW)
    assert parsed.event is not None
    assert parsed.event.kind is EventKind.UNSUPPORTED
    assert parsed.event.text == ""


def test_a_picture_with_a_bad_caption_is_not_downloaded() -> None:
    body = fixture("picture")
    body["message"]["text"] = "\ud800"
    parsed = parse_callback(body, NOW)
    assert parsed.event is not None and parsed.event.kind is EventKind.UNSUPPORTED
    assert parsed.media_url == ""


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.pop("sender"),
        lambda b: b.update(sender={"id": ""}),
        lambda b: b.update(sender={"id": "x" * 65}),
        lambda b: b.update(sender={"id": 5}),
        lambda b: b.update(message_token=True),
        lambda b: b.update(message_token=-1),
        lambda b: b.pop("message_token"),
    ],
)
def test_a_message_without_a_usable_sender_or_token_is_dropped(mutate: Any) -> None:
    body = fixture("text")
    mutate(body)
    parsed = parse_callback(body, NOW)
    assert parsed.event is None
    assert parsed.note


@pytest.mark.parametrize(
    "message",
    [
        None,
        [],
        {"type": "text", "text": 5},
        {"type": "text", "text": ""},
        {"type": "location", "location": {"lat": 91, "lon": 0}},
        {"type": "contact", "contact": {"phone_number": " "}},
        {"type": "picture", "media": "ftp://x/y.jpg"},
    ],
)
def test_an_odd_message_from_a_known_sender_gets_an_unsupported_event(message: object) -> None:
    body = fixture("text")
    body["message"] = message
    event = parse_callback(body, NOW).event
    assert event is not None
    assert event.kind is EventKind.UNSUPPORTED


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    event=st.sampled_from(
        ["message", "conversation_started", "delivered", "seen", "failed", "unsubscribed", "x"]
    ),
    fields=st.dictionaries(
        st.sampled_from(["sender", "user", "user_id", "message", "message_token", "context"]),
        JSON,
    ),
)
def test_no_callback_raises(event: str, fields: dict[str, Any]) -> None:
    parse_callback({"event": event, **fields}, NOW)


@given(JSON)
def test_no_body_raises(data: Any) -> None:
    parse_callback(data, NOW)
