"""The WhatsApp channel: sends under the number's rate with errors mapped for the outbox,
the template outside the 24-hour window; takes in notifications (each message's photo
fetched by media id, then the intake) and what status callbacks report.

Error 131047 (more than 24 hours since the person last wrote) means the free-form
message can never go: the template goes instead at once, whether the error comes in
the send's answer or later in a ``failed`` status callback.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import Any

from adapters.inbound import accept_with_photos, photo_refused
from adapters.limiter import Limits, RateLimiter
from adapters.parts import SentParts, remember
from adapters.webhooks import IngestRetry
from adapters.whatsapp.api import CloudApi, CloudApiError
from adapters.whatsapp.parsing import (
    CHANNEL,
    MAX_DELIVERY_ID,
    Inbound,
    Notification,
    Status,
    short_id,
)
from adapters.whatsapp.sender import (
    MAX_BUTTON_TITLE,
    MAX_BUTTONS,
    MAX_ROW_ID,
    MAX_ROW_TITLE,
    MAX_ROWS,
    MAX_TEXT,
    Template,
    bodies,
    template_body,
)
from core.channel import (
    Capabilities,
    Delivered,
    DeliveryError,
    OutboundMessage,
)
from core.ports import Intake, IntakeUnavailable, MediaReader, UnstorableEvent

log = logging.getLogger(__name__)

WHATSAPP_CAPABILITIES = Capabilities(
    max_buttons=MAX_BUTTONS,
    max_button_text=MAX_BUTTON_TITLE,
    max_payload_bytes=MAX_ROW_ID,
    max_text=MAX_TEXT,
    albums=False,
    window_hours=24,
    list_rows=MAX_ROWS,
    list_title=MAX_ROW_TITLE,
)
#: The Cloud API's default throughput: 80 messages a second per phone number.
MESSAGES_PER_SECOND = 80

#: Re-engagement needed: the person last wrote more than 24 hours ago.
WINDOW_CLOSED = 131047
#: Rate limits: the app's, the account's, the number's throughput, one person's pair rate.
_RATE_LIMITED = frozenset({4, 80007, 130429, 131048, 131056})
#: Graph's own trouble: the same request may go later.
_TEMPORARY = frozenset({1, 2, 131000, 131016})
#: The person cannot get messages from this number (not on WhatsApp, blocked delivery).
_UNREACHABLE = frozenset({131026})
#: The token or the app's permissions: the service's configuration, not the message.
_CONFIG = frozenset({10, 190, 200})

#: Uploaded media ids are kept by WhatsApp for 30 days; reused for a week here.
UPLOAD_REUSE_SECONDS = 7 * 24 * 3600

Receipt = Callable[[str, str, str, datetime], Awaitable[bool]]
#: The receipts the outbox keeps, by the Cloud API's status names ("sent" adds nothing).
_RECEIPTS = {"delivered": "delivered", "read": "seen", "failed": "failed"}


class WindowClosed(Exception):
    """A free-form message was refused with 131047."""


class WhatsAppChannel:
    """One phone number, both directions."""

    name = CHANNEL
    capabilities = WHATSAPP_CAPABILITIES

    def __init__(
        self,
        api: CloudApi,
        intake: Intake,
        media: MediaReader,
        template: Template,
        *,
        limiter: RateLimiter | None = None,
        receipt: Receipt | None = None,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api = api
        self.intake = intake
        self.media = media
        self.template = template
        self.limiter = limiter or RateLimiter(
            Limits(private_count=MESSAGES_PER_SECOND, global_count=MESSAGES_PER_SECOND)
        )
        self.receipt = receipt
        self.now = now
        self._sent_parts = SentParts()
        # Free-form messages lately sent, by delivery id, for a failed status callback
        # (131047) to send as the template.
        self._recent: OrderedDict[str, tuple[str, str, OutboundMessage]] = OrderedDict()
        # Messages already sent as the template (every part of one may fail so).
        self._fell_back: OrderedDict[str, None] = OrderedDict()
        self._uploads: OrderedDict[str, tuple[str, float]] = OrderedDict()

    # -- what the outbox worker asks ----------------------------------------------------

    def ready_in(self, chat: str) -> float:
        return self.limiter.delay(chat)

    def room(self) -> int:
        return self.limiter.room()

    async def send(self, chat: str, message: OutboundMessage, *, edit_of: str = "") -> Delivered:
        sending = self._sent_parts.sending(chat, message)
        try:
            calls = await bodies(message, lambda sha: self._upload(chat, sha))
            for body in calls:
                if await sending.part(partial(self._post, chat, body)):
                    sent = (sending.key, chat, message)
                    remember(self._recent, short_id(sending.last_id, MAX_DELIVERY_ID), sent)
        except WindowClosed:
            log.info("whatsapp %s: outside the 24-hour window; the template goes", chat)
            sending.finished()
            return await self.send_outside_window(chat, message)
        return Delivered(short_id(sending.finished(), MAX_DELIVERY_ID))

    async def send_outside_window(self, chat: str, message: OutboundMessage) -> Delivered:
        """The notice as the approved template (a message outside the window)."""
        try:
            wamid = await self._post(chat, template_body(self.template, message))
        except WindowClosed as exc:  # only free-form messages are refused so
            raise DeliveryError("whatsapp: the template was refused as free-form") from exc
        return Delivered(short_id(wamid, MAX_DELIVERY_ID))

    async def _post(self, chat: str, body: dict[str, Any]) -> str:
        await self.limiter.acquire(chat)
        try:
            return await self.api.send({**_recipient(chat), **body})
        except CloudApiError as exc:
            raise _mapped(chat, exc) from None

    async def _upload(self, chat: str, sha: str) -> str | None:
        """A photo's media id, uploaded once a week at most."""
        known = self._uploads.get(sha)
        if known is not None and self.now() - known[1] < UPLOAD_REUSE_SECONDS:
            return known[0]
        stored = await self.media.load(sha)
        if stored is None:
            log.error("photo %s is not in the media store; sent without it", sha[:12])
            return None
        data, mime = stored
        try:
            media_id = await self.api.upload(data, mime, f"{sha[:16]}.jpg")
        except CloudApiError as exc:
            raise _mapped(chat, exc) from None
        remember(self._uploads, sha, (media_id, self.now()))
        return media_id

    # -- inbound ------------------------------------------------------------------------

    async def ingest(self, notification: Notification) -> None:
        """Every message into the intake, in order, then every status.  Raises
        :class:`IngestRetry` when something could not be kept now: Meta delivers the
        notification again, and what was kept already is recognised by its message id."""
        for inbound in notification.messages:
            await self._take(inbound)
        for status in notification.statuses:
            try:
                await self.on_status(status)
            except Exception as exc:  # the receipt port's database, whatever its driver
                raise IngestRetry(f"status not kept: {type(exc).__name__}") from exc

    async def _take(self, inbound: Inbound) -> None:
        event = inbound.event
        photos: list[bytes] = []
        if inbound.media_id:
            photo, refusal = await self._download(inbound.media_id)
            if photo is None:
                event = photo_refused(event, refusal)
            else:
                photos.append(photo)
        try:
            await accept_with_photos(self.intake, event, photos)
        except UnstorableEvent as exc:
            # Never storable, so never to be retried: acknowledged with the others.
            log.warning("whatsapp message %s not stored: %s", event.event_id, exc)
        except IntakeUnavailable as exc:
            raise IngestRetry(f"database or media store unavailable: {exc}") from exc

    async def _download(self, media_id: str) -> tuple[bytes | None, str]:
        """A person's photo by its media id: (its bytes, "") or (None, why not, "" when
        WhatsApp no longer has it)."""
        limit = self.intake.max_photo_bytes
        try:
            url, size = await self.api.media_url(media_id)
            if size > limit:
                return None, "too_large"
            data = await self.api.download(url, limit)
        except CloudApiError as exc:
            if exc.http == 0 or exc.http >= 500 or exc.http == 429:
                raise IngestRetry(f"photo not fetched: {exc}") from None
            log.warning("whatsapp media %s not fetched: %s", media_id, exc)
            return None, ""
        return (data, "") if data is not None else (None, "too_large")

    # -- status callbacks ---------------------------------------------------------------

    async def on_status(self, status: Status) -> None:
        """Keep a status on the sent message's outbox row; a free-form message that failed
        with 131047 goes again as the template, at once."""
        if status.status == "failed" and WINDOW_CLOSED in status.errors:
            sent = self._recent.pop(status.delivery_id, None)
            if sent is not None:
                key, chat, message = sent
                if key in self._fell_back:
                    return
                try:
                    await self.send_outside_window(chat, message)
                except DeliveryError as exc:
                    log.warning("whatsapp %s: the template did not go either: %s", chat, exc)
                else:
                    remember(self._fell_back, key, None)
                    return
        receipt = _RECEIPTS.get(status.status)
        if status.status == "failed":
            log.warning(
                "whatsapp message %s to %s failed: codes %s",
                status.delivery_id,
                status.recipient,
                ",".join(map(str, status.errors)) or "none",
            )
        if receipt is not None and self.receipt is not None:
            await self.receipt(self.name, status.delivery_id, receipt, status.at)

    async def close(self) -> None:
        await self.api.close()


def _recipient(chat: str) -> dict[str, str]:
    """A phone number is sent to by ``to``; a business-scoped user id by ``recipient``."""
    if chat.isdigit():
        return {"recipient_type": "individual", "to": chat}
    return {"recipient_type": "individual", "recipient": chat}


def _mapped(chat: str, exc: CloudApiError) -> Exception:
    """The outbox's reading of a Cloud API error (:class:`WindowClosed` for 131047)."""
    if exc.code == WINDOW_CLOSED:
        return WindowClosed(str(exc))
    if exc.http == 429 or exc.code in _RATE_LIMITED:
        log.warning("whatsapp rate limit on %s: %s", chat, exc)
        return DeliveryError(str(exc), retry_after=exc.retry_after)
    if exc.http == 0 or exc.http >= 500 or exc.code in _TEMPORARY:
        return DeliveryError(str(exc))
    if exc.code in _UNREACHABLE:
        log.warning("whatsapp chat %s is unreachable: %s", chat, exc)
        return DeliveryError(str(exc), permanent=True)
    if exc.code in _CONFIG or exc.http in (401, 403):
        log.error("whatsapp refused the token or its permissions: %s", exc)
        return DeliveryError(str(exc))
    # Any other 4xx is about the request itself: sent again as it is, refused again.
    return DeliveryError(str(exc), refused=True)
