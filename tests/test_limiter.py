"""The send limiter, on an injected clock: waits exactly as long as Telegram's limits need."""

from __future__ import annotations

import asyncio

from adapters.limiter import Limits, RateLimiter
from adapters.telegram.channel import is_group


class Clock:
    def __init__(self) -> None:
        self.t = 0.0
        self.sends: list[tuple[float, str]] = []

    def __call__(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.t += seconds


def limiter(clock: Clock, limits: Limits | None = None) -> RateLimiter:
    return RateLimiter(limits or Limits(slack=0.0), now=clock, sleep=clock.sleep, is_group=is_group)


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
    assert times == [60.0 * (i // 20) for i in range(45)]
    assert max_in_window(times, 60.0) == 20


async def test_thirty_per_second_overall() -> None:
    clock = Clock()
    lim = limiter(clock)
    for i in range(200):
        await send(lim, clock, str(10_000 + i))
    times = [t for t, _ in clock.sends]
    # Thirty each second, and the next thirty as soon as the window moves on.
    assert times == [float(i // 30) for i in range(200)]
    assert max_in_window(times, 1.0) == 30


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


class VirtualTime:
    """An event loop's worth of sleepers on a fake clock: time jumps to the next wake-up
    once every sender is asleep, so concurrent senders interleave as they would for real."""

    def __init__(self) -> None:
        self.t = 0.0
        self.sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def __call__(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.sleepers.append((self.t + seconds, woken))
        await woken

    async def run(self, tasks: list[asyncio.Task[None]]) -> None:
        while not all(task.done() for task in tasks):
            for _ in range(1000):
                alive = sum(not task.done() for task in tasks)
                if alive == 0 or len(self.sleepers) == alive:
                    break
                await asyncio.sleep(0)
            else:
                raise AssertionError("a sender neither finished nor slept on the clock")
            if not self.sleepers:
                continue
            self.t = min(at for at, _ in self.sleepers)
            due = [f for at, f in self.sleepers if at <= self.t]
            self.sleepers = [(at, f) for at, f in self.sleepers if at > self.t]
            for woken in due:
                woken.set_result(None)
        for task in tasks:
            task.result()


async def test_concurrent_senders_never_overbook() -> None:
    clock = VirtualTime()
    lim = RateLimiter(
        Limits(global_count=5, global_period=0.2, slack=0.0), now=clock, sleep=clock.sleep
    )
    booked: list[float] = []

    async def one(i: int) -> None:
        await lim.acquire(str(5000 + i))
        booked.append(clock.t)

    await clock.run([asyncio.create_task(one(i)) for i in range(15)])
    # All 15 ask at once: five now, five when the window has room, five after that.
    assert booked == [0.0] * 5 + [0.2] * 5 + [0.4] * 5
    assert lim.waited > 0


async def test_slack_keeps_a_margin_for_network_jitter() -> None:
    clock = Clock()
    lim = RateLimiter(Limits(), now=clock, sleep=clock.sleep)
    await send(lim, clock, "1001")
    await send(lim, clock, "1001")
    assert clock.sends[1][0] == 1.015
