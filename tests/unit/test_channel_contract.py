"""The channel contract's JSON (stored in the inbox and outbox) and who answers a press."""

from __future__ import annotations

from datetime import UTC, datetime
from types import ModuleType

import pytest

from adapters.telegram.channel import TELEGRAM_CAPABILITIES
from adapters.web.channel import WEB_CAPABILITIES
from bot import texts
from bot.texts import en, ru
from core.channel import (
    Button,
    Capabilities,
    EventKind,
    InboundEvent,
    OutboundMessage,
    answered_in_turn,
)

AT = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


def press(**fields: object) -> InboundEvent:
    values: dict[str, object] = {
        "channel": "telegram",
        "event_id": "1001",
        "chat": "42",
        "user": "42",
        "kind": EventKind.BUTTON,
        "received_at": AT,
        "payload": "v1:x",
        "reply_token": "cb-77",
    }
    values.update(fields)
    return InboundEvent(**values)  # type: ignore[arg-type]


def test_an_inbound_event_round_trips_with_its_reply_token() -> None:
    event = press(user_name="Анна", language="ru", photos=("ab",), media_group="g")
    assert InboundEvent.from_json(event.to_json()) == event
    assert event.to_json()["reply_token"] == "cb-77"


def test_an_inbound_event_stored_before_reply_tokens_still_loads() -> None:
    old = press().to_json()
    del old["reply_token"]
    assert InboundEvent.from_json(old) == press(reply_token="")


def test_an_outbound_answer_round_trips() -> None:
    answer = OutboundMessage("Кнопка устарела", answer_to="cb-77")
    assert OutboundMessage.from_json(answer.to_json()) == answer
    message = OutboundMessage("text", ((Button("a", "p"),),), ("sha",), True, False, "card", True)
    assert OutboundMessage.from_json(message.to_json()) == message
    assert message.to_json()["answer_to"] == ""


def test_an_outbound_message_stored_before_answers_still_loads() -> None:
    old = OutboundMessage("hello", edit_key="card-1", pin=False).to_json()
    del old["answer_to"]
    assert OutboundMessage.from_json(old) == OutboundMessage("hello", edit_key="card-1", pin=False)


def test_only_a_press_with_a_token_on_a_toast_channel_is_answered_in_turn() -> None:
    toasts = Capabilities(toasts=True)
    assert answered_in_turn(press(), toasts)
    assert not answered_in_turn(press(), Capabilities())
    assert not answered_in_turn(press(reply_token=""), toasts)
    assert not answered_in_turn(press(kind=EventKind.UNSUPPORTED), toasts)
    assert not answered_in_turn(press(kind=EventKind.TEXT, payload="", text="hi"), toasts)
    assert TELEGRAM_CAPABILITIES.toasts and not WEB_CAPABILITIES.toasts


@pytest.mark.parametrize("module", [ru, en])
def test_every_refusal_fits_in_a_toast(module: ModuleType) -> None:
    # answerCallbackQuery takes at most 200 characters; the longest status fills {status}.
    longest = max(module.STATUSES.values(), key=len)
    keys = [k for k in module.TEXTS if texts.is_refusal(k)]
    assert "stale" in keys and "refused_stale" in keys and "group_not_staff" in keys
    for key in keys:
        text = module.TEXTS[key].format(status=longest)
        assert len(text) <= 200, key
