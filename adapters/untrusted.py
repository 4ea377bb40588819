"""Read and parse a body from outside without letting its size or shape crash anything.

``json.loads`` alone raises RecursionError on deeply nested arrays and ValueError on an
integer of more than 4300 digits (CPython's int max-str-digits guard); duplicate keys
silently keep the last value.  Every such body is refused here with one exception type,
so an edge can answer 400 for any bytes it is sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

#: Far deeper than any webhook body a messenger sends (Telegram's nest a handful of levels).
MAX_DEPTH = 64
#: Longer integers are no id, count or timestamp of any messenger.
MAX_INT_DIGITS = 40

# Strings are matched whole, so brackets inside them are not counted.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


class JsonRejected(ValueError):
    """The body is not acceptable JSON; the message says why, in a few English words."""


class TooLarge(ValueError):
    """The body or part is longer than allowed."""


async def read_limited(read: Callable[[int], Awaitable[bytes]], limit: int) -> bytes:
    """Everything ``read`` gives until it returns b"", or :class:`TooLarge` past ``limit``
    bytes (without reading the rest)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await read(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def loads(raw: bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """The value of a UTF-8 JSON document, or :class:`JsonRejected`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise JsonRejected("the body is not UTF-8") from None
    depth = 0
    for token in _TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > max_depth:
                raise JsonRejected(f"JSON nested deeper than {max_depth} levels")
        elif char in "]}":
            depth -= 1
    try:
        return json.loads(
            text,
            parse_int=_int,
            parse_constant=_constant,
            object_pairs_hook=_object,
        )
    except JsonRejected:
        raise
    except (ValueError, RecursionError) as exc:
        raise JsonRejected("malformed JSON") from exc


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise JsonRejected(f"a number longer than {MAX_INT_DIGITS} digits")
    return int(digits)


def _constant(name: str) -> Any:
    raise JsonRejected(f"{name} is not JSON")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise JsonRejected("a key appears twice in one object")
    return result
