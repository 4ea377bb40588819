"""The Viber channel's outbound side: renders an :class:`OutboundMessage` into
``send_message`` calls within Viber's limits and maps Viber's errors for the outbox.

Buttons become a keyboard in Viber's 6-column grid whose buttons reply with their
payload (``ActionType: "reply"``, ``ActionBody`` = payload); a request for the phone is a
``share-phone`` button.  Photos go as picture messages by a signed, expiring link to the
service's own media route, whose path ends in the image's extension as Viber requires.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from aiohttp import web

from adapters.parts import SentParts
from adapters.viber.api import (
    BAD_REQUEST,
    RATE_LIMITED,
    UNREACHABLE,
    ViberApi,
    ViberError,
)
from adapters.viber.parsing import EVENT_TYPES
from adapters.webhooks import photo_response
from core.channel import Button, Capabilities, Delivered, DeliveryError, OutboundMessage
from core.choices import shorten, split_text
from core.signing import link_refusal, link_signature

log = logging.getLogger(__name__)

#: Viber's limits on one message (REST Bot API, message data model and keyboards).
MAX_TEXT = 7000
MAX_SENDER_NAME = 28
MAX_BUTTON_TEXT = 250
MAX_ACTION_BODY = 250
GRID_COLUMNS = 6
#: Buttons side by side at most: three of two columns each still read on a phone.
PER_LINE = 3
#: A keyboard's buttons at most; Viber scrolls longer keyboards, and more choices than
#: this are better asked as a numbered text.
MAX_BUTTONS = 24
#: share-phone and location-picker buttons need clients of this API level.
PICKER_API_VERSION = 3

VIBER_CAPABILITIES = Capabilities(
    max_buttons=MAX_BUTTONS,
    max_button_text=MAX_BUTTON_TEXT,
    max_payload_bytes=MAX_ACTION_BODY,
    max_text=MAX_TEXT,
    albums=False,
    contact_request=True,
    location_request=True,
)

#: How long a photo link works.  Viber's clients fetch the picture when the message is
#: opened, which may be days after it was sent.
MEDIA_LINK_SECONDS = 7 * 24 * 3600
MEDIA_ROUTE = "/viber/media/{expires:[0-9]{1,12}}/{sig:[0-9a-f]{32}}/{name}"
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png"}
#: Keeps these links from opening any other route's.
_SCOPE = "viber-media:"

MediaLoader = Callable[[str], Awaitable[tuple[bytes, str] | None]]


class MediaLinks:
    """Signed, expiring links to stored photos, and the route that serves them."""

    def __init__(
        self,
        public_url: str,
        secret: bytes,
        load: MediaLoader,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.public_url = public_url.rstrip("/")
        self.secret = secret
        self.load = load
        self.clock = clock

    def url(self, sha: str, mime: str) -> str:
        name = sha + _EXTENSIONS.get(mime, ".jpg")
        expires = int(self.clock()) + MEDIA_LINK_SECONDS
        signature = link_signature(self.secret, name, expires, scope=_SCOPE)
        return f"{self.public_url}/viber/media/{expires}/{signature}/{name}"

    async def serve(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        expires, signature = request.match_info["expires"], request.match_info["sig"]
        refusal = link_refusal(self.secret, name, expires, signature, self.clock(), scope=_SCOPE)
        if refusal is not None:
            raise web.HTTPForbidden(text=refusal)
        sha, _, extension = name.partition(".")
        stored = await self.load(sha) if extension else None
        if stored is None or _EXTENSIONS.get(stored[1]) != f".{extension}":
            raise web.HTTPNotFound()
        return photo_response(stored)


def keyboard(message: OutboundMessage) -> dict[str, Any] | None:
    """The message's buttons and contact/location requests as one Viber keyboard.

    Each of our rows keeps its own line(s): a line's buttons share the six columns
    (6, 3+3, 2+2+2), longer rows wrap onto more lines.  A payload Viber cannot carry
    is left out with an error logged (the payload codec never makes one)."""
    buttons: list[dict[str, Any]] = []
    for row in message.buttons:
        usable = [b for b in row if _carriable(b)]
        for start in range(0, len(usable), PER_LINE):
            line = usable[start : start + PER_LINE]
            for button in line:
                buttons.append(
                    {
                        "Columns": GRID_COLUMNS // len(line),
                        "Rows": 1,
                        "ActionType": "reply",
                        "ActionBody": button.payload,
                        # The payload is the reply's text: not shown in the chat.
                        "Silent": True,
                        "Text": shorten(button.text, MAX_BUTTON_TEXT),
                        "TextSize": "regular",
                    }
                )
    pickers = []
    if message.request_contact:
        pickers.append(("share-phone", "phone", "📱"))
    if message.request_location:
        pickers.append(("location-picker", "location", "📍"))
    for action, body, label in pickers:
        buttons.append(
            {
                "Columns": GRID_COLUMNS // len(pickers),
                "Rows": 1,
                "ActionType": action,
                "ActionBody": body,
                "Text": label,
                "TextSize": "regular",
            }
        )
    if not buttons:
        return None
    return {"Type": "keyboard", "DefaultHeight": False, "Buttons": buttons}


def text_bodies(message: OutboundMessage) -> list[dict[str, Any]]:
    """The text of a message as ``send_message`` bodies: pieces of at most 7,000
    characters, the keyboard (if any) on the last."""
    board = keyboard(message)
    pieces = split_text(message.text, MAX_TEXT) if message.text else []
    if not pieces and board is not None:
        pieces = ["⬇️"]
    bodies: list[dict[str, Any]] = [{"type": "text", "text": piece} for piece in pieces]
    if board is not None:
        bodies[-1]["keyboard"] = board
        if any(b["ActionType"] != "reply" for b in board["Buttons"]):
            bodies[-1]["min_api_version"] = PICKER_API_VERSION
    return bodies


def _carriable(button: Button) -> bool:
    if 1 <= len(button.payload) <= MAX_ACTION_BODY:
        return True
    log.error(
        "button %r left out: its payload must be 1-%d characters", button.text, MAX_ACTION_BODY
    )
    return False


class ViberChannel:
    """One bot's outbound side: sends, the webhook registration, the account check."""

    name = "viber"
    capabilities = VIBER_CAPABILITIES

    def __init__(
        self,
        api: ViberApi,
        links: MediaLinks,
        *,
        sender_name: str = "",
        sender_avatar: str = "",
    ) -> None:
        self.api = api
        self.links = links
        self.sender_name = sender_name
        self.sender_avatar = sender_avatar
        self._sent_parts = SentParts()

    # -- the account ----------------------------------------------------------------------

    def sender(self) -> dict[str, str]:
        """``sender`` of every message: Viber requires a name of at most 28 characters."""
        value = {"name": shorten(self.sender_name or "Bot", MAX_SENDER_NAME)}
        if self.sender_avatar:
            value["avatar"] = self.sender_avatar
        return value

    async def account_info(self) -> dict[str, Any]:
        """``get_account_info``; the bot's name becomes the sender name unless one is set."""
        info = await self.api.call("get_account_info")
        name = info.get("name")
        if not self.sender_name and isinstance(name, str) and name.strip():
            self.sender_name = name.strip()
        return info

    async def set_webhook(
        self, url: str, *, attempts: int | None = None, first_delay: float = 1.0
    ) -> dict[str, Any] | None:
        """Register the webhook, retrying with backoff until Viber accepts it (``attempts``
        tries at most when given).  Viber checks the URL by calling it at once, so this
        runs once the route is listening.  Viber's answer is logged in one line."""
        delay = first_delay
        tries = 0
        while True:
            tries += 1
            try:
                answer = await self.api.call(
                    "set_webhook",
                    {
                        "url": url,
                        "event_types": list(EVENT_TYPES),
                        "send_name": True,
                        "send_photo": False,
                    },
                )
            except ViberError as exc:
                log.error("viber set_webhook failed: %s; retrying in %.0f s", exc, delay)
                if attempts is not None and tries >= attempts:
                    return None
                await asyncio.sleep(exc.retry_after or delay)
                delay = min(delay * 2, 60)
                continue
            events = answer.get("event_types")
            log.info(
                "viber webhook set: status %s %s, events %s",
                answer.get("status"),
                answer.get("status_message", ""),
                events if isinstance(events, list) else "-",
            )
            return answer

    # -- outbound ----------------------------------------------------------------------

    async def send(self, chat: str, message: OutboundMessage, *, edit_of: str = "") -> Delivered:
        """Pictures first (one message each), then the text in pieces of at most 7,000
        characters, the keyboard on the last piece; ``edit_of`` is ignored (Viber edits
        nothing)."""
        if message.answer_to:
            return Delivered()  # no toasts in Viber: nothing to answer
        if not self.sender_name:
            # Viber was out of reach at the start: its name for the bot is asked now.
            with contextlib.suppress(ViberError):
                await self.account_info()
        sending = self._sent_parts.sending(chat, message)
        for body in await self._bodies(message):
            await sending.part(partial(self._send_one, chat, body))
        return Delivered(sending.finished())

    async def _bodies(self, message: OutboundMessage) -> list[dict[str, Any]]:
        bodies: list[dict[str, Any]] = []
        for sha in message.photos:
            stored = await self.links.load(sha)
            if stored is None:
                log.error("photo %s is not in the media store; sent without it", sha[:12])
                continue
            bodies.append({"type": "picture", "text": "", "media": self.links.url(sha, stored[1])})
        return bodies + text_bodies(message)

    async def _send_one(self, chat: str, body: dict[str, Any]) -> str:
        try:
            answer = await self.api.call(
                "send_message", {"receiver": chat, "sender": self.sender(), **body}
            )
        except ViberError as exc:
            raise _delivery_error(chat, exc) from None
        token = answer.get("message_token")
        return str(token) if isinstance(token, int | str) else ""

    async def close(self) -> None:
        await self.api.close()


def _delivery_error(chat: str, exc: ViberError) -> DeliveryError:
    """Viber's answer as the outbox understands it: the one place that tells a failure
    worth retrying from a chat gone for good or a message Viber will never take."""
    if exc.status in UNREACHABLE:
        log.warning("viber user %s is unreachable: %s", chat, exc)
        return DeliveryError(str(exc), permanent=True)
    if exc.status in BAD_REQUEST or exc.http in (400, 413):
        return DeliveryError(str(exc), refused=True)
    if exc.status in RATE_LIMITED or exc.http == 429:
        return DeliveryError(str(exc), retry_after=exc.retry_after or 1.0)
    if exc.status > 0:
        # The account itself (token, blocked, suspended, no webhook): not the message's
        # fault, so it is retried with backoff while someone fixes the account.
        log.error("viber refused the bot's call: %s", exc)
    return DeliveryError(str(exc))
