"""What of a message in several parts (pictures, text pieces, a keyboard) has gone, so
that the outbox's retry after a failure halfway sends only the parts not yet sent.

Kept in memory, bounded: after a crash a part may be sent twice, never lost."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TypeVar

from core.channel import OutboundMessage

K = TypeVar("K")
V = TypeVar("V")

#: Entries a channel's memories keep at most (the oldest go first).
REMEMBERED = 10_000


def remember(memory: OrderedDict[K, V], key: K, value: V, limit: int = REMEMBERED) -> None:
    """Keep ``value`` as the newest entry, forgetting the oldest beyond ``limit``."""
    memory[key] = value
    memory.move_to_end(key)
    while len(memory) > limit:
        memory.popitem(last=False)


class SentParts:
    """One channel's memory of the parts sent of messages not yet wholly sent."""

    def __init__(self, limit: int = REMEMBERED) -> None:
        self.limit = limit
        self._sent: OrderedDict[str, tuple[int, str]] = OrderedDict()

    def sending(self, chat: str, message: OutboundMessage) -> Sending:
        """One attempt at sending ``message`` to ``chat``, resumed after the parts that
        went in an earlier attempt."""
        body = json.dumps(message.to_json(), sort_keys=True, ensure_ascii=False)
        key = hashlib.sha256(f"{chat}\n{body}".encode()).hexdigest()
        return Sending(self._sent, key, self.limit)


class Sending:
    """The parts of one message, sent in order by :meth:`part`."""

    def __init__(self, sent: OrderedDict[str, tuple[int, str]], key: str, limit: int) -> None:
        self._sent = sent
        self._limit = limit
        #: The same for every attempt at the same message to the same chat.
        self.key = key
        self._done, last_id = sent.get(key, (0, ""))
        self._step = 0
        #: The delivery id of the last part sent (in this attempt or an earlier one).
        self.last_id = last_id

    async def part(self, send: Callable[[], Awaitable[str]]) -> bool:
        """The next part: ``send()`` (which returns its delivery id) unless it went in an
        earlier attempt.  True when it went now."""
        self._step += 1
        if self._step <= self._done:
            return False
        self.last_id = await send()
        remember(self._sent, self.key, (self._step, self.last_id), self._limit)
        return True

    def finished(self) -> str:
        """Every part went (or the message went another way): forgotten; the last part's
        delivery id."""
        self._sent.pop(self.key, None)
        return self.last_id
