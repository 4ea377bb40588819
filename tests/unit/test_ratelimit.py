"""The web chat's token buckets: bursts, refill, waits, and bounded memory."""

from __future__ import annotations

from adapters.web.ratelimit import RateLimit, retry_after


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_per_refill() -> None:
    ticks = Ticks()
    limit = RateLimit(30, clock=ticks)
    assert [limit.take("u") for _ in range(30)] == [0.0] * 30
    assert limit.take("u") == 2.0  # 30 a minute: one every 2 s
    ticks.now += 1.0
    assert limit.take("u") == 1.0  # refused calls take nothing
    ticks.now += 1.0
    assert limit.take("u") == 0.0
    assert limit.take("other") == 0.0


def test_a_long_pause_refills_no_more_than_the_burst() -> None:
    ticks = Ticks()
    limit = RateLimit(3, clock=ticks)
    for _ in range(3):
        limit.take("u")
    ticks.now += 3600
    assert [limit.take("u") for _ in range(4)][-1] > 0


def test_a_clock_going_back_takes_no_tokens_away() -> None:
    ticks = Ticks()
    limit = RateLimit(60, clock=ticks)
    ticks.now = 100.0
    limit.take("u")
    ticks.now = 50.0
    assert limit.take("u") == 0.0


def test_memory_is_bounded_least_recent_dropped() -> None:
    ticks = Ticks()
    limit = RateLimit(1, max_keys=100, clock=ticks)
    assert limit.take("kept") == 0.0
    for i in range(1000):
        limit.take(f"k{i}")
        if i % 10 == 0:
            assert limit.take("kept") > 0  # used recently: stays, still empty
    assert len(limit) == 100


def test_retry_after_is_whole_seconds_at_least_one() -> None:
    assert [retry_after(w) for w in (0.01, 1.0, 1.2, 11.9)] == ["1", "1", "2", "12"]
