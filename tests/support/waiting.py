"""Bounded waiting for tests: a bug that stops progress fails the test, never hangs it."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def wait_until(
    condition: Callable[[], T | Awaitable[T]],
    *,
    timeout: float = 10.0,
    interval: float = 0.01,
    what: str | Callable[[], str] = "the condition",
) -> T:
    """Poll ``condition`` (sync or async) until it returns something truthy; return that.

    Fails with ``what`` (a text, or a callable that describes the state at the time of
    failure) once ``timeout`` seconds have passed, also when an async condition itself
    never returns.
    """

    async def poll() -> T:
        while True:
            value = condition()
            if inspect.isawaitable(value):
                value = await value
            if value:
                return value  # type: ignore[return-value]
            await asyncio.sleep(interval)

    try:
        async with asyncio.timeout(timeout):
            return await poll()
    except TimeoutError:
        described = what() if callable(what) else what
        raise AssertionError(f"waited {timeout:g} s in vain for {described}") from None


async def run_until_idle(
    step: Callable[[], Awaitable[bool]], *, rounds: int = 500, what: str = "the work"
) -> None:
    """Call ``step`` until it reports nothing done; fail after ``rounds`` busy rounds.

    A worker that finds new work on every call (a message that re-queues itself, an
    endless retry) then fails the test with a clear message instead of hanging it.
    """
    for _ in range(rounds):
        if not await step():
            return
    raise AssertionError(f"{what} still busy after {rounds} rounds: something keeps re-queueing")
