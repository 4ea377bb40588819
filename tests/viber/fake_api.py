"""A fake Viber REST Bot API server speaking the real HTTP protocol, for the adapter's tests.

Routes ``POST /pa/<method>`` (``send_message``, ``set_webhook``, ``get_account_info``)
checked by ``X-Viber-Auth-Token``, and ``GET /media/<name>`` serving pictures users
"sent" (until the test expires them).  It records every call, keeps what each user
received, refuses like Viber a message over its limits (status 3 ``badData``) or to a
user who is not subscribed (status 6), and fails calls on demand: a status != 0 in an
HTTP 200 answer, a 5xx, or a hang.  ``set_webhook`` calls the webhook with a signed
``webhook`` event, as Viber does, and fails with status 1 unless it answers 200.
It also builds callback bodies in Viber's shape and signs them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web
from aiohttp.test_utils import TestServer

from adapters.viber.api import AUTH_HEADER, SIGNATURE_HEADER, signature

TOKEN = "4453b0dcd47c3ae3-5e6c9866b2b1c3f7-oxv2lbqvbolcgtbe"
BOT_NAME = "Диспетчерская УК «Ромашка»"
#: Viber's limits the fake enforces (the REST Bot API's message data model).
LIMITS = {"sender.name": 28, "text": 7000, "Text": 250, "ActionBody": 250, "tracking_data": 4000}
MAX_BODY = 30 * 1024
STATUS_MESSAGES = {
    1: "invalidUrl",
    2: "invalidAuthToken",
    3: "badData",
    6: "receiverNotSubscribed",
    12: "tooManyRequests",
}


@dataclass
class Call:
    method: str
    body: dict[str, Any]
    size: int


@dataclass
class Fault:
    kind: str  # "status" (with ``status``), "500", "503", "hang"
    method: str | None = None
    status: int = 0
    times: int = 1
    #: Matching calls let through before the fault strikes.
    after: int = 0


@dataclass
class FakeViber:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    #: Users the bot may message (Viber refuses others with status 6).
    subscribed: set[str] = field(default_factory=set)
    #: Pictures served under /media/<name>; an expired name answers 403.
    media: dict[str, bytes] = field(default_factory=dict)
    expired: set[str] = field(default_factory=set)
    #: Pictures the fake fetched from the URLs it was sent, per media URL.
    fetched: dict[str, bytes] = field(default_factory=dict)
    webhook_url: str = ""
    faults: list[Fault] = field(default_factory=list)
    fetch_media: bool = True
    server: TestServer | None = None
    _tokens: itertools.count[int] = field(default_factory=lambda: itertools.count(5000000000001))

    # -- the server -------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/pa/{method}", self._api)
        app.router.add_get("/media/{name}", self._media)
        return app

    async def start(self) -> str:
        self.server = TestServer(self.app())
        await self.server.start_server()
        return str(self.server.make_url("/pa"))

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def url(self, path: str) -> str:
        assert self.server is not None
        return str(self.server.make_url(path))

    def fail(self, kind: str, **kwargs: Any) -> None:
        self.faults.append(Fault(kind, **kwargs))

    def sends(self, user: str | None = None) -> list[dict[str, Any]]:
        """``send_message`` bodies Viber accepted, for one user or all."""
        return [
            c.body
            for c in self.calls
            if c.method == "send_message"
            and c.body.get("_accepted")
            and (user is None or c.body.get("receiver") == user)
        ]

    # -- callbacks ----------------------------------------------------------------------

    def sign(self, body: dict[str, Any] | bytes) -> tuple[bytes, dict[str, str]]:
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        return raw, {
            SIGNATURE_HEADER: signature(self.token, raw),
            "Content-Type": "application/json",
        }

    def message(self, user: str, message: dict[str, Any], name: str = "Анна") -> dict[str, Any]:
        return {
            "event": "message",
            "timestamp": 1764662400000,
            "chat_hostname": "SN-376_",
            "message_token": next(self._tokens),
            "sender": {
                "id": user,
                "name": name,
                "language": "ru",
                "country": "RU",
                "api_version": 7,
            },
            "message": message,
            "silent": False,
        }

    def text(self, user: str, text: str) -> dict[str, Any]:
        return self.message(user, {"type": "text", "text": text})

    def picture(self, user: str, data: bytes, caption: str = "") -> dict[str, Any]:
        name = f"p{len(self.media)}.jpg"
        self.media[name] = data
        return self.message(
            user,
            {
                "type": "picture",
                "text": caption,
                "media": self.url(f"/media/{name}"),
                "file_name": name,
                "file_size": len(data),
            },
        )

    def contact(self, user: str, phone: str) -> dict[str, Any]:
        return self.message(
            user, {"type": "contact", "contact": {"name": "Анна", "phone_number": phone}}
        )

    def conversation_started(
        self, user: str, context: str = "", subscribed: bool = False
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "event": "conversation_started",
            "timestamp": 1764662400000,
            "chat_hostname": "SN-350_",
            "message_token": next(self._tokens),
            "type": "open",
            "user": {
                "id": user,
                "name": "Анна",
                "language": "ru",
                "country": "RU",
                "api_version": 7,
            },
            "subscribed": subscribed,
        }
        if context:
            body["context"] = context
        return body

    def unsubscribed(self, user: str) -> dict[str, Any]:
        self.subscribed.discard(user)
        return {
            "event": "unsubscribed",
            "timestamp": 1764662400000,
            "user_id": user,
            "message_token": next(self._tokens),
        }

    def receipt(self, kind: str, token: str, user: str, desc: str = "") -> dict[str, Any]:
        body: dict[str, Any] = {
            "event": kind,
            "timestamp": 1764662400000,
            "message_token": int(token),
            "user_id": user,
        }
        if desc:
            body["desc"] = desc
        return body

    # -- the API --------------------------------------------------------------------------

    def _fault_for(self, method: str) -> Fault | None:
        for fault in self.faults:
            if fault.method in (None, method) and fault.times > 0:
                if fault.after > 0:
                    fault.after -= 1
                    continue
                fault.times -= 1
                return fault
        return None

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        raw = await request.read()
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return _status(3)
        call = Call(method, body, len(raw))
        self.calls.append(call)
        if request.headers.get(AUTH_HEADER) != self.token:
            return _status(2)
        fault = self._fault_for(method)
        if fault is not None:
            if fault.kind == "hang":
                await asyncio.sleep(3600)
            if fault.kind in ("500", "503"):
                return web.Response(status=int(fault.kind), text="server error")
            return _status(fault.status)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return web.json_response({"status": 3, "status_message": "badData"}, status=200)
        answer: web.StreamResponse = await handler(call, raw)
        return answer

    async def _m_get_account_info(self, call: Call, raw: bytes) -> web.StreamResponse:
        return web.json_response(
            {
                "status": 0,
                "status_message": "ok",
                "id": "pa:75346594275468546724",
                "name": BOT_NAME,
                "uri": "romashka-uk",
                "icon": "https://example.com/icon.jpg",
                "webhook": self.webhook_url,
                "event_types": ["delivered", "seen"],
                "subscribers_count": len(self.subscribed),
            }
        )

    async def _m_set_webhook(self, call: Call, raw: bytes) -> web.StreamResponse:
        url = call.body.get("url")
        if not isinstance(url, str) or not url:
            return _status(1)
        check = {"event": "webhook", "timestamp": 1764662400000, "message_token": 1}
        data, headers = self.sign(check)
        try:
            async with (
                ClientSession(timeout=ClientTimeout(total=10)) as session,
                session.post(url, data=data, headers=headers) as resp,
            ):
                ok = resp.status == 200
        except (TimeoutError, OSError):
            ok = False
        if not ok:
            return _status(1)
        self.webhook_url = url
        return web.json_response(
            {"status": 0, "status_message": "ok", "event_types": call.body.get("event_types")}
        )

    async def _m_send_message(self, call: Call, raw: bytes) -> web.StreamResponse:
        body = call.body
        problem = _limit_problem(body, len(raw))
        if problem:
            body["_problem"] = problem
            return _status(3)
        receiver = body.get("receiver")
        if receiver not in self.subscribed:
            return _status(6)
        if body.get("type") == "picture":
            media = str(body.get("media", ""))
            if not media.lower().endswith((".jpg", ".jpeg", ".png")):
                body["_problem"] = "media URL without an image extension"
                return _status(3)
            if self.fetch_media:
                async with (
                    ClientSession(timeout=ClientTimeout(total=10)) as session,
                    session.get(media) as resp,
                ):
                    if resp.status != 200:
                        body["_problem"] = f"media answered {resp.status}"
                        return _status(3)
                    self.fetched[media] = await resp.read()
        body["_accepted"] = True
        token = next(self._tokens)
        body["_token"] = str(token)
        return web.json_response(
            {"status": 0, "status_message": "ok", "message_token": token, "chat_hostname": "SN-1_"}
        )

    async def _media(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name in self.expired:
            return web.Response(status=403, text="expired")
        if name not in self.media:
            raise web.HTTPNotFound()
        return web.Response(body=self.media[name], content_type="image/jpeg")


def _limit_problem(body: dict[str, Any], size: int) -> str:
    """Why Viber would refuse this message as it is, or ""."""
    if size > MAX_BODY:
        return f"body of {size} bytes"
    sender = body.get("sender")
    name = sender.get("name") if isinstance(sender, dict) else None
    if not isinstance(name, str) or not 1 <= len(name) <= LIMITS["sender.name"]:
        return "sender.name missing or longer than 28"
    if len(str(body.get("text", ""))) > LIMITS["text"]:
        return "text longer than 7000"
    if len(str(body.get("tracking_data", ""))) > LIMITS["tracking_data"]:
        return "tracking_data longer than 4000"
    keyboard = body.get("keyboard")
    if keyboard is not None:
        buttons = keyboard.get("Buttons") if isinstance(keyboard, dict) else None
        if not isinstance(buttons, list) or not buttons:
            return "keyboard without Buttons"
        for button in buttons:
            if not 1 <= int(button.get("Columns", 6)) <= 6:
                return "Columns outside 1-6"
            for key in ("Text", "ActionBody"):
                if len(str(button.get(key, ""))) > LIMITS[key]:
                    return f"{key} longer than 250"
            if button.get("ActionType", "reply") in ("share-phone", "location-picker") and (
                int(body.get("min_api_version", 1)) < 3
            ):
                return "picker button without min_api_version 3"
    return ""


def _status(status: int) -> web.Response:
    return web.json_response(
        {"status": status, "status_message": STATUS_MESSAGES.get(status, "failure")}
    )
