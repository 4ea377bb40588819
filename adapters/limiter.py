"""A messenger's send limits, kept inside its channel: per chat (private or group) and
overall.

Each limit is a sliding window of recent send times; :meth:`RateLimiter.acquire`
waits until every window that applies has room, then books the send.  The defaults
are Telegram's published limits: about one message per second in a private chat, 20
per minute in a group, 30 per second overall
(https://core.telegram.org/bots/faq#my-bot-is-hitting-limits).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    private_count: int = 1
    private_period: float = 1.0
    group_count: int = 20
    group_period: float = 60.0
    global_count: int = 30
    global_period: float = 1.0
    #: Added to every period: a request booked now reaches the messenger a few ms later, and
    #: that jitter must not squeeze two windows' worth of messages into one.
    slack: float = 0.015


TELEGRAM_LIMITS = Limits()
#: For tests of dialogues where the limits would only add waiting.
NO_LIMITS = Limits(1000, 0.001, 1000, 0.001, 1000, 0.001, 0.0)


class _Window:
    __slots__ = ("count", "period", "times")

    def __init__(self, count: int, period: float) -> None:
        self.count = count
        self.period = period
        self.times: deque[float] = deque()

    def pending(self, now: float) -> deque[float]:
        """The send times still inside the window."""
        while self.times and self.times[0] <= now - self.period:
            self.times.popleft()
        return self.times

    def wait(self, now: float) -> float:
        """Seconds until one more event fits (0 when it fits now)."""
        self.pending(now)
        if len(self.times) + 1 <= self.count:
            return 0.0
        return self.times[len(self.times) - self.count] + self.period - now

    def book(self, now: float, cost: int) -> None:
        self.times.extend([now] * cost)


class RateLimiter:
    """Per-chat, per-group and global sliding windows.

    ``now`` and ``sleep`` are injected so tests run without real waiting.  Checking and
    booking happen without an ``await`` in between, so concurrent senders cannot overbook.
    """

    def __init__(
        self,
        limits: Limits = TELEGRAM_LIMITS,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        is_group: Callable[[str], bool] = lambda chat: False,
    ) -> None:
        self.limits = limits
        self.is_group = is_group
        self.now = now
        self.sleep = sleep
        self._global = _Window(limits.global_count, limits.global_period + limits.slack)
        self._chats: dict[str, _Window] = {}
        self.waited = 0.0

    def _chat_window(self, chat: str) -> _Window:
        window = self._chats.get(chat)
        if window is None:
            lim = self.limits
            window = (
                _Window(lim.group_count, lim.group_period + lim.slack)
                if self.is_group(chat)
                else _Window(lim.private_count, lim.private_period + lim.slack)
            )
            self._chats[chat] = window
        return window

    def delay(self, chat: str) -> float:
        """How long a send to ``chat`` would have to wait now."""
        now = self.now()
        return max(self._chat_window(chat).wait(now), self._global.wait(now))

    def room(self) -> int:
        """How many more messages the overall limit takes now."""
        return max(0, self._global.count - len(self._global.pending(self.now())))

    async def acquire(self, chat: str, cost: int = 1) -> None:
        """Wait until ``cost`` messages to ``chat`` are allowed, then book them.

        An album counts as one send per photo; a cost larger than a window is booked
        once the window is empty (the server would accept it as a short burst).
        """
        chat_window = self._chat_window(chat)
        while True:
            now = self.now()
            wait = max(chat_window.wait(now), self._global.wait(now))
            if wait <= 0:
                chat_window.book(now, cost)
                self._global.book(now, cost)
                self._forget(now)
                return
            self.waited += wait
            await self.sleep(wait)

    def _forget(self, now: float) -> None:
        """Drop idle per-chat windows now and then so memory stays bounded."""
        if len(self._chats) < 10_000:
            return
        for chat in [c for c, w in self._chats.items() if not w.times or w.times[-1] < now - 60]:
            del self._chats[chat]
