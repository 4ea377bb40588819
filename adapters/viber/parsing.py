"""Untrusted callback JSON -> :class:`Callback` (an event, a receipt, a welcome to give...).

Pure: no I/O.  The webhook downloads the picture named here, hands the event to the
intake, records receipts and answers ``conversation_started`` with the welcome.  Nothing
Viber (or anyone else) sends may raise out of :func:`parse_callback`: what cannot be read
becomes an ``UNSUPPORTED`` event when we know who sent it, or is dropped with a reason.

Field names follow Viber's REST Bot API callbacks (``event``, ``timestamp``,
``message_token``, ``sender``/``user``/``user_id``, ``message.type``...).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from core import payloads
from core.channel import EventKind, InboundEvent, screened
from core.text_safety import text_problem

CHANNEL = "viber"
#: Callbacks that report on a message the bot sent (recorded on its outbox row).
RECEIPTS = ("delivered", "seen", "failed")
#: What ``set_webhook`` asks Viber to send (``message`` and ``webhook`` always come).
EVENT_TYPES = ("delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started")
#: Picture files a person may send as a "file" message instead of a picture.
IMAGE_FILES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
#: A user id is Viber's base64 string; the inbox and identities keep 64 characters.
MAX_ID = 64
#: A deep-link context goes back to Viber as a button's ActionBody (at most 250).
MAX_CONTEXT = 200
START = "/start"


@dataclass(frozen=True, slots=True)
class Callback:
    """One callback, read.

    ``event`` is set when there is something for the dialogues (``media_url``: the
    picture to download first).  ``welcome_to`` is the user a ``conversation_started``
    is answered for (with ``context`` from the deep link); ``receipt`` is
    (message token, "delivered" | "seen" | "failed"); ``unsubscribed`` is a user id.
    """

    kind: str
    event: InboundEvent | None = None
    media_url: str = ""
    media_size: int = 0
    welcome_to: str = ""
    context: str = ""
    language: str = ""
    receipt: tuple[str, str] | None = None
    detail: str = ""
    unsubscribed: str = ""
    note: str = ""


def parse_callback(data: Any, now: datetime) -> Callback:
    """Read one callback; never raises."""
    if not isinstance(data, Mapping):
        return Callback("", note="not an object")
    kind = data.get("event")
    if not isinstance(kind, str):
        return Callback("", note="no event type")
    if kind == "message":
        return _message(data, now)
    if kind == "conversation_started":
        return _conversation_started(data)
    if kind in RECEIPTS:
        token = _token(data.get("message_token"))
        if not token:
            return Callback(kind, note="receipt without message_token")
        desc = data.get("desc")
        detail = desc[:200] if isinstance(desc, str) and not text_problem(desc) else ""
        return Callback(kind, receipt=(token, kind), detail=detail)
    if kind == "unsubscribed":
        user = _user_id(data.get("user_id"))
        if not user:
            return Callback(kind, note="unsubscribed without a usable user_id")
        return Callback(kind, unsubscribed=user)
    if kind in ("webhook", "subscribed"):
        return Callback(kind, note=f"{kind} acknowledged")
    return Callback(kind[:40], note="event type not used")


def _token(value: Any) -> str:
    """A message token (an integer; some clients send it as a string of digits)."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 30:
        return value
    return ""


def _user_id(value: Any) -> str:
    if isinstance(value, str) and 1 <= len(value) <= MAX_ID and not text_problem(value):
        return value
    return ""


def _who(person: Mapping[str, Any]) -> dict[str, str]:
    name, language = person.get("name"), person.get("language")
    return {
        "user_name": name[:200] if isinstance(name, str) else "",
        "language": language[:8] if isinstance(language, str) else "",
    }


def _conversation_started(data: Mapping[str, Any]) -> Callback:
    user = data.get("user")
    user_id = _user_id(user.get("id")) if isinstance(user, Mapping) else ""
    if not user_id or not isinstance(user, Mapping):
        return Callback("conversation_started", note="no usable user")
    context = data.get("context")
    if not isinstance(context, str) or text_problem(context) or len(context) > MAX_CONTEXT:
        context = ""
    return Callback(
        "conversation_started",
        welcome_to=user_id,
        context=context.strip(),
        language=_who(user)["language"],
    )


def _message(data: Mapping[str, Any], now: datetime) -> Callback:
    sender = data.get("sender")
    user = _user_id(sender.get("id")) if isinstance(sender, Mapping) else ""
    token = _token(data.get("message_token"))
    if not user or not token or not isinstance(sender, Mapping):
        return Callback("message", note="message without a usable sender or message_token")
    who = _who(sender)

    def event(kind: EventKind, **fields: Any) -> InboundEvent:
        # A bot has 1:1 chats only: the chat is the user.
        return InboundEvent(
            channel=CHANNEL,
            event_id=token,
            chat=user,
            user=user,
            kind=kind,
            received_at=now,
            user_name=who["user_name"],
            language=who["language"],
            **fields,
        )

    message = data.get("message")
    if not isinstance(message, Mapping):
        return _screened(Callback("message", event(EventKind.UNSUPPORTED), note="no message"))
    mtype = message.get("type")
    raw_text = message.get("text")
    text = raw_text if isinstance(raw_text, str) else ""
    if mtype == "text" and text:
        return _screened(Callback("message", _text_event(text, event)))
    if mtype in ("picture", "file"):
        media = message.get("media")
        name = message.get("file_name")
        is_image = mtype == "picture" or (
            isinstance(name, str) and name.lower().endswith(IMAGE_FILES)
        )
        if is_image and isinstance(media, str) and media.startswith(("https://", "http://")):
            size = message.get("file_size")
            return _screened(
                Callback(
                    "message",
                    event(EventKind.PHOTO, text=text),
                    media_url=media,
                    media_size=size if isinstance(size, int) and size > 0 else 0,
                )
            )
    if mtype == "contact":
        contact = message.get("contact")
        phone = contact.get("phone_number") if isinstance(contact, Mapping) else None
        if isinstance(phone, str) and phone.strip():
            return _screened(Callback("message", event(EventKind.CONTACT, payload=phone.strip())))
    if mtype == "location":
        place = message.get("location")
        lat = place.get("lat") if isinstance(place, Mapping) else None
        lon = place.get("lon") if isinstance(place, Mapping) else None
        if _coordinate(lat, 90) and _coordinate(lon, 180):
            payload = f"{float(lat):.6f},{float(lon):.6f}"  # type: ignore[arg-type]
            return _screened(Callback("message", event(EventKind.LOCATION, payload=payload)))
    # Stickers, videos, links, other files, a shape we cannot read: a polite reply.
    note = f"unsupported message type {str(mtype)[:20]!r}"
    return _screened(Callback("message", event(EventKind.UNSUPPORTED), note=note))


def _text_event(text: str, event: Callable[..., InboundEvent]) -> InboundEvent:
    """A tap on a keyboard button arrives as text whose text is the button's ActionBody:
    anything shaped like a payload is a press (checked like any press, so a typed one
    that is forged or stale changes nothing); "/start <context>" is a deep-link start."""
    if text.startswith(f"{payloads.PREFIX}:"):
        return event(EventKind.BUTTON, payload=text)
    if text == START or text.startswith(f"{START} "):
        context = text.removeprefix(START).strip()
        if context:
            return event(EventKind.START, payload=context)
    return event(EventKind.TEXT, text=text)


def _coordinate(value: Any, limit: float) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and -limit <= value <= limit
    )


def _screened(callback: Callback) -> Callback:
    """What a person wrote holding a NUL, a lone surrogate or a control character makes
    the callback an unsupported event (a polite reply, no picture fetched)."""
    if callback.event is None:
        return callback
    event, problem = screened(callback.event)
    if problem is None:
        return replace(callback, event=event)
    return Callback(callback.kind, event, note=problem)
