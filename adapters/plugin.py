"""What a channel adapter declares to the app (``adapters/<name>/plugin.py`` defines
``PLUGIN``), and what the app hands it and gets back."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from aiohttp import web
from pydantic_settings import BaseSettings

from core.channel import Channel, OutboundMessage
from core.ports import Deliveries, Directory, Intake, Mailbox, MediaReader

S = TypeVar("S", bound=BaseSettings)

Hook = Callable[[], Awaitable[None]]


class ChannelRefused(Exception):
    """A channel's start check failed in a way a retry will not mend (a refused token).

    The message is one line naming the setting (never its value)."""


@dataclass(frozen=True)
class Ports:
    """What the app hands every channel."""

    intake: Intake
    media: MediaReader
    clock: Callable[[], datetime]
    mailbox: Mailbox
    directory: Directory
    #: The service's public base URL (links a person opens), without a trailing slash.
    public_url: str
    #: Signs links to media for channels whose clients fetch it by URL.
    secret: bytes
    #: The longest text a person may send (MAX_TEXT_CHARS).
    max_text: int
    #: Receipts on sent messages and chats left for good.
    deliveries: Deliveries
    #: The welcome for a person who opened a chat before writing: (their language, the
    #: deep link's payload) -> the message; its button starts the dialogue.
    greeting: Callable[[str, str], OutboundMessage]


@dataclass
class BuiltChannel:
    channel: Channel
    #: Start links for invites and QR codes: ``start_link(payload)``; "" while unknown.
    start_link: Callable[[str], str]
    routes: list[web.AbstractRouteDef] = field(default_factory=list)
    #: Run before anything is changed at start; raise :class:`ChannelRefused`.
    checks: list[Hook] = field(default_factory=list)
    #: Run once the workers run (a poller, a webhook registration) / before they stop.
    on_start: list[Hook] = field(default_factory=list)
    on_stop: list[Hook] = field(default_factory=list)
    #: The channel takes its updates by polling: nobody waits on the inbox's commits.
    polls: bool = False
    #: The largest request body its routes take (aiohttp refuses larger with 413).
    client_max_size: int = 0


@dataclass(frozen=True)
class Conformance:
    """How the conformance suite (tests/conformance) drives a channel through its real
    inbound route with the bodies in ``adapters/<name>/fixtures/``."""

    #: The channel's settings, switched on, its outgoing calls pointed at ``api_base``.
    settings: Callable[[str], BaseSettings]
    #: Where the messenger posts its bodies.
    path: str
    #: A delivery with these headers must be refused (None: the channel has no secret to
    #: check).
    wrong_headers: Mapping[str, str] | None
    #: Headers of a genuine delivery (a secret the messenger sends with every body).
    headers: Mapping[str, str] = field(default_factory=dict)
    #: Headers that make a delivery one the sender may repeat (an idempotency key).
    repeatable: Mapping[str, str] = field(default_factory=dict)
    #: Headers that sign a body, for messengers that sign each body they send; the
    #: headers above replace them (``wrong_headers``: a wrong signature).
    sign: Callable[[bytes], Mapping[str, str]] | None = None
    #: The multipart field photos come in; None: the body names a file the channel
    #: fetches from the messenger.
    photo_field: str | None = None


@dataclass(frozen=True)
class ChannelPlugin(Generic[S]):
    #: The channel name kept with identities, group bindings, inbox and outbox rows.
    name: str
    #: Its settings: a pydantic-settings model with its own environment prefix.
    settings: type[S]
    enabled: Callable[[S], bool]
    build: Callable[[S, Ports], BuiltChannel]
    #: Strangers (real people) can write to it: real data, so a fixed SECRET_KEY is needed.
    #: Every messenger does; only a channel that trusts whoever calls it says otherwise.
    reaches_strangers: bool = True
    conformance: Conformance | None = None

    def build_from(self, settings: BaseSettings, ports: Ports) -> BuiltChannel:
        """:attr:`build` with settings of the type this plugin declares."""
        return self.build(self._own(settings), ports)

    def enabled_by(self, settings: BaseSettings) -> bool:
        return self.enabled(self._own(settings))

    def _own(self, settings: BaseSettings) -> S:
        if not isinstance(settings, self.settings):
            raise TypeError(f"{self.name}: settings must be {self.settings.__name__}")
        return settings


def stop_hook(close: Hook, tasks: list[asyncio.Task[Any]]) -> Hook:
    """The channel's stop: its background tasks (a poller, a webhook registration)
    cancelled and waited for, then ``close``."""

    async def stop() -> None:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        tasks.clear()
        await close()

    return stop


def env_prefix(settings: type[BaseSettings]) -> str:
    """The environment prefix of a channel's settings (``TELEGRAM_``...)."""
    prefix: Any = settings.model_config.get("env_prefix", "")
    return str(prefix)
