"""The channel contract: channel-neutral inbound events and outbound messages.

Adapters turn a messenger's untrusted JSON into :class:`InboundEvent` and render
:class:`OutboundMessage` into that messenger's API calls.  Nothing here knows any
messenger.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from core.text_safety import text_problem, without_controls


class EventKind(enum.StrEnum):
    TEXT = "text"
    BUTTON = "button"
    PHOTO = "photo"
    CONTACT = "contact"
    LOCATION = "location"
    START = "start"  # start with a deep-link payload
    MEMBER_JOINED = "member_joined"
    UNSUPPORTED = "unsupported"


#: The payload of an UNSUPPORTED event that was a photo refused at intake, followed by
#: the reason (:class:`core.storage.media.MediaRejected`), so the reply can say why.
PHOTO_REFUSED = "photo_refused:"


@dataclass(frozen=True, slots=True)
class InboundEvent:
    """One thing a user did in a messenger, already parsed and validated.

    ``photos`` holds media ids (sha256 of stored files).  ``payload`` holds the
    button payload, the deep-link payload, a phone number, or "lat,lon".
    ``reply_token`` is what the channel needs to answer this very event (the messenger's
    id of a button press); empty when there is nothing to answer.
    """

    channel: str
    event_id: str
    chat: str
    user: str
    kind: EventKind
    received_at: datetime
    text: str = ""
    payload: str = ""
    photos: tuple[str, ...] = ()
    user_name: str = ""
    language: str = ""
    media_group: str = ""
    reply_token: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "event_id": self.event_id,
            "chat": self.chat,
            "user": self.user,
            "kind": self.kind.value,
            "received_at": self.received_at.isoformat(),
            "text": self.text,
            "payload": self.payload,
            "photos": list(self.photos),
            "user_name": self.user_name,
            "language": self.language,
            "media_group": self.media_group,
            "reply_token": self.reply_token,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InboundEvent:
        return cls(
            channel=str(data["channel"]),
            event_id=str(data["event_id"]),
            chat=str(data["chat"]),
            user=str(data["user"]),
            kind=EventKind(data["kind"]),
            received_at=datetime.fromisoformat(str(data["received_at"])),
            text=str(data.get("text", "")),
            payload=str(data.get("payload", "")),
            photos=tuple(str(p) for p in data.get("photos", ())),
            user_name=str(data.get("user_name", "")),
            language=str(data.get("language", "")),
            media_group=str(data.get("media_group", "")),
            reply_token=str(data.get("reply_token", "")),
        )


def screened(event: InboundEvent) -> tuple[InboundEvent, str | None]:
    """The event fit to store and to show, and why it was not (None when it was).

    What a person wrote (text, caption, button or link payload, phone) holding what
    :func:`core.text_safety.text_problem` refuses turns the event into an
    ``UNSUPPORTED`` one with none of it kept, which the dialogues answer politely;
    what only names or labels it (display name, language, album id) is cleaned.
    """
    cleaned = replace(
        event,
        user_name=without_controls(event.user_name),
        language=without_controls(event.language),
        media_group=without_controls(event.media_group),
    )
    problem = text_problem(event.text) or text_problem(event.payload)
    if problem is None:
        return cleaned, None
    unsupported = replace(
        cleaned, kind=EventKind.UNSUPPORTED, text="", payload="", photos=(), media_group=""
    )
    return unsupported, problem


class FreeText(enum.StrEnum):
    """What a question takes besides its options."""

    NONE = ""  #: only an option answers it
    TEXT = "text"  #: typed words are welcome too
    #: typed numbers are welcome too (an apartment): a bare number is never an option's
    NUMBERS = "numbers"


@dataclass(frozen=True, slots=True)
class Button:
    text: str
    payload: str


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """What the service says to one chat, channel-neutral.

    ``edit_key`` names a message that may be edited in place later (a dispatch
    card); channels that cannot edit post the text as a new message instead.

    ``answer_to`` (an inbound event's ``reply_token``) makes the message the answer to
    a button press, not a chat message: ``text`` is then a short notice shown over the
    chat (a toast; empty: just stop the button's spinner), and only channels whose
    :class:`Capabilities` have ``toasts`` are sent such messages.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    photos: tuple[str, ...] = ()
    request_contact: bool = False
    request_location: bool = False
    edit_key: str = ""
    #: True: pin the message in its chat (an emergency nobody has taken yet); False:
    #: unpin it again.  Channels without pinned messages ignore it.
    pin: bool | None = None
    answer_to: str = ""
    #: What the question takes besides its buttons (see :func:`core.choices.recognise`).
    free_text: FreeText = FreeText.NONE
    #: Show the buttons as a list (a menu opened by one button) instead of a keyboard:
    #: set by :func:`core.choices.render` for channels with lists.
    as_list: bool = False

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "pin": self.pin,
            "answer_to": self.answer_to,
            "text": self.text,
            "buttons": [[[b.text, b.payload] for b in row] for row in self.buttons],
            "photos": list(self.photos),
            "request_contact": self.request_contact,
            "request_location": self.request_location,
            "edit_key": self.edit_key,
        }
        # Only when set: the bodies of messages that need neither stay as they were.
        if self.free_text:
            body["free_text"] = self.free_text.value
        if self.as_list:
            body["as_list"] = True
        return body

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OutboundMessage:
        return cls(
            text=str(data.get("text", "")),
            buttons=tuple(
                tuple(Button(str(t), str(p)) for t, p in row) for row in data.get("buttons", ())
            ),
            photos=tuple(str(p) for p in data.get("photos", ())),
            request_contact=bool(data.get("request_contact", False)),
            request_location=bool(data.get("request_location", False)),
            edit_key=str(data.get("edit_key", "")),
            pin=None if data.get("pin") is None else bool(data.get("pin")),
            answer_to=str(data.get("answer_to", "")),
            free_text=FreeText(data.get("free_text", "")),
            as_list=bool(data.get("as_list", False)),
        )


@dataclass(frozen=True, slots=True)
class Capabilities:
    max_buttons: int = 100
    max_button_text: int = 64
    max_payload_bytes: int = 64
    max_text: int = 4096
    editable_messages: bool = False
    albums: bool = True
    contact_request: bool = False
    location_request: bool = False
    #: Free-form messages only within this many hours of the person's last message.
    window_hours: int | None = None
    #: Rows of a list (a menu opened by one button); 0: the channel has no lists.
    list_rows: int = 0
    #: Characters of a list row's title.
    list_title: int = 24
    #: People answer by typing as often as by tapping (a reply button posts its title as
    #: a message): buttons shown as they are are remembered too, so that typed titles
    #: count as presses (see :mod:`core.choices`).
    typed_choices: bool = False
    #: A button press is answered with a short notice over the chat (the messenger's
    #: answer to a press): a refused press gets its reason there, not as a message.
    toasts: bool = False


def answered_in_turn(event: InboundEvent, capabilities: Capabilities) -> bool:
    """True when the dialogue answers this event (a press, through the outbox, with the
    refusal as a toast); otherwise the adapter answers it at once if it needs an answer."""
    return event.kind is EventKind.BUTTON and bool(event.reply_token) and capabilities.toasts


class DeliveryError(Exception):
    """A send failed.  ``retry_after`` (seconds) when the channel said when to retry;
    ``permanent`` when retrying cannot help because the chat is out of reach (the user
    blocked the bot, the chat is gone); ``refused`` when the channel will never take
    this message as it is (a picture it cannot show, a text too long, a bad button),
    while the chat itself is fine: a simpler form of the message may still go."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        refused: bool = False,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent
        self.refused = refused


@dataclass(frozen=True, slots=True)
class Delivered:
    delivery_id: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


class Channel(Protocol):
    """What the delivery worker needs from one messenger.

    A channel with rate limits may also offer ``ready_in(chat) -> float`` (seconds
    until a message to that chat is allowed) and ``room() -> int`` (how many more
    messages its overall limit takes now); the worker asks before it sends.  A channel
    with a messaging window (``Capabilities.window_hours``) may offer
    ``send_outside_window(chat, message) -> Delivered`` (a template), which delivery
    uses once the person's window has closed (see :mod:`bot.windows`).
    """

    name: str
    capabilities: Capabilities

    async def send(
        self, chat: str, message: OutboundMessage, *, edit_of: str = ""
    ) -> Delivered:  # pragma: no cover - protocol
        """Send (or, with ``edit_of`` = an earlier delivery id, edit) a message."""
        ...


def split_rows(buttons: Sequence[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    """Lay buttons out in rows of at most ``per_row``."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
