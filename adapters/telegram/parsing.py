"""Untrusted update JSON -> :class:`Parsed` (an :class:`InboundEvent` and what else to do).

Pure: no I/O.  The channel downloads the photo named here, commits the event, answers
the callback query and applies a group migration.  Nothing a client sends may raise
out of :func:`parse_update`: what cannot be read becomes an ``UNSUPPORTED`` event when
we know who sent it (so the dialogue answers politely), or is dropped with a reason.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from aiogram.types import CallbackQuery, Document, Message, PhotoSize, Update
from pydantic import ValidationError

from adapters.telegram.settings import CHANNEL
from core.channel import EventKind, InboundEvent, screened

log = logging.getLogger(__name__)

#: Telegram's limit for files a bot may download through the cloud Bot API.
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
#: The update types the bot asks for (getUpdates / setWebhook ``allowed_updates``).
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")


@dataclass(frozen=True, slots=True)
class Parsed:
    """One update, read.

    ``event`` is None when there is nothing for the dialogues.  ``photo_file`` is the
    file id to download and attach to the event (``photo_size`` when Telegram told it).
    """

    update_id: int | None
    event: InboundEvent | None = None
    photo_file: str = ""
    photo_size: int = 0
    callback_id: str = ""
    migrate: tuple[str, str] | None = None
    removed_from: str = ""
    note: str = ""


def chat_of(data: Any) -> str:
    """The chat an update (still raw JSON) belongs to, "" when it cannot be told: a
    cheap look so that updates of different chats can be taken in side by side."""
    if not isinstance(data, dict):
        return ""
    for value in data.values():
        if not isinstance(value, dict):
            continue
        holder = value.get("message") if "chat" not in value else value
        chat = holder.get("chat") if isinstance(holder, dict) else None
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return str(chat["id"])
        sender = value.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return str(sender["id"])
    return ""


def parse_update(data: Any, now: datetime) -> Parsed:
    """Read one update; never raises."""
    if not isinstance(data, Mapping):
        return Parsed(None, note="not an object")
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return Parsed(None, note="no update_id")
    try:
        update = Update.model_validate(dict(data))
    except ValidationError:
        return _unreadable(data, update_id, now)
    try:
        parsed = _parse(update, update_id, now)
    except Exception:  # a shape aiogram accepted but we did not expect
        log.warning("telegram update %s: unexpected shape", update_id, exc_info=True)
        return _unreadable(data, update_id, now)
    return _screened(parsed)


def _screened(parsed: Parsed) -> Parsed:
    """What a person wrote holding a NUL, a lone surrogate or a control character makes
    the update an unsupported event (a polite reply, no photo fetched); names are
    cleaned of such characters."""
    if parsed.event is None:
        return parsed
    event, problem = screened(parsed.event)
    if problem is None:
        return replace(parsed, event=event)
    return Parsed(parsed.update_id, event, callback_id=parsed.callback_id, note=problem)


def _parse(update: Update, update_id: int, now: datetime) -> Parsed:
    if update.message is not None:
        return _message(update.message, update_id, now)
    if update.callback_query is not None:
        return _callback(update.callback_query, update_id, now)
    if update.edited_message is not None or update.edited_channel_post is not None:
        return Parsed(update_id, note="edited message ignored")
    if update.my_chat_member is not None:
        member = update.my_chat_member
        chat = str(member.chat.id)
        status = member.new_chat_member.status
        if status in ("left", "kicked"):
            return Parsed(update_id, removed_from=chat, note=f"bot {status} in chat")
        return Parsed(update_id, note=f"bot is now {status} in chat {chat}")
    return Parsed(update_id, note="update type not used")


def _refs(message: Message) -> tuple[str, str] | None:
    """(chat, user) of a message; a private chat's ref is the user's id."""
    sender = message.from_user
    if sender is None:
        return None
    user = str(sender.id)
    chat = user if message.chat.type == "private" else str(message.chat.id)
    return chat, user


def _event(
    update_id: int, chat: str, user: str, kind: EventKind, now: datetime, **fields: Any
) -> InboundEvent:
    return InboundEvent(
        channel=CHANNEL,
        event_id=str(update_id),
        chat=chat,
        user=user,
        kind=kind,
        received_at=now,
        **fields,
    )


def _command_text(text: str) -> str:
    """``/jobs@SomeBot 12`` -> ``/jobs 12`` (groups address commands to one bot)."""
    if not text.startswith("/"):
        return text
    head, sep, rest = text.partition(" ")
    return head.split("@", 1)[0] + sep + rest


def _message(message: Message, update_id: int, now: datetime) -> Parsed:
    if message.migrate_to_chat_id is not None:
        old, new = str(message.chat.id), str(message.migrate_to_chat_id)
        return Parsed(update_id, migrate=(old, new), note="group migrated")
    if message.migrate_from_chat_id is not None:
        old, new = str(message.migrate_from_chat_id), str(message.chat.id)
        return Parsed(update_id, migrate=(old, new), note="group migrated")
    if message.left_chat_member is not None or message.new_chat_members:
        return Parsed(update_id, note="membership service message")
    if message.chat.type == "channel":
        return Parsed(update_id, note="channel post")
    refs = _refs(message)
    if refs is None:
        return Parsed(update_id, note="message without sender")
    chat, user = refs
    sender = message.from_user
    assert sender is not None
    who: dict[str, Any] = {
        "user_name": sender.full_name[:200],
        "language": sender.language_code or "",
    }
    caption = message.caption or ""
    if message.text is not None:
        text = _command_text(message.text)
        if text.startswith("/start "):
            payload = text.removeprefix("/start ").strip()
            if payload:
                return Parsed(
                    update_id,
                    _event(update_id, chat, user, EventKind.START, now, payload=payload, **who),
                )
        event = _event(update_id, chat, user, EventKind.TEXT, now, text=text, **who)
        return Parsed(update_id, event)
    # A photo (its largest size) or an image sent as a file.
    picture: PhotoSize | Document | None = None
    if message.photo:
        picture = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
    elif message.document is not None and (message.document.mime_type or "").startswith("image/"):
        picture = message.document
    if picture is not None:
        group = message.media_group_id or ""
        return Parsed(
            update_id,
            _event(
                update_id, chat, user, EventKind.PHOTO, now, text=caption, media_group=group, **who
            ),
            photo_file=picture.file_id,
            photo_size=picture.file_size or 0,
        )
    if message.contact is not None:
        phone = message.contact.phone_number.strip()
        return Parsed(
            update_id, _event(update_id, chat, user, EventKind.CONTACT, now, payload=phone, **who)
        )
    if message.location is not None:
        loc = message.location
        payload = f"{loc.latitude:.6f},{loc.longitude:.6f}"
        return Parsed(
            update_id,
            _event(update_id, chat, user, EventKind.LOCATION, now, payload=payload, **who),
        )
    # Stickers, voice, video notes, polls, video, audio, dice...: a polite reply.
    return Parsed(
        update_id,
        _event(update_id, chat, user, EventKind.UNSUPPORTED, now, text=caption, **who),
        note="unsupported message",
    )


def _callback(query: CallbackQuery, update_id: int, now: datetime) -> Parsed:
    user = str(query.from_user.id)
    message = query.message
    chat = user
    if message is not None and message.chat.type != "private":
        chat = str(message.chat.id)
    if query.data is None:
        return Parsed(update_id, callback_id=query.id, note="callback without data")
    event = _event(
        update_id,
        chat,
        user,
        EventKind.BUTTON,
        now,
        payload=query.data,
        user_name=query.from_user.full_name[:200],
        language=query.from_user.language_code or "",
        reply_token=query.id,
    )
    return Parsed(update_id, event, callback_id=query.id)


def _unreadable(data: Mapping[str, Any], update_id: int, now: datetime) -> Parsed:
    """An update aiogram could not validate: answer politely if we can tell who sent it."""
    for key in ("message", "callback_query"):
        part = data.get(key)
        if not isinstance(part, Mapping):
            continue
        sender = part.get("from")
        message = part.get("message") if key == "callback_query" else part
        chat_obj = message.get("chat") if isinstance(message, Mapping) else None
        sender_id = sender.get("id") if isinstance(sender, Mapping) else None
        if not isinstance(sender_id, int) or isinstance(sender_id, bool):
            continue
        user = str(sender_id)
        chat = user
        if isinstance(chat_obj, Mapping):
            chat_id, chat_type = chat_obj.get("id"), chat_obj.get("type")
            if isinstance(chat_id, int) and chat_type != "private":
                chat = str(chat_id)
        callback_id = part.get("id") if key == "callback_query" else ""
        return Parsed(
            update_id,
            _event(update_id, chat, user, EventKind.UNSUPPORTED, now),
            callback_id=callback_id if isinstance(callback_id, str) else "",
            note="unreadable update",
        )
    return Parsed(update_id, note="unreadable update")
