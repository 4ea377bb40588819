"""The Cloud API calls the service makes, over aiohttp with timeouts: one call, its
answer or a typed :class:`CloudApiError`.

Every call carries ``Authorization: Bearer <token>``; the token never appears in an
error or a log line.  Graph answers a refusal with an HTTP error status and a body
``{"error": {"code": ..., "message": ...}}``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, FormData

from adapters import untrusted

DEFAULT_BASE = "https://graph.facebook.com/v21.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
#: Graph's answers to the calls made here are a few hundred bytes.
MAX_ANSWER = 64 * 1024


def signature(app_secret: str, body: bytes) -> str:
    """``X-Hub-Signature-256`` of a body: ``sha256=`` and the hex HMAC-SHA256 keyed by
    the app secret."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signed_by(app_secret: str, body: bytes, given: str) -> bool:
    """Whether ``given`` is the body's signature, compared in constant time."""
    expected = signature(app_secret, body).encode()
    return hmac.compare_digest(expected, given.strip().lower().encode("ascii", "replace"))


class CloudApiError(Exception):
    """A call failed.  ``code``: Graph's error code when it answered one, else 0;
    ``http``: the HTTP status (0 when nothing was answered at all)."""

    def __init__(
        self, message: str, *, code: int = 0, http: int = 0, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.http = http
        self.retry_after = retry_after


class CloudApi:
    """One phone number's calls.  The session is made on first use, closed by :meth:`close`."""

    def __init__(
        self, token: str, phone_number_id: str, base: str = DEFAULT_BASE, *, timeout: float = 20.0
    ) -> None:
        self.token = token
        self.phone_number_id = phone_number_id
        self.base = base.rstrip("/")
        self.timeout = timeout
        self._session: ClientSession | None = None

    def _http(self) -> ClientSession:
        if self._session is None or self._session.closed:
            self._session = ClientSession(timeout=ClientTimeout(total=self.timeout))
        return self._session

    @property
    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def send(self, body: dict[str, Any]) -> str:
        """``POST /{phone_number_id}/messages``; the id of the message sent."""
        payload = {"messaging_product": "whatsapp", **body}
        data = json.dumps(payload, ensure_ascii=False).encode()
        answer = await self._call(
            "POST",
            f"{self.base}/{self.phone_number_id}/messages",
            data=data,
            headers={"Content-Type": "application/json"},
        )
        messages = answer.get("messages")
        first = messages[0] if isinstance(messages, list) and messages else None
        wamid = first.get("id") if isinstance(first, dict) else None
        if not isinstance(wamid, str) or not wamid:
            raise CloudApiError("messages: the answer has no message id", http=200)
        return wamid

    async def upload(self, data: bytes, mime: str, filename: str) -> str:
        """``POST /{phone_number_id}/media`` (multipart); the media id to send it by."""
        form = FormData()
        form.add_field("messaging_product", "whatsapp")
        form.add_field("type", mime)
        form.add_field("file", data, filename=filename, content_type=mime)
        answer = await self._call("POST", f"{self.base}/{self.phone_number_id}/media", data=form)
        media_id = answer.get("id")
        if not isinstance(media_id, str) or not media_id:
            raise CloudApiError("media: the answer has no media id", http=200)
        return media_id

    async def display_number(self) -> str:
        """``GET /{phone_number_id}``: the number people write to, digits only."""
        answer = await self._call(
            "GET", f"{self.base}/{self.phone_number_id}?fields=display_phone_number"
        )
        shown = answer.get("display_phone_number")
        return "".join(c for c in shown if c.isdigit()) if isinstance(shown, str) else ""

    async def media_url(self, media_id: str) -> tuple[str, int]:
        """``GET /{media_id}``: the short-lived URL of an incoming file and its size
        (0 when not told)."""
        answer = await self._call("GET", f"{self.base}/{media_id}")
        url = answer.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise CloudApiError("media: the answer has no URL", http=200)
        size = answer.get("file_size")
        return url, size if isinstance(size, int) and not isinstance(size, bool) else 0

    async def download(self, url: str, limit: int) -> bytes | None:
        """The file at ``url`` (with the bearer token); None when it is over ``limit``."""
        try:
            async with self._http().get(url, headers=self._auth) as resp:
                if resp.status != 200:
                    raise CloudApiError(f"media download: HTTP {resp.status}", http=resp.status)
                if resp.content_length is not None and resp.content_length > limit:
                    return None
                try:
                    return await untrusted.read_limited(resp.content.read, limit)
                except untrusted.TooLarge:
                    return None
        except (ClientError, TimeoutError) as exc:
            raise CloudApiError(f"media download: {type(exc).__name__}") from None

    async def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        headers = {**self._auth, **kwargs.pop("headers", {})}
        what = url.removeprefix(self.base)
        try:
            async with self._http().request(method, url, headers=headers, **kwargs) as resp:
                http = resp.status
                retry = resp.headers.get("Retry-After", "")
                raw = await untrusted.read_limited(resp.content.read, MAX_ANSWER)
        except untrusted.TooLarge:
            raise CloudApiError(f"{what}: answer too large", http=http) from None
        except (ClientError, TimeoutError) as exc:
            raise CloudApiError(f"{what}: {type(exc).__name__}: {exc}") from None
        try:
            answer = untrusted.loads(raw)
        except untrusted.JsonRejected:
            answer = None
        if http == 200 and isinstance(answer, dict):
            return answer
        error = answer.get("error") if isinstance(answer, dict) else None
        code = error.get("code") if isinstance(error, dict) else None
        words = str(error.get("message", ""))[:200] if isinstance(error, dict) else ""
        raise CloudApiError(
            f"{what}: HTTP {http} {words}".rstrip(),
            code=code if isinstance(code, int) and not isinstance(code, bool) else 0,
            http=http,
            retry_after=float(retry) if retry.isdigit() else None,
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
