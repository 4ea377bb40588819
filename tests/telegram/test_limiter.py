"""The send limiter, on an injected clock: waits exactly as long as Telegram's limits need."""

from __future__ import annotations

import asyncio

from adapters.telegram.limiter import Limits, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.t = 0.0
        self.sends: list[tuple[float, str]] = []

    def __call__(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds


def limiter(clock: Clock, limits: Limits | None = None) -> RateLimiter:
    return RateLimiter(limits or Limits(slack=0.0), now=clock, sleep=clock.sleep)


async def send(lim: RateLimiter, clock: Clock, chat: str, cost: int = 1) -> None:
    await lim.acquire(chat, cost)
    clock.sends.append((clock.t, chat))


def max_in_window(times: list[float], period: float) -> int:
    return max(sum(1 for u in times if t <= u < t + period - 1e-9) for t in times)


async def test_one_message_per_second_in_a_private_chat() -> None:
    clock = Clock()
    lim = limiter(clock)
    for _ in range(5):
        await send(lim, clock, "1001")
    assert [t for t, _ in clock.sends] == [0.0, 1.0, 2.0, 3.0, 4.0]


async def test_twenty_per_minute_in_a_group() -> None:
    clock = Clock()
    lim = limiter(clock)
    for _ in range(45):
        await send(lim, clock, "-100123")
    times = [t for t, _ in clock.sends]
    assert times[19] == 0.0 and times[20] == 60.0 and times[40] == 120.0
    assert max_in_window(times, 60.0) == 20


async def test_thirty_per_second_overall() -> None:
    clock = Clock()
    lim = limiter(clock)
    for i in range(200):
        await send(lim, clock, str(10_000 + i))
    times = [t for t, _ in clock.sends]
    assert max_in_window(times, 1.0) == 30
    assert times[-1] < 200 / 30  # and no slower than the limit


async def test_other_chats_are_not_held_by_a_busy_one() -> None:
    clock = Clock()
    lim = limiter(clock)
    await send(lim, clock, "1001")
    assert lim.delay("1001") == 1.0
    assert lim.delay("1002") == 0.0


async def test_an_album_counts_as_many_messages() -> None:
    clock = Clock()
    lim = limiter(clock, Limits(global_count=30, slack=0.0))
    await send(lim, clock, "-1", cost=10)
    await send(lim, clock, "-2", cost=10)
    await send(lim, clock, "-3", cost=10)
    await send(lim, clock, "1001")
    assert clock.sends[-1][0] == 1.0


async def test_concurrent_senders_never_overbook() -> None:
    clock = Clock()
    real = RateLimiter(Limits(global_count=5, global_period=0.2, slack=0.0))
    stamps: list[float] = []
    loop = asyncio.get_running_loop()

    async def one(i: int) -> None:
        await real.acquire(str(5000 + i))
        stamps.append(loop.time())

    await asyncio.gather(*(one(i) for i in range(15)))
    assert max_in_window(sorted(stamps), 0.2) <= 5
    assert clock.t == 0.0


async def test_slack_keeps_a_margin_for_network_jitter() -> None:
    clock = Clock()
    lim = RateLimiter(Limits(), now=clock, sleep=clock.sleep)
    await send(lim, clock, "1001")
    await send(lim, clock, "1001")
    assert clock.sends[1][0] == 1.015
