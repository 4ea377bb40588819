"""Button payloads: one small versioned codec, always <= 64 bytes (the most
button data the messengers served carry).

Two shapes:

* ``v1:r:<op>:<request id>:<request version>[:<arg>]`` acts on a request; the
  version makes a button stale as soon as the request changes.
* ``v1:q:<step>:<value>`` answers the question a dialogue is asking; it is only
  accepted while the dialogue is at that step.

A payload is never trusted: parsing only checks its shape, the use cases check
the actor and the request's current state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "v1"
MAX_BYTES = 64

_TOKEN = re.compile(r"[A-Za-z0-9_.\-]{1,40}")
_OP = re.compile(r"[a-z]{2}")
_ID = re.compile(r"[0-9]{1,12}")
_VERSION = re.compile(r"[0-9]{1,9}")


class BadPayload(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class RequestAction:
    op: str
    request_id: int
    version: int
    arg: str = ""

    def encode(self) -> str:
        if not _OP.fullmatch(self.op) or (self.arg and not _TOKEN.fullmatch(self.arg)):
            raise BadPayload("bad op or argument")
        if not 0 <= self.request_id < 10**12 or not 0 <= self.version < 10**9:
            raise BadPayload("id out of range")
        parts = [PREFIX, "r", self.op, str(self.request_id), str(self.version)]
        if self.arg:
            parts.append(self.arg)
        return _checked(":".join(parts))


@dataclass(frozen=True, slots=True)
class Answer:
    step: str
    value: str

    def encode(self) -> str:
        if not _TOKEN.fullmatch(self.step) or not _TOKEN.fullmatch(self.value):
            raise BadPayload("bad step or value")
        return _checked(":".join([PREFIX, "q", self.step, self.value]))


def _checked(payload: str) -> str:
    if len(payload.encode()) > MAX_BYTES:
        raise BadPayload("payload too long")
    return payload


def decode(raw: str) -> RequestAction | Answer:
    """Parse a payload; raise :class:`BadPayload` for anything malformed."""
    if not raw or len(raw.encode("utf-8", "replace")) > MAX_BYTES:
        raise BadPayload("bad length")
    parts = raw.split(":")
    if parts[0] != PREFIX or len(parts) < 4:
        raise BadPayload("unknown format")
    if parts[1] == "r" and len(parts) in (5, 6):
        op, rid, ver = parts[2], parts[3], parts[4]
        arg = parts[5] if len(parts) == 6 else ""
        if not _OP.fullmatch(op) or not _ID.fullmatch(rid) or not _VERSION.fullmatch(ver):
            raise BadPayload("bad request action")
        if arg and not _TOKEN.fullmatch(arg):
            raise BadPayload("bad request action")
        return RequestAction(op, int(rid), int(ver), arg)
    if parts[1] == "q" and len(parts) == 4:
        step, value = parts[2], parts[3]
        if not _TOKEN.fullmatch(step) or not _TOKEN.fullmatch(value):
            raise BadPayload("bad answer")
        return Answer(step, value)
    raise BadPayload("unknown format")
