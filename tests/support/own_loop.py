"""A service started in an event loop of the test's own, for property tests: hypothesis
runs its examples synchronously, and one service serves them all."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


class OwnLoop:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._exits = contextlib.AsyncExitStack()

    def run(self, coro: Awaitable[T]) -> T:
        return self.loop.run_until_complete(coro)

    def enter(self, manager: contextlib.AbstractAsyncContextManager[T]) -> T:
        """Enter ``manager`` now; it is left when the test ends."""
        return self.run(self._exits.enter_async_context(manager))

    def on_close(self, callback: Callable[[], Awaitable[Any]]) -> None:
        self._exits.push_async_callback(callback)

    def close(self) -> None:
        try:
            self.run(self._exits.aclose())
        finally:
            self.loop.close()


@contextlib.contextmanager
def own_loop() -> Iterator[OwnLoop]:
    loop = OwnLoop()
    try:
        yield loop
    finally:
        loop.close()
