"""A fake Telegram Bot API server speaking the real HTTP protocol, for the adapter's tests.

Routes ``/bot<token>/<method>`` and ``/file/bot<token>/<path>``.  It records every call,
serves ``getUpdates`` as a long poll over updates the test queues, keeps the messages each
chat received, and fails calls on demand: 429 with ``retry_after``, 500, 403, 400 with a
description, or a hang.  Like Telegram it refuses a photo it cannot show (sendPhoto,
sendMediaGroup): one it cannot decode, or of dimensions outside the Bot API's limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import struct
import time
import zlib
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.support.harness import PNG

TOKEN = "123:ABC"
BOT_ID = 123


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    at: float

    @property
    def chat(self) -> str:
        return str(self.params.get("chat_id", ""))


@dataclass
class Sent:
    """A message the bot sent (or edited), as a chat sees it."""

    message_id: int
    chat: str
    text: str
    markup: dict[str, Any] | None
    photos: int = 0
    edited: int = 0

    @property
    def buttons(self) -> list[tuple[str, str]]:
        rows = (self.markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    def button(self, label: str) -> str:
        for text, data in self.buttons:
            if label in text:
                return data
        raise AssertionError(f"no button {label!r} in {self.buttons} under {self.text!r}")


@dataclass
class Fault:
    kind: str  # "429", "500", "403", "400", "hang", "migrate" (to the id in retry_after)
    method: str | None = None
    chat: str | None = None
    retry_after: int = 1
    description: str = ""
    times: int = 1


@dataclass
class FakeTelegram:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    sent: dict[str, list[Sent]] = field(default_factory=lambda: defaultdict(list))
    faults: list[Fault] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    webhook: dict[str, Any] = field(default_factory=dict)
    pinned: set[tuple[str, int]] = field(default_factory=set)
    #: Callback queries already answered (Telegram refuses a second answer).
    answered: set[str] = field(default_factory=set)
    #: Answer 429 like Telegram when the published limits are exceeded (for the benchmark).
    enforce_limits: bool = False
    too_many: int = 0
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _file_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _recent: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    server: TestServer | None = None

    # -- running ------------------------------------------------------------------------

    def app(self) -> web.Application:
        application = web.Application(client_max_size=60 * 1024 * 1024)
        application.router.add_route("*", "/bot{token}/{method}", self._api)
        application.router.add_get("/file/bot{token}/{path:.+}", self._file)
        return application

    async def start(self) -> str:
        self.server = TestServer(self.app(), host="127.0.0.1")
        await self.server.start_server()
        return str(self.server.make_url("")).rstrip("/")

    async def close(self) -> None:
        self._new_update.set()
        if self.server is not None:
            await self.server.close()

    # -- what tests read ----------------------------------------------------------------

    def methods(self, name: str) -> list[Call]:
        return [c for c in self.calls if c.method == name]

    def read(self, chat: int | str) -> list[Sent]:
        """Messages to ``chat`` since the last read (edits show up as the edited message)."""
        key = str(chat)
        box = self.sent[key]
        seen = self._cursor.get(key, 0)
        self._cursor[key] = len(box)
        return box[seen:]

    @property
    def _cursor(self) -> dict[str, int]:
        if not hasattr(self, "_cursor_store"):
            self._cursor_store: dict[str, int] = {}
        return self._cursor_store

    def last(self, chat: int | str) -> Sent:
        return self.sent[str(chat)][-1]

    def fail(self, kind: str, **kwargs: Any) -> None:
        self.faults.append(Fault(kind, **kwargs))

    # -- building updates ---------------------------------------------------------------

    def add_file(self, data: bytes) -> str:
        file_id = f"file-{next(self._file_ids)}"
        self.files[file_id] = data
        return file_id

    def _base(
        self, user: int, chat: int | None, name: str = "Анна"
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        sender = {"id": user, "is_bot": False, "first_name": name, "language_code": "ru"}
        if chat is None or chat == user:
            chat_obj = {"id": user, "type": "private", "first_name": name}
        else:
            chat_obj = {"id": chat, "type": "supergroup", "title": "Диспетчерская"}
        return sender, chat_obj

    def message(self, user: int, chat: int | None = None, **content: Any) -> dict[str, Any]:
        sender, chat_obj = self._base(user, chat)
        msg = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": chat_obj,
            "from": sender,
            **content,
        }
        return {"update_id": next(self._update_ids), "message": msg}

    def text(self, user: int, text: str, chat: int | None = None) -> dict[str, Any]:
        return self.message(user, chat, text=text)

    def photo(
        self,
        user: int,
        data: bytes = PNG,
        caption: str = "",
        group: str = "",
        chat: int | None = None,
    ) -> dict[str, Any]:
        file_id = self.add_file(data)
        small = self.add_file(b"thumbnail, never downloaded")
        content: dict[str, Any] = {
            "photo": [
                {"file_id": small, "file_unique_id": small, "width": 90, "height": 90},
                {
                    "file_id": file_id,
                    "file_unique_id": file_id,
                    "width": 1280,
                    "height": 960,
                    "file_size": len(data),
                },
            ]
        }
        if caption:
            content["caption"] = caption
        if group:
            content["media_group_id"] = group
        return self.message(user, chat, **content)

    def press(self, user: int, data: str, chat: int | None = None) -> dict[str, Any]:
        sender, chat_obj = self._base(user, chat)
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": f"cb-{next(self._ids)}",
                "from": sender,
                "chat_instance": "ci",
                "data": data,
                "message": {
                    "message_id": 1,
                    "date": int(time.time()),
                    "chat": chat_obj,
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Бот"},
                    "text": "…",
                },
            },
        }

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates."""
        self._updates.append(update)
        self._new_update.set()
        return update

    def pending_updates(self) -> int:
        return len(self._updates)

    # -- the protocol -------------------------------------------------------------------

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        if request.content_type == "application/json":
            body = await request.json()
            return (body if isinstance(body, dict) else {}), files
        if request.method == "GET":
            return dict(request.query), files
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
            else:
                text = str(value)
                try:
                    params[key] = json.loads(text)
                except ValueError:
                    params[key] = text
        return params, files

    def _fault_for(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self.faults:
            if fault.method not in (None, method):
                continue
            if fault.chat is not None and str(params.get("chat_id")) != fault.chat:
                continue
            fault.times -= 1
            if fault.times <= 0:
                self.faults.remove(fault)
            return fault
        return None

    def _over_limit(self, chat: str, now: float) -> bool:
        if not chat:
            return False
        group = chat.startswith("-")
        period, count = (60.0, 20) if group else (1.0, 1)
        for key, (p, c) in ((chat, (period, count)), ("*", (1.0, 30))):
            times = self._recent[key]
            while times and times[0] <= now - p:
                times.popleft()
            if len(times) >= c:
                return True
        for key in (chat, "*"):
            self._recent[key].append(now)
        return False

    async def _api(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params, files = await self._params(request)
        self.calls.append(Call(method, params, files, time.monotonic()))
        fault = self._fault_for(method, params)
        if fault is not None:
            return await self._fault(fault)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        if (
            self.enforce_limits
            and method in ("sendMessage", "sendPhoto", "sendMediaGroup")
            and self._over_limit(str(params.get("chat_id", "")), time.monotonic())
        ):
            self.too_many += 1
            return _error(429, "Too Many Requests: retry after 1", retry_after=1)
        result = await handler(params, files)
        if isinstance(result, web.StreamResponse):
            return result
        return web.json_response({"ok": True, "result": result})

    async def _fault(self, fault: Fault) -> web.StreamResponse:
        if fault.kind == "hang":
            await asyncio.sleep(3600)
        if fault.kind == "429":
            return _error(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                retry_after=fault.retry_after,
            )
        if fault.kind == "migrate":
            body = {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: group chat was upgraded to a supergroup chat",
                "parameters": {"migrate_to_chat_id": fault.retry_after},
            }
            return web.json_response(body, status=400)
        if fault.kind == "403":
            return _error(403, fault.description or "Forbidden: bot was blocked by the user")
        if fault.kind == "400":
            return _error(400, fault.description or "Bad Request: chat not found")
        return _error(500, "Internal Server Error")

    async def _file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        file_id = path.rsplit("/", 1)[-1]
        data = self.files.get(file_id)
        if data is None:
            return web.Response(status=404)
        self.calls.append(Call("download", {"path": path}, {}, time.monotonic()))
        return web.Response(body=data, content_type="application/octet-stream")

    # methods --------------------------------------------------------------------------

    async def _m_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Бот", "username": "uk_test_bot"}

    async def _m_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        if not self._updates and timeout:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        return self._updates[:limit]

    async def _m_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = dict(params)
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = {}
        return True

    async def _m_pinChatMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.pinned.add((str(params["chat_id"]), int(params["message_id"])))
        return True

    async def _m_unpinChatMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.pinned.discard((str(params["chat_id"]), int(params["message_id"])))
        return True

    async def _m_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        # Telegram takes one answer per press; another is refused.
        query_id = str(params.get("callback_query_id", ""))
        if query_id in self.answered:
            return _error(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.answered.add(query_id)
        return True

    async def _m_getFile(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        file_id = str(params.get("file_id", ""))
        if file_id not in self.files:
            return _error(400, "Bad Request: invalid file_id")
        data = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(data),
            "file_path": f"photos/{file_id}",
        }

    def _store(self, chat: str, text: str, markup: Any, photos: int = 0) -> dict[str, Any]:
        message_id = next(self._ids)
        self.sent[chat].append(
            Sent(message_id, chat, text, markup if isinstance(markup, dict) else None, photos)
        )
        return self._message_json(chat, message_id, text)

    def _message_json(self, chat: str, message_id: int, text: str) -> dict[str, Any]:
        chat_id = int(chat)
        chat_obj = (
            {"id": chat_id, "type": "supergroup", "title": "Диспетчерская"}
            if chat_id < 0
            else {"id": chat_id, "type": "private", "first_name": "Анна"}
        )
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat_obj,
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Бот"},
            "text": text,
        }

    async def _m_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        text = str(params.get("text", ""))
        if not text or len(text) > 4096:
            return _error(400, "Bad Request: message text is empty or too long")
        return self._store(str(params["chat_id"]), text, params.get("reply_markup"))

    async def _m_sendPhoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if not files:
            return _error(400, "Bad Request: there is no photo in the request")
        refused = _photo_refusal(next(iter(files.values())))
        if refused:
            return _error(400, refused)
        caption = str(params.get("caption", ""))
        return self._store(str(params["chat_id"]), caption, params.get("reply_markup"), photos=1)

    async def _m_sendMediaGroup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        media = params.get("media") or []
        if not 2 <= len(media) <= 10:
            return _error(400, "Bad Request: wrong number of media")
        for item in media:
            ref = str(item.get("media", ""))
            if not ref.startswith("attach://") or ref.removeprefix("attach://") not in files:
                return _error(400, "Bad Request: photos must be uploaded")
            refused = _photo_refusal(files[ref.removeprefix("attach://")])
            if refused:
                return _error(400, refused)
        chat = str(params["chat_id"])
        return [self._store(chat, "", None, photos=1) for _ in media]

    def _find(self, chat: str, message_id: int) -> Sent | None:
        return next((m for m in self.sent.get(chat, []) if m.message_id == message_id), None)

    async def _m_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = str(params.get("chat_id"))
        message = self._find(chat, int(params.get("message_id", 0)))
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        text = str(params.get("text", ""))
        markup = params.get("reply_markup")
        if message.photos:
            return _error(400, "Bad Request: there is no text in the message to edit")
        if text == message.text and markup == message.markup:
            return _error(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        message.text, message.markup = text, markup if isinstance(markup, dict) else None
        message.edited += 1
        return self._message_json(chat, message.message_id, text)

    async def _m_editMessageReplyMarkup(
        self, params: dict[str, Any], files: dict[str, bytes]
    ) -> Any:
        chat = str(params.get("chat_id"))
        message = self._find(chat, int(params.get("message_id", 0)))
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if markup == message.markup:
            return _error(400, "Bad Request: message is not modified")
        message.markup = markup if isinstance(markup, dict) else None
        message.edited += 1
        return self._message_json(chat, message.message_id, message.text)


def png(width: int, height: int) -> bytes:
    """A valid grey PNG of this size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _dimensions(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG or a baseline/progressive JPEG; None when unreadable."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        at = 2
        while at + 9 <= len(data) and data[at] == 0xFF:
            marker, length = data[at + 1], int.from_bytes(data[at + 2 : at + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[at + 5 : at + 9])
                return int(width), int(height)
            at += 2 + length
    return None


def _photo_refusal(data: bytes) -> str:
    """Telegram's answer to a photo it will not show, "" for one it takes.  The Bot
    API's limits (sendPhoto): width and height at most 10000 in total, their ratio at
    most 20."""
    size = _dimensions(data)
    if size is None:
        return "Bad Request: IMAGE_PROCESS_FAILED"
    width, height = size
    if width + height > 10_000 or max(width, height) > 20 * max(min(width, height), 1):
        return "Bad Request: PHOTO_INVALID_DIMENSIONS"
    return ""


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)
