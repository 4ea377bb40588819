"""The Telegram channel: renders outbound messages, takes in updates, long-polls.

Outbound: :meth:`TelegramChannel.send` turns an :class:`OutboundMessage` into Bot API
calls under the rate limits, maps Telegram's errors onto :class:`DeliveryError`.
Inbound: :meth:`TelegramChannel.ingest` reads one update, downloads its photo, hands
both to the intake (which commits the event to the inbox) and only then reports success
(the webhook answers 200, the poller moves its offset).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    AiogramError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    GetFile,
    PinChatMessage,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    TelegramMethod,
    UnpinChatMessage,
)
from aiogram.methods.base import Response
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from aiohttp import ClientError, ClientTimeout

from adapters.inbound import accept_with_photos, photo_refused
from adapters.limiter import RateLimiter
from adapters.parts import SentParts
from adapters.telegram.parsing import (
    ALLOWED_UPDATES,
    MAX_DOWNLOAD_BYTES,
    Parsed,
    chat_of,
    parse_update,
)
from adapters.webhooks import IngestRetry
from core.channel import (
    Button,
    Capabilities,
    Delivered,
    DeliveryError,
    OutboundMessage,
    answered_in_turn,
)
from core.ports import (
    Directory,
    Intake,
    IntakeUnavailable,
    MediaReader,
    UnstorableEvent,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

TELEGRAM_CAPABILITIES = Capabilities(
    max_buttons=100,
    max_button_text=64,
    max_payload_bytes=64,
    max_text=4096,
    editable_messages=True,
    albums=True,
    contact_request=True,
    location_request=True,
    toasts=True,
)
MAX_TEXT = 4096
#: Calls on the wire at once (see ``TelegramChannel._booked``).
IN_FLIGHT = 4
#: answerCallbackQuery's limit for the notice shown over the chat.
MAX_TOAST = 200
#: A press answered too late (or twice): nothing left to do.
_ANSWER_GONE = ("query is too old", "query id is invalid", "query_id_invalid")
MAX_CAPTION = 1024
MAX_ALBUM = 10
_GONE = (
    "message to edit not found",
    "message can't be edited",
    "message_id_invalid",
    "there is no text in the message to edit",
    "message is too old",
)
_UNREACHABLE = (
    "chat not found",
    "user is deactivated",
    "bot was blocked",
    "bot was kicked",
    "peer_id_invalid",
    "have no rights to send",
    "not enough rights to send",
    "need administrator rights",
)


def is_group(chat: str) -> bool:
    """Group and supergroup (and channel) ids are negative; private chats are user ids."""
    return chat.startswith("-")


#: aiogram checks every answer as ``Response[<the method's result type>]``, a pydantic
#: generic model that pydantic caches by weak reference only: whenever the collector has
#: freed one, the next call builds it again, several milliseconds each time under load.
#: Held here, the ones this channel needs are built once.
_RESPONSE_MODELS = tuple(
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        AnswerCallbackQuery,
        EditMessageText,
        GetFile,
        PinChatMessage,
        SendMediaGroup,
        SendMessage,
        SendPhoto,
        UnpinChatMessage,
    )
)


def make_bot(token: str, api_base: str, timeout: float = 30.0) -> Bot:
    """An aiogram Bot whose HTTP session talks to ``api_base`` (the cloud, a local Bot API
    server, or the tests' fake)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base), timeout=timeout)
    return Bot(token, session=session)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at line breaks when it can."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def inline_keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    keyboard: list[list[InlineKeyboardButton]] = []
    for row in rows:
        line: list[InlineKeyboardButton] = []
        for button in row:
            if not 1 <= len(button.payload.encode()) <= 64:
                log.error("button %r dropped: payload must be 1-64 bytes", button.text)
                continue
            line.append(InlineKeyboardButton(text=button.text, callback_data=button.payload))
        if line:
            keyboard.append(line)
    return InlineKeyboardMarkup(inline_keyboard=keyboard) if keyboard else None


def request_keyboard(message: OutboundMessage) -> ReplyKeyboardMarkup | None:
    row: list[KeyboardButton] = []
    if message.request_contact:
        row.append(KeyboardButton(text="📱", request_contact=True))
    if message.request_location:
        row.append(KeyboardButton(text="📍", request_location=True))
    if not row:
        return None
    return ReplyKeyboardMarkup(keyboard=[row], resize_keyboard=True, one_time_keyboard=True)


class TelegramChannel:
    """One bot, both directions."""

    name = "telegram"
    capabilities = TELEGRAM_CAPABILITIES

    def __init__(
        self,
        bot: Bot,
        intake: Intake,
        media: MediaReader,
        directory: Directory,
        clock: Callable[[], datetime],
        *,
        limiter: RateLimiter | None = None,
        send_timeout: float = 20.0,
    ) -> None:
        self.bot = bot
        self.intake = intake
        self.media = media
        self.directory = directory
        self.clock = clock
        self.limiter = limiter or RateLimiter(is_group=is_group)
        self.send_timeout = send_timeout
        self._sent_parts = SentParts()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self._in_flight = asyncio.Semaphore(IN_FLIGHT)

    # -- secrets stay out of logs -------------------------------------------------------

    def redact(self, text: str) -> str:
        return text.replace(self.bot.token, "<token>")

    # -- outbound -----------------------------------------------------------------------

    def ready_in(self, chat: str) -> float:
        """Seconds until Telegram's rate limits allow a message to this chat."""
        return self.limiter.delay(chat)

    def room(self) -> int:
        """How many more messages Telegram's overall limit takes now."""
        return self.limiter.room()

    async def send(self, chat: str, message: OutboundMessage, *, edit_of: str = "") -> Delivered:
        if message.answer_to:
            return await self._answer_press(chat, message)
        delivered = await self._send_mapped(chat, message, edit_of)
        if message.pin is not None and is_group(chat) and delivered.delivery_id.isdigit():
            await self._pin(chat, int(delivered.delivery_id), pin=message.pin)
        return delivered

    async def _answer_press(self, chat: str, message: OutboundMessage) -> Delivered:
        """answerCallbackQuery: the toast over the chat (or just the spinner stopped).

        Not a chat message, so outside the send limits.  A press answered too late or
        twice is done (there is nothing to retry); other failures are retried as usual.
        """
        method = AnswerCallbackQuery(
            callback_query_id=message.answer_to,
            text=message.text[:MAX_TOAST] or None,
            show_alert=False,
        )
        try:
            await self._call(chat, method, cost=0)
        except DeliveryError as exc:
            if exc.refused and any(marker in str(exc).lower() for marker in _ANSWER_GONE):
                log.info("press in %s answered too late: %s", chat, exc)
                return Delivered()
            raise
        return Delivered()

    async def _pin(self, chat: str, message_id: int, *, pin: bool) -> None:
        """Pin (or unpin) a card; the message itself is out, so a failure here only logs."""
        method: TelegramMethod[bool] = (
            PinChatMessage(chat_id=int(chat), message_id=message_id, disable_notification=False)
            if pin
            else UnpinChatMessage(chat_id=int(chat), message_id=message_id)
        )
        try:
            await self._call(chat, method)
        except (DeliveryError, TelegramAPIError) as exc:
            log.warning(
                "could not %s message %s in %s (does the bot have the right?): %s",
                "pin" if pin else "unpin",
                message_id,
                chat,
                self.redact(str(exc)),
            )

    async def _send_mapped(self, chat: str, message: OutboundMessage, edit_of: str) -> Delivered:
        try:
            return await self._send(chat, message, edit_of)
        except TelegramMigrateToChat as exc:
            new_chat = str(exc.migrate_to_chat_id)
            await self.migrate(chat, new_chat)
            try:
                return await self._send(new_chat, message, "")
            except TelegramMigrateToChat as again:
                raise DeliveryError("group migrated twice", permanent=True) from again

    async def _send(self, chat: str, message: OutboundMessage, edit_of: str) -> Delivered:
        if edit_of and not message.photos and len(message.text) <= MAX_TEXT:
            edited = await self._edit(chat, message, edit_of)
            if edited is not None:
                return edited
        sending = self._sent_parts.sending(chat, message)
        photos = await self._photo_files(message.photos)
        pieces = split_text(message.text) if message.text else []
        markup = inline_keyboard(message.buttons)
        request = request_keyboard(message)
        caption_fits = (
            len(photos) == 1
            and len(message.text) <= MAX_CAPTION
            and not message.edit_key
            and request is None
        )
        if caption_fits:
            await sending.part(partial(self._photo, chat, photos[0], message.text, markup))
        else:
            for start in range(0, len(photos), MAX_ALBUM):
                batch = photos[start : start + MAX_ALBUM]
                if len(batch) == 1:
                    await sending.part(partial(self._photo, chat, batch[0], "", None))
                else:
                    await sending.part(partial(self._album, chat, batch))
            if not pieces and (markup is not None or request is not None):
                pieces = ["⬇️"]
            if markup is not None and request is not None:
                # One message carries one keyboard: the contact/location keyboard goes first
                # (it stays under the input field), the question with its buttons last.
                await sending.part(partial(self._text, chat, "⬇️", request))
            for index, piece in enumerate(pieces):
                last = index == len(pieces) - 1
                reply: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None
                if last:
                    reply = markup if markup is not None else request
                await sending.part(partial(self._text, chat, piece, reply))
        return Delivered(sending.finished())

    async def _photo_files(self, shas: Sequence[str]) -> list[BufferedInputFile]:
        files = []
        for sha in shas:
            stored = await self.media.load(sha)
            if stored is None:
                log.error("photo %s is not in the media store; sent without it", sha[:12])
                continue
            files.append(BufferedInputFile(stored[0], filename=f"{sha[:16]}.jpg"))
        return files

    async def _call(self, chat: str, method: TelegramMethod[T], cost: int = 1) -> T:
        """One API call under the rate limits (``cost`` 0: not a message, not limited),
        with Telegram's errors mapped for the outbox: the one place that tells a
        temporary failure (retried with backoff) from a permanent one."""
        if self._closed:  # stopping: a new HTTP session now would leak
            raise DeliveryError("telegram channel stopped")
        try:
            return await self._booked(chat, method, cost)
        except TelegramMigrateToChat:
            raise
        except TelegramRetryAfter as exc:
            log.warning("telegram flood control on %s: retry in %s s", chat, exc.retry_after)
            raise DeliveryError("429 too many requests", retry_after=exc.retry_after) from exc
        except TelegramForbiddenError as exc:
            self._warn_unreachable(chat, exc)
            raise DeliveryError(self.redact(str(exc)), permanent=True) from exc
        except (TelegramBadRequest, TelegramEntityTooLarge) as exc:
            # A 400 (or 413) is about the request, never about the moment: sent again as
            # it is, it is refused again.
            if any(marker in str(exc).lower() for marker in _UNREACHABLE):
                self._warn_unreachable(chat, exc)
                raise DeliveryError(self.redact(str(exc)), permanent=True) from exc
            raise DeliveryError(self.redact(str(exc)), refused=True) from exc
        except (TelegramServerError, TelegramNetworkError) as exc:
            raise DeliveryError(self.redact(str(exc))) from exc
        except TelegramAPIError as exc:
            log.error("telegram refused a call to %s: %s", chat, self.redact(str(exc)))
            raise DeliveryError(self.redact(str(exc))) from exc
        except (AiogramError, ClientError, TimeoutError) as exc:
            raise DeliveryError(self.redact(f"{type(exc).__name__}: {exc}")) from exc

    async def _booked(self, chat: str, method: TelegramMethod[T], cost: int) -> T:
        """Make the call as soon as the limits allow, booking it as it starts.

        A few calls at a time: a send booked now but put on the wire many sends later
        (while the event loop serialises a burst of them) would reach Telegram in the
        next second's window and count twice there.  (A call waiting for its chat's
        limit, the second part of a long message, holds its place meanwhile.)"""
        async with self._in_flight:
            if cost:
                await self.limiter.acquire(chat, cost)
            return await self.bot(method, request_timeout=int(self.send_timeout))

    def _warn_unreachable(self, chat: str, exc: Exception) -> None:
        if is_group(chat):
            log.warning(
                "telegram group %s is unreachable (bot removed?): %s; "
                "dispatch cards cannot be delivered there",
                chat,
                self.redact(str(exc)),
            )
        else:
            log.warning("telegram chat %s is unreachable: %s", chat, self.redact(str(exc)))

    async def _text(
        self, chat: str, text: str, markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None
    ) -> str:
        sent = await self._call(
            chat, SendMessage(chat_id=int(chat), text=text or "⬇️", reply_markup=markup)
        )
        return str(sent.message_id)

    async def _photo(
        self, chat: str, photo: BufferedInputFile, caption: str, markup: InlineKeyboardMarkup | None
    ) -> str:
        sent = await self._call(
            chat,
            SendPhoto(chat_id=int(chat), photo=photo, caption=caption or None, reply_markup=markup),
        )
        return str(sent.message_id)

    async def _album(self, chat: str, photos: Sequence[BufferedInputFile]) -> str:
        sent: list[Message] = await self._call(
            chat,
            SendMediaGroup(chat_id=int(chat), media=[InputMediaPhoto(media=p) for p in photos]),
            cost=len(photos),
        )
        return str(sent[-1].message_id) if sent else ""

    async def _edit(self, chat: str, message: OutboundMessage, edit_of: str) -> Delivered | None:
        """Edit a card in place; None when it is gone and a new message must be sent."""
        if not edit_of.isdigit():
            return None
        try:
            await self._call(
                chat,
                EditMessageText(
                    chat_id=int(chat),
                    message_id=int(edit_of),
                    text=message.text or "⬇️",
                    reply_markup=inline_keyboard(message.buttons),
                ),
            )
        except DeliveryError as exc:
            text = str(exc).lower()
            if exc.refused and "message is not modified" in text:
                return Delivered(edit_of)
            if exc.refused and any(marker in text for marker in _GONE):
                log.info("card %s in %s is gone; sending a new one", edit_of, chat)
                return None
            raise
        return Delivered(edit_of)

    # -- group migration ----------------------------------------------------------------

    async def migrate(self, old: str, new: str) -> None:
        """A group became a supergroup: its binding follows the new chat id."""
        if await self.directory.move_group(self.name, old, new):
            log.warning("telegram group %s migrated to supergroup %s: binding moved", old, new)

    # -- inbound ------------------------------------------------------------------------

    async def ingest(self, data: Any) -> bool:
        """Take in one update; True when it was new and committed.

        Raises :class:`IngestRetry` when it could not be stored now: the caller must not
        acknowledge it (webhook: answer 5xx; poller: keep the offset) and try again.
        """
        parsed = parse_update(data, self.clock())
        if parsed.note and parsed.event is None:
            log.info("telegram update %s: %s", parsed.update_id, parsed.note)
        if parsed.migrate is not None:
            try:
                await self.migrate(*parsed.migrate)
            except Exception as exc:
                raise IngestRetry("database unavailable") from exc
        if parsed.removed_from:
            log.warning(
                "the bot was removed from telegram chat %s; messages to it will fail",
                parsed.removed_from,
            )
        event = parsed.event
        if event is None:
            if parsed.callback_id:
                self._answer_callback(parsed.callback_id)
            return False
        media: list[bytes] = []
        if parsed.photo_file:
            photo, refusal = await self._download(parsed)
            if photo is not None:
                media.append(photo)
            else:
                event = photo_refused(event, refusal)
        try:
            new = (await accept_with_photos(self.intake, event, media)).new
        except UnstorableEvent as exc:
            # Never storable, so never to be retried: the update is acknowledged.
            log.warning("telegram update %s not stored: %s", parsed.update_id, exc)
            return False
        except IntakeUnavailable as exc:
            log.warning("telegram update %s not stored: %s", parsed.update_id, exc)
            raise IngestRetry("database or media store unavailable") from exc
        if parsed.callback_id and not answered_in_turn(event, self.capabilities):
            # A press the dialogues never see is answered here.  Any other is answered by
            # its dialogue turn (with the refusal as a toast), a repeated delivery too:
            # answered here, its turn's toast would come second and Telegram refuse it.
            self._answer_callback(parsed.callback_id)
        return new

    def _answer_callback(self, callback_id: str) -> None:
        """Stop the button's spinner, after the press is committed (not awaited by the ack)."""
        task = asyncio.create_task(self._answer(callback_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, callback_id: str) -> None:
        try:
            await self.bot.answer_callback_query(callback_id, request_timeout=10)
        except Exception as exc:  # the press is stored; a spinner that lingers is harmless
            log.info("answerCallbackQuery failed: %s", self.redact(str(exc)))

    async def _download(self, parsed: Parsed) -> tuple[bytes | None, str]:
        """Fetch the photo: (its bytes, "") or (None, why it was refused, "" when unknown)."""
        limit = min(MAX_DOWNLOAD_BYTES, self.intake.max_photo_bytes)
        if parsed.photo_size > limit:
            log.info("telegram update %s: photo too large", parsed.update_id)
            return None, "too_large"
        try:
            file = await self.bot.get_file(parsed.photo_file, request_timeout=30)
            if not file.file_path or (file.file_size or 0) > limit:
                return None, "too_large" if file.file_path else ""
            url = self.bot.session.api.file_url(self.bot.token, file.file_path)
            session = await self.bot.session.create_session()  # type: ignore[attr-defined]
            chunks: list[bytes] = []
            size = 0
            async with session.get(url, timeout=ClientTimeout(total=60)) as resp:
                if resp.status >= 500 or resp.status == 429:
                    raise IngestRetry(f"file download answered {resp.status}")
                if resp.status != 200:
                    log.warning("telegram file download answered %s", resp.status)
                    return None, ""
                async for chunk in resp.content.iter_chunked(65536):
                    size += len(chunk)
                    if size > limit:
                        log.info("telegram update %s: photo too large", parsed.update_id)
                        return None, "too_large"
                    chunks.append(chunk)
        except TelegramBadRequest as exc:
            log.warning("telegram getFile refused: %s", self.redact(str(exc)))
            return None, ""
        except (TelegramAPIError, ClientError, TimeoutError) as exc:
            raise IngestRetry(self.redact(f"photo download failed: {exc}")) from exc
        return b"".join(chunks), ""

    # -- modes --------------------------------------------------------------------------

    async def raw_call(self, method: str, params: dict[str, Any], http_timeout: float) -> Any:
        """A Bot API call returning the raw ``result`` (updates are parsed one by one by us,
        so one odd update cannot fail a whole batch)."""
        session = await self.bot.session.create_session()  # type: ignore[attr-defined]
        url = self.bot.session.api.api_url(self.bot.token, method)
        try:
            limit = ClientTimeout(total=http_timeout)
            async with session.post(url, json=params, timeout=limit) as resp:
                body = await resp.json(content_type=None)
        except (ClientError, TimeoutError, ValueError) as exc:
            raise PollError(self.redact(f"{method}: {type(exc).__name__}: {exc}")) from exc
        if not isinstance(body, dict):
            raise PollError(f"{method}: answered {resp.status} without a JSON object")
        if not body.get("ok"):
            params_ = body.get("parameters") or {}
            retry = params_.get("retry_after") if isinstance(params_, dict) else None
            raise PollError(
                f"{method}: {resp.status} {str(body.get('description', ''))[:200]}",
                retry_after=float(retry) if isinstance(retry, int | float) else None,
                status=resp.status,
            )
        return body.get("result")

    async def set_webhook(self, url: str, secret: str) -> None:
        """Register the webhook, retrying in the background until Telegram accepts it."""
        delay = 1.0
        while True:
            try:
                await self.raw_call(
                    "setWebhook",
                    {
                        "url": url,
                        "secret_token": secret,
                        "allowed_updates": list(ALLOWED_UPDATES),
                    },
                    http_timeout=30,
                )
                log.info("telegram webhook set")
                return
            except PollError as exc:
                log.error("telegram setWebhook failed: %s; retrying in %.0f s", exc, delay)
                await asyncio.sleep(exc.retry_after or delay)
                delay = min(delay * 2, 60)

    async def poll(self, long_poll: int = 25, idle: float = 0.0) -> None:
        """Long polling, forever: the offset moves past an update only once it is committed."""
        delay = 1.0
        while True:
            try:
                await self.raw_call("deleteWebhook", {"drop_pending_updates": False}, 30)
                break
            except PollError as exc:
                log.error("telegram deleteWebhook failed: %s", exc)
                await asyncio.sleep(exc.retry_after or delay)
                delay = min(delay * 2, 60)
        offset: int | None = None
        delay = 1.0
        while True:
            params: dict[str, Any] = {
                "timeout": long_poll,
                "allowed_updates": list(ALLOWED_UPDATES),
            }
            if offset is not None:
                params["offset"] = offset
            try:
                updates = await self.raw_call("getUpdates", params, http_timeout=long_poll + 15)
            except PollError as exc:
                level = logging.ERROR if exc.status in (401, 404, 409) else logging.WARNING
                log.log(level, "telegram getUpdates failed: %s", exc)
                await asyncio.sleep(exc.retry_after or delay)
                delay = min(delay * 2, 60)
                continue
            delay = 1.0
            if not isinstance(updates, list):
                continue
            await self._ingest_batch(updates)
            ids = [u.get("update_id") for u in updates if isinstance(u, dict)]
            newest = max((i for i in ids if isinstance(i, int)), default=None)
            if newest is not None and (offset is None or newest >= offset):
                offset = newest + 1
            if idle:
                await asyncio.sleep(idle)

    async def _ingest_batch(self, updates: list[Any]) -> None:
        """Take in one getUpdates batch: each chat's updates in order, different chats
        side by side (their inbox commits share transactions); returns once every
        update is stored, retrying those that could not be."""
        by_chat: dict[str, list[Any]] = {}
        for raw in updates:
            by_chat.setdefault(chat_of(raw), []).append(raw)

        async def in_order(raws: list[Any]) -> None:
            for raw in raws:
                delay = 1.0
                while True:
                    try:
                        await self.ingest(raw)
                        break
                    except IngestRetry as exc:
                        update_id = raw.get("update_id") if isinstance(raw, dict) else None
                        log.warning("telegram update %s not stored yet: %s", update_id, exc)
                        await asyncio.sleep(delay)
                        delay = min(delay * 2, 60)

        await asyncio.gather(*(in_order(raws) for raws in by_chat.values()))

    async def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 2)
        await self.bot.session.close()


class PollError(Exception):
    def __init__(self, message: str, *, retry_after: float | None = None, status: int = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status
