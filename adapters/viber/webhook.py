"""The callback route: Viber POSTs every event to ``/viber/webhook``, signed with
``X-Viber-Content-Signature`` (hex HMAC-SHA256 of the raw body keyed by the auth token).

A missing or wrong signature gets 403 and nothing is stored or answered.  A message is
committed to the inbox (its picture downloaded at once: Viber's media links expire)
before the 200; when that fails the answer is 503 and Viber delivers it again, under the
same ``message_token``, which the intake keeps once.  ``conversation_started`` is answered
with the welcome in the response body, the only message Viber lets a bot send before
the person has subscribed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import ClientError, ClientTimeout, web

from adapters import untrusted
from adapters.inbound import accept_with_photos, photo_refused
from adapters.viber.api import SIGNATURE_HEADER, signed_by
from adapters.viber.channel import ViberChannel, text_bodies
from adapters.viber.parsing import Callback, parse_callback
from adapters.webhooks import RefusalLog, dropped, read_body
from core.channel import InboundEvent, OutboundMessage
from core.ports import Deliveries, Intake, IntakeUnavailable, MediaRefused, UnstorableEvent

log = logging.getLogger(__name__)

PATH = "/viber/webhook"
#: Viber's callbacks are a few kilobytes (a text is at most 7,000 characters).
MAX_BODY = 256 * 1024


class DownloadFailed(Exception):
    """Viber's media server did not answer usefully now: the callback is retried later."""


class ViberWebhook:
    def __init__(
        self,
        channel: ViberChannel,
        intake: Intake,
        deliveries: Deliveries,
        greeting: Callable[[str, str], OutboundMessage],
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.channel = channel
        self.token = channel.api.token
        self.intake = intake
        self.deliveries = deliveries
        self.greeting = greeting
        self.clock = clock
        self.refusals = RefusalLog("viber", clock=monotonic)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        raw = await read_body(request, MAX_BODY)
        given = request.headers.get(SIGNATURE_HEADER)
        if not signed_by(self.token, raw, given):
            self.refusals.refuse(
                "signature missing" if given is None else "wrong signature", request.remote
            )
            return web.Response(status=403, text="bad signature")
        try:
            data = untrusted.loads(raw)
        except untrusted.JsonRejected as exc:
            return dropped("viber", exc)  # signed: Viber sent it
        callback = parse_callback(data, self.clock())
        if callback.note and callback.event is None:
            log.info("viber %s callback: %s", callback.kind or "unknown", callback.note)
        if callback.welcome_to:
            return self._welcome(callback)
        try:
            if callback.receipt is not None:
                await self._record(*callback.receipt, callback.detail)
            elif callback.unsubscribed:
                await self._unsubscribed(callback.unsubscribed)
            elif callback.event is not None:
                await self._take_in(callback, callback.event)
        except (IntakeUnavailable, DownloadFailed) as exc:
            log.warning("viber %s callback not stored, Viber will retry: %s", callback.kind, exc)
            return web.Response(status=503, text="try again")
        return web.Response(text="ok")

    def _welcome(self, callback: Callback) -> web.StreamResponse:
        # One message only: the welcome is short, and a longer one is cut to its end.
        [*_, last] = text_bodies(self.greeting(callback.language, callback.context))
        body: dict[str, Any] = {"sender": self.channel.sender(), **last}
        return web.json_response(body)

    async def _record(self, token: str, status: str, detail: str) -> None:
        try:
            known = await self.deliveries.receipt(self.channel.name, token, status, self.clock())
        except Exception as exc:
            raise IntakeUnavailable(f"receipt not recorded: {type(exc).__name__}") from exc
        if status == "failed":
            log.warning("viber message %s failed on the client: %s", token, detail or "-")
        elif not known:
            log.debug("viber %s receipt for a message not on record: %s", status, token)

    async def _unsubscribed(self, user: str) -> None:
        log.info("viber user %s unsubscribed", user)
        try:
            await self.deliveries.unreachable(self.channel.name, user)
        except Exception as exc:
            raise IntakeUnavailable(f"unsubscription not recorded: {type(exc).__name__}") from exc

    async def _take_in(self, callback: Callback, event: InboundEvent) -> None:
        media: list[bytes] = []
        if callback.media_url:
            try:
                media = [await self._download(callback.media_url, callback.media_size)]
            except MediaRefused as exc:
                event = photo_refused(event, exc.reason)
        try:
            await accept_with_photos(self.intake, event, media)
        except UnstorableEvent as exc:
            # Never storable, so never to be retried: acknowledged.
            log.warning("viber message %s not stored: %s", event.event_id, exc)

    async def _download(self, url: str, announced: int) -> bytes:
        """The picture's bytes; ``MediaRefused`` when it is too large or no longer there
        (Viber's links expire), :class:`DownloadFailed` when a retry may still get it."""
        limit = self.intake.max_photo_bytes
        if announced > limit:
            raise MediaRefused("too_large")
        chunks: list[bytes] = []
        size = 0
        try:
            session = self.channel.api.session()
            async with session.get(url, timeout=ClientTimeout(total=60)) as resp:
                if resp.status >= 500 or resp.status == 429:
                    raise DownloadFailed(f"media server answered {resp.status}")
                if resp.status != 200:
                    log.info("viber media link answered %s (expired?)", resp.status)
                    raise MediaRefused("empty")
                async for chunk in resp.content.iter_chunked(64 * 1024):
                    size += len(chunk)
                    if size > limit:
                        raise MediaRefused("too_large")
                    chunks.append(chunk)
        except (ClientError, TimeoutError) as exc:
            raise DownloadFailed(f"{type(exc).__name__}: {exc}") from None
        return b"".join(chunks)
