"""One turn of a dialogue: the event, who sent it, their saved state, and the replies."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.conversations.state import DialogueState
from bot.notices import deliver_notices
from bot.settings import Settings
from core.channel import Button, Capabilities, InboundEvent, OutboundMessage
from core.classification import TextClassifier
from core.dispatching import AssignConfig, follow_up
from core.duplicates import Lexicon
from core.services import Notice, Outcome, Refused
from core.services import comment as add_comment
from core.sla import SlaPolicy
from core.storage.media_library import MediaLibrary
from core.storage.tables import Identity, Person, Request


@dataclass(slots=True)
class Services:
    """What dialogues need from the runtime (built once by bootstrap)."""

    settings: Settings
    sla: SlaPolicy
    classifier: TextClassifier | None
    #: How descriptions' words compare when offering a neighbour's request.
    words: Lexicon
    #: What each channel can do, by channel name (filled in by bootstrap).
    capabilities: Mapping[str, Capabilities] = field(default_factory=dict)
    #: Where pictures the service draws are kept to be sent (filled in by bootstrap).
    media: MediaLibrary | None = None

    @property
    def tz(self) -> tzinfo:
        return self.settings.tz

    @property
    def assign(self) -> AssignConfig:
        s = self.settings
        return AssignConfig(s.auto_assign, s.tz, s.max_open_jobs, self.sla.calendar)


S = TypeVar("S", bound=DialogueState)


@dataclass(slots=True)
class Turn(Generic[S]):
    """One event's turn in a dialogue whose kept state is an ``S``."""

    session: AsyncSession
    now: datetime
    event: InboundEvent
    identity: Identity
    person: Person
    state: S
    services: Services
    replies: list[OutboundMessage] = field(default_factory=list)
    #: The first reply that says a press changed nothing (stale, not allowed...): where
    #: the channel shows toasts, it becomes the press's answer instead of a message.
    refusal: OutboundMessage | None = None

    @property
    def lang(self) -> str:
        return self.state.lang or self.person.language or texts.DEFAULT

    def say(
        self,
        key: str,
        buttons: Sequence[Sequence[Button]] = (),
        photos: Sequence[str] = (),
        first: bool = False,
        **values: object,
    ) -> None:
        self.say_text(texts.t(self.lang, key, **values), buttons, photos, first)
        if self.refusal is None and texts.is_refusal(key) and not buttons and not photos:
            self.refusal = self.replies[0] if first else self.replies[-1]

    def say_text(
        self,
        text: str,
        buttons: Sequence[Sequence[Button]] = (),
        photos: Sequence[str] = (),
        first: bool = False,
        request_contact: bool = False,
    ) -> None:
        message = OutboundMessage(
            text,
            tuple(tuple(row) for row in buttons if row),
            tuple(photos),
            request_contact=request_contact,
        )
        if first:
            self.replies.insert(0, message)
        else:
            self.replies.append(message)

    def refused(self, exc: Refused, status: str = "") -> None:
        self.say(f"refused_{exc.reason}", status=texts.status(self.lang, status))

    async def perform(self, use_case: Awaitable[Outcome], status: str = "") -> Outcome | None:
        """Run a use case: on refusal say why (None), otherwise queue its notices."""
        try:
            outcome = await use_case
        except Refused as exc:
            self.refused(exc, status)
            return None
        await self.notify(outcome.notices)
        return outcome

    async def comment(self, request: Request) -> bool:
        """The turn's words and photos added to ``request``; False when refused (the
        reason is said)."""
        added = await self.perform(
            add_comment(
                self.session, self.now, self.person, request.id, self.text, self.event.photos
            ),
            request.status,
        )
        return added is not None

    async def notify(self, notices: Iterable[Notice]) -> None:
        """Queue the notices of a use case, after the dispatch follow-ups they trigger
        (automatic assignment of a new or declined job) in the same transaction."""
        notices = await follow_up(self.session, self.now, list(notices), self.services.assign)
        await deliver_notices(self.session, self.now, self.services.tz, notices)

    @property
    def text(self) -> str:
        return self.event.text.strip()
