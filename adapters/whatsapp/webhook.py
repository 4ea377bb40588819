"""The webhook route: Meta verifies it with a GET once, then POSTs every notification
signed with the app secret.

GET ``hub.mode=subscribe`` with the right ``hub.verify_token`` echoes ``hub.challenge``
(any other: 403).  POST needs ``X-Hub-Signature-256`` over the raw body (missing: 401,
wrong: 403, nothing read further); a signed body is answered 200 once every message in
it is committed, or 503 when it could not be, so that Meta delivers it again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from aiohttp import web

from adapters import untrusted
from adapters.webhooks import RefusalLog, dropped, read_body, taken_in
from adapters.whatsapp.api import SIGNATURE_HEADER, signed_by
from adapters.whatsapp.parsing import Notification, parse_notification
from core.signing import same_secret

log = logging.getLogger(__name__)

PATH = "/whatsapp/webhook"
#: A notification is a few kilobytes (media come by id, never inline); far more is not Meta's.
MAX_BODY = 1024 * 1024
#: The challenge Meta sends is a short number; anything long is not Meta.
MAX_CHALLENGE = 200


Ingest = Callable[[Notification], Awaitable[None]]


class WhatsAppWebhook:
    def __init__(
        self,
        app_secret: str,
        verify_token: str,
        phone_number_id: str,
        ingest: Ingest,
        clock: Callable[[], datetime],
    ) -> None:
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.phone_number_id = phone_number_id
        self.ingest = ingest
        self.clock = clock
        self.refusals = RefusalLog("whatsapp")

    def routes(self) -> list[web.AbstractRouteDef]:
        return [web.get(PATH, self.verify), web.post(PATH, self.receive)]

    async def verify(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        token = query.get("hub.verify_token", "")
        challenge = query.get("hub.challenge", "")
        right = bool(self.verify_token) and same_secret(token, self.verify_token)
        if query.get("hub.mode") != "subscribe" or not right:
            self.refusals.refuse("wrong verify token", request.remote)
            return web.Response(status=403, text="wrong verify token")
        if not challenge or len(challenge) > MAX_CHALLENGE or not challenge.isascii():
            return web.Response(status=400, text="bad challenge")
        log.info("whatsapp webhook verified")
        return web.Response(text=challenge)

    async def receive(self, request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SIGNATURE_HEADER)
        if given is None:
            self.refusals.refuse("signature missing", request.remote)
            return web.Response(status=401, text="signature missing")
        raw = await read_body(request, MAX_BODY)
        if not self.app_secret or not signed_by(self.app_secret, raw, given):
            self.refusals.refuse("wrong signature", request.remote)
            return web.Response(status=403, text="wrong signature")
        try:
            data = untrusted.loads(raw)
        except untrusted.JsonRejected as exc:
            return dropped("whatsapp", exc)  # signed: Meta sent it
        notification = parse_notification(data, self.clock(), self.phone_number_id)
        for note in notification.notes:
            log.info("whatsapp webhook: %s", note)
        return await taken_in("whatsapp", self.ingest(notification))
