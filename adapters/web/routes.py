"""HTTP routes of the web chat: the page, its JSON API, and signed media links.

The JSON API is a contract other tools rely on (see README): keep it exactly.
Everything a client sends is validated here; what passes becomes an
:class:`InboundEvent` committed to the inbox before the 202 answer.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import BadContentDispositionHeader, BodyPartReader, hdrs, web
from aiohttp.http_exceptions import HttpProcessingError

from adapters import untrusted
from adapters.plugin import Ports
from adapters.web.channel import WebChannel
from adapters.web.ratelimit import RateLimit, retry_after
from adapters.webhooks import photo_response
from core.channel import EventKind, InboundEvent
from core.ports import (
    PHOTO_MAX_RATIO,
    PHOTO_MIN_SIDE,
    EventConflict,
    IntakeUnavailable,
    MediaRefused,
    UnstorableEvent,
)
from core.signing import link_refusal, link_signature
from core.text_safety import text_problem, without_controls

log = logging.getLogger(__name__)

CHANNEL = "web"
API_PATH = "/api/web/messages"
STATIC = Path(__file__).with_name("static")
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_JSON_FIELDS = {"chat", "user", "text", "button"}
_TRANSFER_ENCODING = "Content-Transfer-Encoding"
MAX_WAIT = 30.0
LINK_TTL = 3600


class BadInput(Exception):
    def __init__(
        self, message: str, status: int = 400, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers


@dataclass(frozen=True, slots=True)
class _Post:
    """A validated post: its event, and the raw photo the intake checks and keeps."""

    event: InboundEvent
    media: tuple[bytes, ...] = ()


_MEDIA_REFUSALS = {
    "empty": ("the photo is empty", 400),
    "not_image": ("the file is not a JPEG, PNG, GIF or WebP image", 400),
    "too_many_pixels": ("the photo has more pixels than allowed", 422),
    "too_small": (f"the photo is smaller than {PHOTO_MIN_SIDE}x{PHOTO_MIN_SIDE} pixels", 422),
    "bad_shape": (f"one side of the photo is more than {PHOTO_MAX_RATIO} times the other", 422),
}


class WebChat:
    def __init__(
        self, channel: WebChannel, ports: Ports, posts_per_user: int, posts_per_address: int
    ) -> None:
        self.channel = channel
        self.ports = ports
        self.clock = ports.clock
        self.max_text = ports.max_text
        self.max_photo_bytes = ports.intake.max_photo_bytes
        self.per_user = RateLimit(posts_per_user, clock=self._seconds)
        self.per_address = RateLimit(posts_per_address, clock=self._seconds)

    def _seconds(self) -> float:
        return self.clock().timestamp()

    def routes(self) -> list[web.AbstractRouteDef]:
        return [
            web.get("/", self.index),
            web.static("/static", STATIC),
            web.get("/api/web/personas", self.personas),
            web.post(API_PATH, self.post_message),
            web.get(API_PATH, self.get_messages),
            web.get("/media/{sha}", self.get_media),
        ]

    @property
    def client_max_size(self) -> int:
        return self.max_photo_bytes + 64 * 1024

    @property
    def max_json_bytes(self) -> int:
        # Room for the longest text written entirely in JSON escapes ("\ud83d\ude00").
        return self.max_text * 12 + 4096

    async def index(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "index.html")

    # --- inbound -----------------------------------------------------------

    async def post_message(self, request: web.Request) -> web.Response:
        try:
            _limit(self.per_address, request.remote or "", "from this address")
            key = request.headers.get("Idempotency-Key")
            if key is not None and not _ID.fullmatch(key):
                raise BadInput("'Idempotency-Key' must be 1-64 characters of A-Z, a-z, 0-9, _ or -")
            if request.content_type == "application/json":
                charset = (request.charset or "utf-8").lower()
                if charset not in ("utf-8", "utf8"):
                    raise BadInput("send JSON as UTF-8", 415)
                post = await self._json_post(request, key)
            elif request.content_type == "multipart/form-data":
                post = await self._photo_post(request, key)
            else:
                raise BadInput("send application/json or multipart/form-data", 415)
            _limit(self.per_user, post.event.user, "from this user")
            return web.json_response({"id": await self._accept(post, key)}, status=202)
        except BadInput as exc:
            return web.json_response({"error": str(exc)}, status=exc.status, headers=exc.headers)

    async def _accept(self, post: _Post, key: str | None) -> int:
        """Store the post once; a retry gets the first id, a different post under the same
        Idempotency-Key a 409 and nothing stored."""
        try:
            accepted = await self.ports.intake.accept(post.event, post.media, exact=key is not None)
        except EventConflict:
            raise BadInput(
                "this Idempotency-Key was already used for a different message", 409
            ) from None
        except MediaRefused as exc:
            message, status = _MEDIA_REFUSALS.get(
                exc.reason, (f"the photo is larger than {self.max_photo_bytes} bytes", 413)
            )
            raise BadInput(message, status) from exc
        except UnstorableEvent as exc:
            raise BadInput(f"the message cannot be stored: {exc}") from exc
        except IntakeUnavailable:
            log.exception("web chat: a post could not be stored")
            raise BadInput("the message could not be stored now; try again", 503) from None
        return accepted.inbox_id

    def _ids(self, chat: object, user: object) -> tuple[str, str]:
        for name, value in (("chat", chat), ("user", user)):
            if not isinstance(value, str) or not _ID.fullmatch(value):
                raise BadInput(f"'{name}' must be 1-64 characters of A-Z, a-z, 0-9, _ or -")
        return str(chat), str(user)

    def _event(
        self, chat: str, user: str, kind: EventKind, key: str | None, **kw: Any
    ) -> InboundEvent:
        # Hashed: user and key together can be longer than the inbox's event id column.
        event_id = hashlib.sha256(f"{user}:{key}".encode()).hexdigest() if key else uuid.uuid4().hex
        return InboundEvent(
            channel=CHANNEL,
            event_id=event_id,
            chat=chat,
            user=user,
            kind=kind,
            received_at=self.clock(),
            user_name=user,
            **kw,
        )

    def _text(self, value: object, name: str = "text") -> str:
        if not isinstance(value, str):
            raise BadInput(f"'{name}' must be a string")
        if len(value) > self.max_text:
            raise BadInput(f"'{name}' is longer than {self.max_text} characters", 413)
        problem = text_problem(value)
        if problem is not None:
            raise BadInput(f"'{name}': {problem}")
        return value

    async def _json_post(self, request: web.Request, key: str | None) -> _Post:
        raw = await _read_limited(request.content.read, self.max_json_bytes, "the body")
        try:
            body = untrusted.loads(raw)
        except untrusted.JsonRejected as exc:
            raise BadInput(str(exc)) from None
        if not isinstance(body, dict):
            raise BadInput("the body must be a JSON object")
        unknown = sorted(set(body) - _JSON_FIELDS)
        if unknown:
            raise BadInput(f"unknown field: {_shown(unknown[0])}")
        chat, user = self._ids(body.get("chat"), body.get("user"))
        if ("text" in body) == ("button" in body):
            raise BadInput("give exactly one of 'text' or 'button'")
        if "button" in body:
            payload = self._text(body["button"], "button")
            if not payload.strip() or len(payload.encode()) > 64:
                raise BadInput("'button' must be a payload of 1-64 bytes")
            return _Post(self._event(chat, user, EventKind.BUTTON, key, payload=payload))
        text = self._text(body["text"])
        if not text.strip():
            raise BadInput("'text' is empty")
        return _Post(self._event(chat, user, EventKind.TEXT, key, text=text))

    async def _photo_post(self, request: web.Request, key: str | None) -> _Post:
        try:
            fields, data = await self._form(request)
        except (
            ValueError,
            KeyError,
            RuntimeError,
            TypeError,
            HttpProcessingError,
            BadContentDispositionHeader,
        ) as exc:
            # aiohttp's multipart reader reports a missing boundary, a broken part
            # header or a truncated body with any of these (the last one is a warning,
            # raised where warnings are errors).
            raise BadInput("malformed multipart body") from exc
        chat, user = self._ids(fields.get("chat"), fields.get("user"))
        caption = self._text(fields.get("text", ""))
        if data is None:
            raise BadInput("missing file field 'photo'")
        event = self._event(chat, user, EventKind.PHOTO, key, text=caption)
        return _Post(event, (data,))

    async def _form(self, request: web.Request) -> tuple[dict[str, str], bytes | None]:
        reader = await request.multipart()
        fields: dict[str, str] = {}
        data: bytes | None = None
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                raise BadInput("nested multipart is not supported")
            if any(h in part.headers for h in (hdrs.CONTENT_ENCODING, _TRANSFER_ENCODING)):
                raise BadInput("encoded parts are not supported", 415)
            name = part.name or ""
            if name in fields or (name == "photo" and data is not None):
                raise BadInput(f"one '{_shown(name)}' per message")
            if name == "photo":
                data = await _read_limited(part.read_chunk, self.max_photo_bytes, "the photo")
            elif name in ("chat", "user", "text"):
                raw = await _read_limited(part.read_chunk, self.max_text * 4 + 16, f"'{name}'")
                try:
                    fields[name] = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise BadInput(f"'{name}' is not UTF-8") from exc
            else:
                raise BadInput(f"unknown field: {_shown(name)}")
        return fields, data

    # --- outbound ----------------------------------------------------------

    async def get_messages(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            chat = query.get("chat", "")
            if not _ID.fullmatch(chat):
                raise BadInput("'chat' must be 1-64 characters of A-Z, a-z, 0-9, _ or -")
            after = _number(query.get("after", "0"), "after", 0, 2**62, int)
            wait = _number(query.get("wait", "0"), "wait", 0, MAX_WAIT, float)
        except BadInput as exc:
            return web.json_response({"error": str(exc)}, status=exc.status)
        rows = await self.channel.messages(chat, int(after), float(wait))
        return web.json_response(
            {
                "messages": [
                    {
                        "id": row.id,
                        "text": row.body.get("text", ""),
                        "buttons": [
                            [{"text": t, "payload": p} for t, p in line]
                            for line in row.body.get("buttons", [])
                        ],
                        "photos": [self.media_url(sha) for sha in row.body.get("photos", [])],
                        "at": row.created_at.isoformat(),
                    }
                    for row in rows
                ]
            }
        )

    def media_url(self, sha: str) -> str:
        expires = int(time.time()) + LINK_TTL
        return f"/media/{sha}?exp={expires}&sig={link_signature(self.ports.secret, sha, expires)}"

    async def get_media(self, request: web.Request) -> web.StreamResponse:
        sha = request.match_info["sha"]
        query = request.query
        refusal = link_refusal(
            self.ports.secret, sha, query.get("exp", ""), query.get("sig", ""), time.time()
        )
        if refusal is not None:
            raise web.HTTPForbidden(text=refusal)
        stored = await self.ports.media.load(sha)
        if stored is None:
            raise web.HTTPNotFound()
        return photo_response(stored)

    # --- personas ----------------------------------------------------------

    async def personas(self, request: web.Request) -> web.Response:
        directory = self.ports.directory
        rows = await directory.personas(CHANNEL)
        group = await directory.dispatch_group(CHANNEL)
        result: dict[str, Any] = {
            "residents": [],
            "technicians": [],
            "dispatchers": [],
            "group": group or "dispatch",
        }
        for external_id, name, role, trade in rows:
            entry = {"id": external_id, "name": name}
            if role == "technician":
                result["technicians"].append({**entry, "trade": trade})
            elif role in ("dispatcher", "admin"):
                result["dispatchers"].append(entry)
            else:
                result["residents"].append(entry)
        return web.json_response(result)


def _number(raw: str, name: str, low: float, high: float, kind: type) -> float:
    try:
        value = kind(raw)
    except ValueError:
        raise BadInput(f"'{name}' must be a number") from None
    if not low <= value <= high:
        raise BadInput(f"'{name}' must be between {low:g} and {high:g}")
    return float(value)


def _limit(limit: RateLimit, key: str, whom: str) -> None:
    wait = limit.take(key)
    if wait:
        raise BadInput(
            f"too many messages {whom}; try again in {retry_after(wait)} s",
            429,
            {"Retry-After": retry_after(wait)},
        )


def _shown(name: str) -> str:
    """A client's field name, safe and short enough to echo in an error."""
    return without_controls(name)[:64]


async def _read_limited(read: Callable[[int], Awaitable[bytes]], limit: int, what: str) -> bytes:
    try:
        return await untrusted.read_limited(read, limit)
    except untrusted.TooLarge:
        raise BadInput(f"{what} is larger than {limit} bytes", 413) from None
