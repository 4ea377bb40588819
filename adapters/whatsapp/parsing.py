"""A webhook notification (untrusted JSON) -> the messages and statuses it carries.

Pure: no I/O.  The channel downloads the media named here and hands each event to the
intake; it records each status.  Nothing a client sends may raise out of
:func:`parse_notification`: a message that cannot be read becomes an ``UNSUPPORTED``
event when the sender is known (so the dialogue answers politely), anything else is
skipped with a note.

One notification may carry several entries, changes, messages and statuses at once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from core.channel import EventKind, InboundEvent, screened

CHANNEL = "whatsapp"
#: What the inbox keeps of an event id, and the outbox of a delivery id.
MAX_EVENT_ID = 100
MAX_DELIVERY_ID = 64
#: A phone number as WhatsApp sends it: digits only, without the plus.
_PHONE = re.compile(r"[0-9]{5,20}")
#: A business-scoped user id: a country code, an optional ``ENT`` part, an id.
_BSUID = re.compile(r"[A-Z]{2}(?:\.ENT)?\.[A-Za-z0-9]{1,128}")
#: Message ids (``wamid.``...) are base64-like; anything else is not WhatsApp's.
_MESSAGE_ID = re.compile(r"[A-Za-z0-9._=+/-]{1,512}")
#: Statuses a sent message goes through; "failed" carries error codes.
STATUSES = ("sent", "delivered", "read", "failed")
#: Documents whose type says they are pictures are taken as photos.
_IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message: its event, and the media id to fetch for it ("" when none)."""

    event: InboundEvent
    media_id: str = ""


@dataclass(frozen=True, slots=True)
class Status:
    """What became of a message the service sent (``delivery_id``: see :func:`short_id`)."""

    delivery_id: str
    status: str
    recipient: str
    at: datetime
    errors: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Notification:
    messages: tuple[Inbound, ...] = ()
    statuses: tuple[Status, ...] = ()
    notes: tuple[str, ...] = ()


def short_id(value: str, limit: int) -> str:
    """``value`` if it fits ``limit`` characters, else a stable digest of it: message
    ids can be longer than the columns that key events and deliveries."""
    if len(value) <= limit:
        return value
    return "h." + hashlib.sha256(value.encode()).hexdigest()[: limit - 2]


def parse_notification(data: Any, now: datetime, phone_number_id: str = "") -> Notification:
    """Every message and status of a notification sent to ``phone_number_id`` (any
    number when empty); never raises."""
    messages: list[Inbound] = []
    statuses: list[Status] = []
    notes: list[str] = []
    if not isinstance(data, Mapping) or data.get("object") != "whatsapp_business_account":
        return Notification(notes=("not a WhatsApp Business Account notification",))
    for entry in _dicts(data.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, Mapping):
                notes.append(f"field {_text(change.get('field'))[:40]!r} not used")
                continue
            metadata = value.get("metadata")
            number = _text(metadata.get("phone_number_id")) if isinstance(metadata, Mapping) else ""
            if phone_number_id and number != phone_number_id:
                notes.append("for another phone number")
                continue
            names = _names(value.get("contacts"))
            for message in _dicts(value.get("messages")):
                inbound = _message(message, names, now)
                if isinstance(inbound, str):
                    notes.append(inbound)
                else:
                    messages.append(inbound)
            for status in _dicts(value.get("statuses")):
                read = _status(status)
                if isinstance(read, str):
                    notes.append(read)
                else:
                    statuses.append(read)
    return Notification(tuple(messages), tuple(statuses), tuple(notes))


# -- accessors for untrusted JSON ---------------------------------------------------------


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _names(contacts: Any) -> dict[str, str]:
    """Profile names by phone number and by business-scoped id."""
    names: dict[str, str] = {}
    for contact in _dicts(contacts):
        profile = contact.get("profile")
        name = _text(profile.get("name")) if isinstance(profile, Mapping) else ""
        for key in (_text(contact.get("wa_id")), _text(contact.get("user_id"))):
            if key and name:
                names[key] = name[:200]
    return names


# -- messages -----------------------------------------------------------------------------


def _message(message: Mapping[str, Any], names: Mapping[str, str], now: datetime) -> Inbound | str:
    wamid = _text(message.get("id"))
    if not _MESSAGE_ID.fullmatch(wamid):
        return "message without a usable id"
    phone = _text(message.get("from"))
    bsuid = _text(message.get("from_user_id"))
    phone = phone if _PHONE.fullmatch(phone) else ""
    bsuid = bsuid if _BSUID.fullmatch(bsuid) else ""
    if not phone and not bsuid:
        return f"message {wamid[:40]} without a usable sender"
    # The person is the business-scoped id where there is one (it outlives a hidden
    # number); the chat is where a reply goes, the number while WhatsApp gives it.
    base = InboundEvent(
        channel=CHANNEL,
        event_id=short_id(wamid, MAX_EVENT_ID),
        chat=phone or bsuid,
        user=bsuid or phone,
        kind=EventKind.UNSUPPORTED,
        received_at=now,
        user_name=names.get(bsuid) or names.get(phone, ""),
    )
    inbound = _content(message, base)
    event, problem = screened(inbound.event)
    if problem is not None:
        return Inbound(event)
    return replace(inbound, event=event)


def _content(message: Mapping[str, Any], base: InboundEvent) -> Inbound:
    kind = _text(message.get("type"))
    body = message.get(kind) if kind else None
    part: Mapping[str, Any] = body if isinstance(body, Mapping) else {}
    if kind == "text":
        text = _text(part.get("body"))
        if text.startswith("/start "):
            payload = text.removeprefix("/start ").strip()
            if payload:
                return Inbound(replace(base, kind=EventKind.START, payload=payload))
        return Inbound(replace(base, kind=EventKind.TEXT, text=text))
    if kind == "interactive":
        reply = part.get(_text(part.get("type")))
        if _text(part.get("type")) in ("button_reply", "list_reply") and isinstance(reply, Mapping):
            payload = _text(reply.get("id"))
            if payload:
                return Inbound(replace(base, kind=EventKind.BUTTON, payload=payload))
        return Inbound(base)
    if kind == "button":
        # A template's quick-reply button: its payload is a command the service put there.
        said = _text(part.get("payload")) or _text(part.get("text"))
        return Inbound(replace(base, kind=EventKind.TEXT, text=said)) if said else Inbound(base)
    if kind in ("image", "document"):
        media_id = _text(part.get("id"))
        mime = _text(part.get("mime_type")).split(";")[0].strip().lower()
        caption = _text(part.get("caption"))
        if media_id and (kind == "image" or mime in _IMAGE_TYPES):
            return Inbound(replace(base, kind=EventKind.PHOTO, text=caption), media_id=media_id)
        return Inbound(replace(base, text=caption))
    if kind == "location":
        lat, lon = _number(part.get("latitude")), _number(part.get("longitude"))
        if lat is not None and lon is not None and abs(lat) <= 90 and abs(lon) <= 180:
            payload = f"{lat:.6f},{lon:.6f}"
            return Inbound(replace(base, kind=EventKind.LOCATION, payload=payload))
        return Inbound(base)
    if kind == "contacts":
        for contact in _dicts(message.get("contacts")):
            for phone in _dicts(contact.get("phones")):
                number = _text(phone.get("phone")).strip()
                if number:
                    return Inbound(replace(base, kind=EventKind.CONTACT, payload=number[:40]))
        return Inbound(base)
    # Stickers, voice, video, reactions, orders, "unknown" (a type WhatsApp cannot pass
    # on), system notices...: a polite reply.
    return Inbound(base)


# -- statuses -----------------------------------------------------------------------------


def _status(status: Mapping[str, Any]) -> Status | str:
    wamid = _text(status.get("id"))
    state = _text(status.get("status"))
    if not _MESSAGE_ID.fullmatch(wamid) or state not in STATUSES:
        return f"status {state[:20]!r} not used"
    stamp = _text(status.get("timestamp"))
    at = datetime.fromtimestamp(int(stamp), UTC) if stamp.isdigit() and len(stamp) <= 11 else None
    if at is None:
        return "status without a timestamp"
    codes = tuple(
        error["code"]
        for error in _dicts(status.get("errors"))
        if isinstance(error.get("code"), int) and not isinstance(error.get("code"), bool)
    )
    recipient = _text(status.get("recipient_id")) or _text(status.get("recipient_user_id"))
    return Status(short_id(wamid, MAX_DELIVERY_ID), state, recipient, at, codes)
