"""HTTP routes of the web chat: the page, its JSON API, and signed media links.

The JSON API is a contract other tools rely on (see README): keep it exactly.
Everything a client sends is validated here; what passes becomes an
:class:`InboundEvent` committed to the inbox before the 202 answer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, web
from sqlalchemy import select

from adapters.web.channel import WebChannel
from core.channel import EventKind, InboundEvent
from core.storage import queues
from core.storage.database import Database
from core.storage.media import MediaRejected
from core.storage.media_library import MediaLibrary
from core.storage.tables import GroupBinding, Identity, Person

STATIC = Path(__file__).with_name("static")
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_JSON_FIELDS = {"chat", "user", "text", "button"}
MAX_WAIT = 30.0
LINK_TTL = 3600


@dataclass(frozen=True, slots=True)
class WebChatConfig:
    max_text: int
    max_photo_bytes: int
    secret: bytes


class BadInput(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class WebChat:
    def __init__(
        self,
        db: Database,
        channel: WebChannel,
        media: MediaLibrary,
        config: WebChatConfig,
        clock: Callable[[], datetime],
        on_inbound: Callable[[], None],
    ) -> None:
        self.db = db
        self.channel = channel
        self.media = media
        self.config = config
        self.clock = clock
        self.on_inbound = on_inbound

    def routes(self) -> list[web.AbstractRouteDef]:
        return [
            web.get("/", self.index),
            web.static("/static", STATIC),
            web.get("/api/web/personas", self.personas),
            web.post("/api/web/messages", self.post_message),
            web.get("/api/web/messages", self.get_messages),
            web.get("/media/{sha}", self.get_media),
        ]

    @property
    def client_max_size(self) -> int:
        return self.config.max_photo_bytes + 64 * 1024

    async def index(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "index.html")

    # --- inbound -----------------------------------------------------------

    async def post_message(self, request: web.Request) -> web.Response:
        try:
            if request.content_type == "application/json":
                event = await self._json_event(request)
            elif request.content_type == "multipart/form-data":
                event = await self._photo_event(request)
            else:
                raise BadInput("send application/json or multipart/form-data", 415)
        except BadInput as exc:
            return web.json_response({"error": str(exc)}, status=exc.status)
        except web.HTTPRequestEntityTooLarge:
            return web.json_response({"error": "the request is too large"}, status=413)
        inbox_id, _ = await queues.accept_inbound(self.db, event)
        self.on_inbound()
        return web.json_response({"id": inbox_id}, status=202)

    def _ids(self, chat: object, user: object) -> tuple[str, str]:
        for name, value in (("chat", chat), ("user", user)):
            if not isinstance(value, str) or not _ID.fullmatch(value):
                raise BadInput(f"'{name}' must be 1-64 characters of A-Z, a-z, 0-9, _ or -")
        return str(chat), str(user)

    def _event(
        self, chat: str, user: str, kind: EventKind, request: web.Request, **kw: Any
    ) -> InboundEvent:
        key = request.headers.get("Idempotency-Key", "")
        event_id = f"{user}:{key}" if _ID.fullmatch(key) else uuid.uuid4().hex
        return InboundEvent(
            channel="web",
            event_id=event_id,
            chat=chat,
            user=user,
            kind=kind,
            received_at=self.clock(),
            user_name=user,
            **kw,
        )

    def _text(self, value: object) -> str:
        if not isinstance(value, str):
            raise BadInput("'text' must be a string")
        if len(value) > self.config.max_text:
            raise BadInput(f"'text' is longer than {self.config.max_text} characters", 413)
        if "\x00" in value:
            raise BadInput("'text' contains a NUL character")
        return value

    async def _json_event(self, request: web.Request) -> InboundEvent:
        try:
            body = json.loads(await request.text())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise BadInput("malformed JSON") from exc
        if not isinstance(body, dict):
            raise BadInput("the body must be a JSON object")
        unknown = sorted(set(body) - _JSON_FIELDS)
        if unknown:
            raise BadInput(f"unknown field: {unknown[0]}")
        chat, user = self._ids(body.get("chat"), body.get("user"))
        if ("text" in body) == ("button" in body):
            raise BadInput("give exactly one of 'text' or 'button'")
        if "button" in body:
            payload = body["button"]
            if not isinstance(payload, str) or not payload or len(payload.encode()) > 64:
                raise BadInput("'button' must be a payload of 1-64 bytes")
            return self._event(chat, user, EventKind.BUTTON, request, payload=payload)
        text = self._text(body["text"])
        if not text.strip():
            raise BadInput("'text' is empty")
        return self._event(chat, user, EventKind.TEXT, request, text=text)

    async def _photo_event(self, request: web.Request) -> InboundEvent:
        reader = await request.multipart()
        fields: dict[str, str] = {}
        data = b""
        seen_photo = False
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                raise BadInput("nested multipart is not supported")
            name = part.name or ""
            if name == "photo":
                if seen_photo:
                    raise BadInput("one 'photo' per message")
                seen_photo = True
                data = await self._read_limited(part)
            elif name in ("chat", "user", "text"):
                raw = await part.read(decode=True)
                if len(raw) > self.config.max_text * 4 + 16:
                    raise BadInput(f"'{name}' is too long", 413)
                try:
                    fields[name] = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise BadInput(f"'{name}' is not UTF-8") from exc
            else:
                raise BadInput(f"unknown field: {name}")
        chat, user = self._ids(fields.get("chat"), fields.get("user"))
        caption = self._text(fields.get("text", ""))
        if not seen_photo:
            raise BadInput("missing file field 'photo'")
        try:
            sha, _mime = await self.media.save(data)
        except MediaRejected as exc:
            status = 413 if exc.reason == "too_large" else 400
            message = {
                "too_large": f"the photo is larger than {self.config.max_photo_bytes} bytes",
                "empty": "the photo is empty",
            }.get(exc.reason, "the file is not a JPEG, PNG, GIF or WebP image")
            raise BadInput(message, status) from exc
        return self._event(chat, user, EventKind.PHOTO, request, text=caption, photos=(sha,))

    async def _read_limited(self, part: BodyPartReader) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while chunk := await part.read_chunk(64 * 1024):
            size += len(chunk)
            if size > self.config.max_photo_bytes:
                raise BadInput(f"the photo is larger than {self.config.max_photo_bytes} bytes", 413)
            chunks.append(chunk)
        return b"".join(chunks)

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

    def _sign(self, sha: str, expires: int) -> str:
        return hmac.new(
            self.config.secret, f"{sha}:{expires}".encode(), hashlib.sha256
        ).hexdigest()[:32]

    def media_url(self, sha: str) -> str:
        expires = int(time.time()) + LINK_TTL
        return f"/media/{sha}?exp={expires}&sig={self._sign(sha, expires)}"

    async def get_media(self, request: web.Request) -> web.StreamResponse:
        sha = request.match_info["sha"]
        exp = request.query.get("exp", "")
        sig = request.query.get("sig", "")
        if not exp.isdigit() or int(exp) < time.time() or len(exp) > 12:
            raise web.HTTPForbidden(text="link expired")
        if not hmac.compare_digest(sig.encode(), self._sign(sha, int(exp)).encode()):
            raise web.HTTPForbidden(text="bad signature")
        stored = await self.media.load(sha)
        if stored is None:
            raise web.HTTPNotFound()
        data, mime = stored
        return web.Response(
            body=data,
            headers={"Content-Type": mime, "Cache-Control": "private, max-age=3600"},
        )

    # --- personas ----------------------------------------------------------

    async def personas(self, request: web.Request) -> web.Response:
        async with self.db.reading() as session:
            rows = (
                await session.execute(
                    select(Identity.external_id, Person.name, Person.role, Person.trade)
                    .join(Person, Person.id == Identity.person_id)
                    .where(Identity.channel == "web", Person.code.is_not(None))
                    .order_by(Identity.external_id)
                )
            ).all()
            group = await session.scalar(
                select(GroupBinding.chat).where(
                    GroupBinding.channel == "web", GroupBinding.purpose == "dispatch"
                )
            )
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
