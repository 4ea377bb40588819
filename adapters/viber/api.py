"""Viber's REST Bot API over aiohttp, with timeouts: one call, its answer or a typed error.

Every call is ``POST {base}/{method}`` with the header ``X-Viber-Auth-Token`` and a JSON
body; Viber answers HTTP 200 with ``status`` 0 on success, another ``status`` (and its
``status_message``) when it refused the request.  The token never appears in an error.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout

AUTH_HEADER = "X-Viber-Auth-Token"
SIGNATURE_HEADER = "X-Viber-Content-Signature"
DEFAULT_BASE = "https://chatapi.viber.com/pa"
#: Viber's documented ceiling for one request body.
MAX_REQUEST_BYTES = 30 * 1024

#: Viber's status codes that matter here (its error table).
INVALID_AUTH_TOKEN = 2
RECEIVER_NOT_REGISTERED = 5
RECEIVER_NOT_SUBSCRIBED = 6
RECEIVER_NO_SUITABLE_DEVICE = 11
TOO_MANY_REQUESTS = 12
#: The receiver cannot be reached at all any more: retrying cannot help.
UNREACHABLE = (RECEIVER_NOT_REGISTERED, RECEIVER_NOT_SUBSCRIBED, RECEIVER_NO_SUITABLE_DEVICE)
#: The request itself is wrong (bad data, missing data, API version, message type, media):
#: sent again as it is, it is refused again.
BAD_REQUEST = (3, 4, 13, 14, 17, 20)
#: Viber's rate control; later the same request goes.
RATE_LIMITED = (TOO_MANY_REQUESTS, 18)


def signature(token: str, body: bytes) -> str:
    """``X-Viber-Content-Signature`` of a body: hex HMAC-SHA256 keyed by the auth token."""
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


def signed_by(token: str, body: bytes, given: str | None) -> bool:
    """Whether ``given`` is the body's signature, compared in constant time."""
    if given is None:
        return False
    expected = signature(token, body).encode()
    return hmac.compare_digest(expected, given.strip().lower().encode("ascii", "replace"))


class ViberError(Exception):
    """A call failed.  ``status``: Viber's status code when it answered one (HTTP 200),
    else 0; ``http``: the HTTP status (0 when there was no answer at all)."""

    def __init__(
        self, message: str, *, status: int = 0, http: int = 0, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.http = http
        self.retry_after = retry_after

    @property
    def answered(self) -> bool:
        return self.http != 0


class ViberApi:
    """One bot's calls.  The aiohttp session is made on first use and closed by :meth:`close`."""

    def __init__(self, token: str, base: str = DEFAULT_BASE, *, timeout: float = 20.0) -> None:
        self.token = token
        self.base = base.rstrip("/")
        self.timeout = timeout
        self._session: ClientSession | None = None

    def session(self) -> ClientSession:
        if self._session is None or self._session.closed:
            self._session = ClientSession(timeout=ClientTimeout(total=self.timeout))
        return self._session

    async def call(self, method: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """The answer of ``method``, or :class:`ViberError`."""
        data = json.dumps(body or {}, ensure_ascii=False).encode()
        if len(data) > MAX_REQUEST_BYTES:
            raise ViberError(
                f"viber {method}: request of {len(data)} bytes is over Viber's {MAX_REQUEST_BYTES}",
                status=3,
                http=413,
            )
        headers = {AUTH_HEADER: self.token, "Content-Type": "application/json"}
        try:
            async with self.session().post(
                f"{self.base}/{method}", data=data, headers=headers
            ) as resp:
                raw = await resp.read()
                http = resp.status
                retry = resp.headers.get("Retry-After", "")
        except (ClientError, TimeoutError) as exc:
            raise ViberError(f"viber {method}: {type(exc).__name__}: {exc}") from None
        if http != 200:
            wait = float(retry) if retry.isdigit() else None
            raise ViberError(f"viber {method}: HTTP {http}", http=http, retry_after=wait)
        try:
            answer = json.loads(raw)
        except ValueError:
            raise ViberError(f"viber {method}: answer is not JSON", http=http) from None
        if not isinstance(answer, dict):
            raise ViberError(f"viber {method}: answer is not a JSON object", http=http)
        status = answer.get("status")
        if status != 0:
            words = str(answer.get("status_message", ""))[:200]
            code = status if isinstance(status, int) and not isinstance(status, bool) else -1
            raise ViberError(
                f"viber {method}: status {code} {words}".rstrip(), status=code, http=http
            )
        return answer

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
