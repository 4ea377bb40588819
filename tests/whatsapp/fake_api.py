"""A fake WhatsApp Cloud API server speaking the real HTTP protocol, for the adapter's tests.

Routes under ``/v21.0``: ``POST /{phone_number_id}/messages`` (text, interactive reply
buttons and lists, image, template), ``POST /{phone_number_id}/media`` (multipart
upload), ``GET /{media_id}`` (the file's short-lived URL) and ``GET /files/{media_id}``
(the file), every one behind the bearer token.  It records every send and checks each
against the Cloud API's documented limits: a send over them is refused with Graph's
error 131009 *and* kept in ``violations``, which tests expect empty.  On demand it
answers 131047 (re-engagement needed), 429 or 5xx, or accepts a send and reports it
``failed`` with 131047 in a status callback.  It builds webhook notifications in
Meta's shape, signs them with the app secret (its own HMAC, not the adapter's) and
posts them, status callbacks included, to the service's webhook.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

TOKEN = "EAAG-test-token-for-the-fake-cloud-api"
PHONE_NUMBER_ID = "106540352242922"
DISPLAY_NUMBER = "15550783881"
APP_SECRET = "fake-app-secret-0123456789abcdef"
VERSION = "v21.0"
#: The Cloud API's limits on one message (its messages reference), kept apart from the
#: adapter's own table so that a wrong limit there is caught here.
BUTTONS, BUTTON_TITLE, BUTTON_ID, BUTTON_BODY = 3, 20, 256, 1024
ROWS, ROW_TITLE, ROW_ID, ROW_DESCRIPTION, LIST_BODY, LIST_LABEL = 10, 24, 200, 72, 4096, 20
HEADER, FOOTER, TEXT, CAPTION = 60, 60, 4096, 1024
WINDOW_CLOSED = 131047


@dataclass
class Sent:
    to: str
    body: dict[str, Any]
    wamid: str
    #: When the fake received it (monotonic seconds), to count sends per second.
    at: float = field(default_factory=time.monotonic)


@dataclass
class Fault:
    """The next matching send answers this: an HTTP status and Graph error code."""

    http: int
    code: int
    to: str | None = None
    retry_after: str = ""
    times: int = 1
    #: Matching sends let through before the fault strikes.
    after: int = 0


@dataclass
class FakeCloudApi:
    token: str = TOKEN
    phone_number_id: str = PHONE_NUMBER_ID
    app_secret: str = APP_SECRET
    sent: list[Sent] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    #: Files people sent, by media id (served as JPEG), and files the service uploaded:
    #: (bytes, MIME type).
    files: dict[str, bytes] = field(default_factory=dict)
    uploads: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    #: People whose window is closed: free-form sends answer 131047 at once...
    closed: set[str] = field(default_factory=set)
    #: ...or are accepted, then reported failed with 131047 (by :meth:`statuses`).
    closed_later: set[str] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    #: Free-form sends answered 131047.
    window_refusals: int = 0
    #: Requests by route, to count calls (uploads, media look-ups, downloads).
    hits: dict[str, int] = field(default_factory=dict)
    server: TestServer | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # -- the server -----------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(f"/{VERSION}/{{number}}/messages", self._messages)
        app.router.add_post(f"/{VERSION}/{{number}}/media", self._upload)
        app.router.add_get(f"/{VERSION}/{{media_id}}", self._media_url)
        app.router.add_get("/files/{media_id}", self._file)
        return app

    async def start(self) -> str:
        self.server = TestServer(self.app())
        await self.server.start_server()
        return self.base

    @property
    def base(self) -> str:
        assert self.server is not None
        return str(self.server.make_url(f"/{VERSION}"))

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def fail(self, http: int, code: int, **kwargs: Any) -> None:
        self.faults.append(Fault(http, code, **kwargs))

    def to(self, chat: str) -> list[dict[str, Any]]:
        """Bodies accepted for one person, in order."""
        return [s.body for s in self.sent if s.to == chat]

    def texts(self, chat: str) -> list[str]:
        """What the person read: texts, captions, bodies over buttons, template notices."""
        return [text for text in map(self.text_of, self.to(chat)) if text]

    @staticmethod
    def text_of(body: dict[str, Any]) -> str:
        kind = body["type"]
        if kind == "text":
            return str(body["text"]["body"])
        if kind == "interactive":
            return str(body["interactive"]["body"]["text"])
        if kind == "image":
            return str(body["image"].get("caption", ""))
        if kind == "template":
            components = body["template"]["components"]
            return " ".join(
                p["text"] for c in components if c["type"] == "body" for p in c["parameters"]
            )
        return ""

    def choices(self, chat: str) -> list[tuple[str, str]]:
        """(title, id) of the buttons or rows of the last interactive message to ``chat``."""
        for body in reversed(self.to(chat)):
            if body["type"] != "interactive":
                continue
            action = body["interactive"]["action"]
            if "buttons" in action:
                return [(b["reply"]["title"], b["reply"]["id"]) for b in action["buttons"]]
            return [(r["title"], r["id"]) for s in action["sections"] for r in s["rows"]]
        return []

    def _authorised(self, request: web.Request) -> bool:
        self.hits[request.path] = self.hits.get(request.path, 0) + 1
        return request.headers.get("Authorization") == f"Bearer {self.token}"

    @staticmethod
    def _error(http: int, code: int, message: str, retry_after: str = "") -> web.Response:
        headers = {"Retry-After": retry_after} if retry_after else {}
        body = {"error": {"message": message, "type": "OAuthException", "code": code}}
        return web.json_response(body, status=http, headers=headers)

    async def _messages(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._error(401, 190, "Invalid OAuth access token")
        if request.match_info["number"] != self.phone_number_id:
            return self._error(400, 100, "Unsupported post request")
        body = await request.json()
        to = str(body.get("to") or body.get("recipient") or "")
        for fault in self.faults:
            if fault.times > 0 and fault.to in (None, to):
                if fault.after > 0:
                    fault.after -= 1
                    continue
                fault.times -= 1
                return self._error(fault.http, fault.code, "fault on demand", fault.retry_after)
        problems = self._check(body)
        if problems:
            self.violations.extend(problems)
            return self._error(400, 131009, "; ".join(problems))
        free_form = body.get("type") != "template"
        if free_form and to in self.closed:
            self.window_refusals += 1
            return self._error(400, WINDOW_CLOSED, "Re-engagement message")
        wamid = f"wamid.HBgLMTU1NTAxMjM0NTYVAgARGBI{next(self._ids):020d}QUE4OTJBMTE4RTUA"
        self.sent.append(Sent(to, body, wamid))
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": wamid}],
            }
        )

    def _check(self, body: dict[str, Any]) -> list[str]:
        """Every documented limit the body breaks."""
        problems: list[str] = []

        def at_most(what: str, value: Any, limit: int, least: int = 1) -> None:
            if not isinstance(value, str) or not least <= len(value) <= limit:
                problems.append(f"{what}: {value!r} is not {least}-{limit} characters")

        if body.get("messaging_product") != "whatsapp":
            problems.append("messaging_product is not whatsapp")
        if not (body.get("to") or body.get("recipient")):
            problems.append("no recipient")
        kind = body.get("type")
        part = body.get(kind) if isinstance(kind, str) else None
        if not isinstance(part, dict):
            return [*problems, f"type {kind!r} without its object"]
        if kind == "text":
            at_most("text.body", part.get("body"), TEXT)
        elif kind == "image":
            if part.get("id") not in self.uploads and not str(part.get("link", "")).startswith(
                "https://"
            ):
                problems.append(f"image {part.get('id')!r} was never uploaded")
            if "caption" in part:
                at_most("image.caption", part["caption"], CAPTION)
        elif kind == "interactive":
            problems.extend(self._check_interactive(part, at_most))
        elif kind == "template":
            at_most("template.name", part.get("name"), 512)
            language = part.get("language")
            if not isinstance(language, dict) or not language.get("code"):
                problems.append("template without a language code")
            for component in part.get("components", []):
                for parameter in component.get("parameters", []):
                    text = parameter.get("text") or parameter.get("payload") or ""
                    if "\n" in text or "\t" in text or "     " in text:
                        problems.append(f"template parameter {text[:30]!r} has a line break")
        else:
            problems.append(f"type {kind!r} is not one the service sends")
        return problems

    def _check_interactive(self, part: dict[str, Any], at_most: Any) -> list[str]:
        problems: list[str] = []
        kind = part.get("type")
        body = part.get("body")
        header, footer = part.get("header"), part.get("footer")
        if header is not None:
            at_most("header.text", header.get("text"), HEADER)
        if footer is not None:
            at_most("footer.text", footer.get("text"), FOOTER)
        action = part.get("action", {})
        if kind == "button":
            at_most("body.text", body.get("text") if isinstance(body, dict) else None, BUTTON_BODY)
            buttons = action.get("buttons", [])
            if not 1 <= len(buttons) <= BUTTONS:
                problems.append(f"{len(buttons)} reply buttons")
            titles = [b.get("reply", {}).get("title") for b in buttons]
            if len(set(titles)) != len(titles):
                problems.append(f"button titles repeat: {titles}")
            for button in buttons:
                reply = button.get("reply", {})
                at_most("button title", reply.get("title"), BUTTON_TITLE)
                at_most("button id", reply.get("id"), BUTTON_ID)
        elif kind == "list":
            at_most("body.text", body.get("text") if isinstance(body, dict) else None, LIST_BODY)
            at_most("list button", action.get("button"), LIST_LABEL)
            rows = [r for s in action.get("sections", []) for r in s.get("rows", [])]
            if not 1 <= len(rows) <= ROWS:
                problems.append(f"{len(rows)} list rows")
            titles = [r.get("title") for r in rows]
            if len(set(titles)) != len(titles):
                problems.append(f"row titles repeat: {titles}")
            for row in rows:
                at_most("row title", row.get("title"), ROW_TITLE)
                at_most("row id", row.get("id"), ROW_ID)
                if "description" in row:
                    at_most("row description", row["description"], ROW_DESCRIPTION)
        else:
            problems.append(f"interactive type {kind!r} is not one the service sends")
        return problems

    async def _upload(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._error(401, 190, "Invalid OAuth access token")
        form = await request.post()
        file = form.get("file")
        if form.get("messaging_product") != "whatsapp" or not isinstance(file, web.FileField):
            return self._error(400, 100, "messaging_product and file are required")
        media_id = str(1_000_000_000_000 + next(self._ids))
        self.uploads[media_id] = (file.file.read(), str(form.get("type", file.content_type)))
        return web.json_response({"id": media_id})

    def _stored(self, media_id: str) -> tuple[bytes, str] | None:
        if media_id in self.files:
            return self.files[media_id], "image/jpeg"
        return self.uploads.get(media_id)

    async def _media_url(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._error(401, 190, "Invalid OAuth access token")
        media_id = request.match_info["media_id"]
        if media_id == self.phone_number_id:
            number = DISPLAY_NUMBER
            shown = f"+{number[0]} {number[1:4]}-{number[4:7]}-{number[7:]}"
            return web.json_response({"display_phone_number": shown, "id": media_id})
        stored = self._stored(media_id)
        if stored is None:
            return self._error(400, 100, "Unsupported get request")
        data, mime = stored
        assert self.server is not None
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "url": str(self.server.make_url(f"/files/{media_id}")),
                "mime_type": mime,
                "sha256": hashlib.sha256(data).hexdigest(),
                "file_size": len(data),
                "id": media_id,
            }
        )

    async def _file(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.Response(status=401)
        stored = self._stored(request.match_info["media_id"])
        if stored is None:
            return web.Response(status=404)
        return web.Response(body=stored[0], content_type=stored[1])

    # -- webhook notifications ------------------------------------------------------------

    def sign(self, body: dict[str, Any] | bytes) -> tuple[bytes, dict[str, str]]:
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        digest = hmac.new(self.app_secret.encode(), raw, hashlib.sha256).hexdigest()
        return raw, {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}

    def notification(
        self,
        *,
        messages: list[dict[str, Any]] = (),  # type: ignore[assignment]
        statuses: list[dict[str, Any]] = (),  # type: ignore[assignment]
        contacts: list[dict[str, Any]] = (),  # type: ignore[assignment]
    ) -> dict[str, Any]:
        value: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": DISPLAY_NUMBER,
                "phone_number_id": self.phone_number_id,
            },
        }
        if contacts:
            value["contacts"] = list(contacts)
        if messages:
            value["messages"] = list(messages)
        if statuses:
            value["statuses"] = list(statuses)
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}
            ],
        }

    def message(
        self, phone: str, kind: str, content: dict[str, Any], *, name: str = "Анна", wamid: str = ""
    ) -> dict[str, Any]:
        """A notification of one message from ``phone`` (``content``: the ``kind`` object)."""
        wamid = wamid or f"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUZCMTY0{next(self._ids):012d}AA=="
        return self.notification(
            contacts=[{"profile": {"name": name}, "wa_id": phone}],
            messages=[
                {"from": phone, "id": wamid, "timestamp": "1764662400", "type": kind, kind: content}
            ],
        )

    def text(self, phone: str, body: str, **kwargs: Any) -> dict[str, Any]:
        return self.message(phone, "text", {"body": body}, **kwargs)

    def press(self, phone: str, button_id: str, title: str = "", **kwargs: Any) -> dict[str, Any]:
        reply = {"type": "button_reply", "button_reply": {"id": button_id, "title": title or "x"}}
        return self.message(phone, "interactive", reply, **kwargs)

    def pick(self, phone: str, row_id: str, title: str = "", **kwargs: Any) -> dict[str, Any]:
        reply = {"type": "list_reply", "list_reply": {"id": row_id, "title": title or "x"}}
        return self.message(phone, "interactive", reply, **kwargs)

    def image(self, phone: str, data: bytes, caption: str = "", **kwargs: Any) -> dict[str, Any]:
        media_id = str(1_000_000_000_000 + next(self._ids))
        self.files[media_id] = data
        image = {
            "mime_type": "image/jpeg",
            "sha256": hashlib.sha256(data).hexdigest(),
            "id": media_id,
        }
        if caption:
            image["caption"] = caption
        return self.message(phone, "image", image, **kwargs)

    def statuses(
        self, state: str = "delivered", chat: str | None = None, since: int = 0
    ) -> dict[str, Any]:
        """A status callback for every send (to ``chat``, from the ``since``-th send on):
        ``state``, or ``failed`` with 131047 for people in ``closed_later``."""
        items: list[dict[str, Any]] = []
        for sent in self.sent[since:]:
            if chat is not None and sent.to != chat:
                continue
            item: dict[str, Any] = {
                "id": sent.wamid,
                "status": state,
                "timestamp": "1764662460",
                "recipient_id": sent.to,
            }
            if sent.to in self.closed_later and sent.body["type"] != "template":
                item["status"] = "failed"
                item["errors"] = [
                    {
                        "code": WINDOW_CLOSED,
                        "title": "Re-engagement message",
                        "message": "Re-engagement message",
                        "error_data": {
                            "details": "Message failed to send because more than 24 hours "
                            "have passed since the customer last replied to this number."
                        },
                    }
                ]
            items.append(item)
        return self.notification(statuses=items)
