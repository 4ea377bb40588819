"""Route one inbound event to the right dialogue, inside one transaction.

Who is writing (identity -> person, created as a resident on first contact),
where (a private chat or the bound dispatchers' group), and their saved dialogue
state are resolved here; the role's dialogue does the rest and its replies are
queued to the outbox with everything else the turn changed.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.conversations import dispatcher, linking, resident, technician
from bot.conversations.dispatcher import DispatcherState
from bot.conversations.resident import ResidentState
from bot.conversations.state import DialogueState
from bot.conversations.technician import TechnicianState
from bot.conversations.turn import Services, Turn
from bot.notices import coalesce, queue_message
from bot.replies import recognised
from core.channel import EventKind, InboundEvent, OutboundMessage, answered_in_turn
from core.model import Role
from core.storage.tables import Conversation, GroupBinding, Identity, Invite, Person

log = logging.getLogger(__name__)

_CONVERSATIONS = select(Conversation).where(
    Conversation.channel == bindparam("channel"),
    Conversation.chat.in_(bindparam("chats", expanding=True)),
)
_IDENTITIES = select(Identity).where(
    Identity.channel == bindparam("channel"),
    Identity.external_id.in_(bindparam("users", expanding=True)),
)
_PERSONS = select(Person).where(Person.id.in_(bindparam("ids", expanding=True)))


@dataclass
class Lookups:
    """Who and where, for a batch of events of one transaction, read before any turn.

    Four queries for the whole batch instead of four per event; and with nothing to
    look up between them, the turns' changes reach the database in one flush, several
    rows to a statement, instead of one flush per turn.  The turns keep it current:
    what they create is added here.  It also holds the rows it read (the session keeps
    unchanged rows only weakly).
    """

    groups: list[GroupBinding]
    identities: dict[tuple[str, str], Identity]
    persons: dict[int, Person]
    conversations: dict[tuple[str, str, str], Conversation]

    def group(self, channel: str, chat: str) -> GroupBinding | None:
        return next((g for g in self.groups if (g.channel, g.chat) == (channel, chat)), None)


async def look_up(session: AsyncSession, events: Sequence[InboundEvent], now: datetime) -> Lookups:
    """Read the bindings, identities, persons and conversations these events concern.

    Only where nobody else can change them before the transaction ends: on SQLite (its
    one writer holds the lock), or for the one event whose chat this worker has claimed.
    """
    wanted = {(e.channel, e.chat, e.user) for e in events}
    lookups = Lookups(list(await session.scalars(select(GroupBinding))), {}, {}, {})
    for channel in {c for c, _, _ in wanted}:
        users = sorted({u for c, _, u in wanted if c == channel})
        chats = sorted({chat for c, chat, _ in wanted if c == channel})
        for identity in await session.scalars(_IDENTITIES, {"channel": channel, "users": users}):
            lookups.identities[(channel, identity.external_id)] = identity
        # By chat (the unique index leads with it); a group's other members are left out.
        rows = await session.scalars(_CONVERSATIONS, {"channel": channel, "chats": chats})
        for conversation in rows:
            key = (channel, conversation.chat, conversation.user_ref)
            if key in wanted:
                lookups.conversations[key] = conversation
    ids = sorted({i.person_id for i in lookups.identities.values()})
    if ids:
        lookups.persons = {p.id: p for p in await session.scalars(_PERSONS, {"ids": ids})}
    await _enrol_newcomers(session, events, lookups, now)
    return lookups


async def _enrol_newcomers(
    session: AsyncSession, events: Sequence[InboundEvent], lookups: Lookups, now: datetime
) -> None:
    """Whoever writes in a private chat for the first time becomes a resident (all of
    the batch's newcomers in one flush).  A stranger in a group chat stays a stranger."""
    newcomers: dict[tuple[str, str], tuple[InboundEvent, Person]] = {}
    for event in events:
        key = (event.channel, event.user)
        if event.chat != event.user or key in lookups.identities or key in newcomers:
            continue
        person = Person(
            name=event.user_name[:200],
            role=Role.RESIDENT.value,
            language=event_language(event),
            created_at=now,
        )
        newcomers[key] = (event, person)
    if not newcomers:
        return
    session.add_all(person for _, person in newcomers.values())
    await session.flush()
    for key, (event, person) in newcomers.items():
        identity = Identity(
            person_id=person.id,
            channel=event.channel,
            external_id=event.user,
            chat=event.chat,
            display_name=event.user_name[:200],
            last_seen_at=now,
        )
        session.add(identity)
        lookups.identities[key] = identity
        lookups.persons[person.id] = person


async def handle_event(
    session: AsyncSession,
    services: Services,
    event: InboundEvent,
    now: datetime,
    lookups: Lookups | None = None,
) -> None:
    """Run the turn of one event; ``lookups`` (from ``look_up``) covers it, or is read now.

    Who writes -> which dialogue -> its turn -> what is remembered -> the replies.
    """
    if lookups is None:
        lookups = await look_up(session, [event], now)
    event = await recognised(session, event)
    # A press is answered by the turn, with its refusal (if any) as the text.
    press = press_answer(services, event)
    writer = await _who_writes(session, event, lookups)
    if writer is None:
        await _answer_stranger(session, now, event, press)
        return
    identity, person = writer
    route = choose_route(event, person, lookups)
    conversation = lookups.conversations.get((event.channel, event.chat, event.user))
    turn = _open_turn(session, services, event, now, identity, person, route, conversation)
    await _take_turn(turn, route, lookups)
    _remember(turn, conversation, lookups)
    await _queue_replies(turn, press)


async def _who_writes(
    session: AsyncSession, event: InboundEvent, lookups: Lookups
) -> tuple[Identity, Person] | None:
    """The sender's messenger identity and the person behind it; None for a stranger."""
    identity = lookups.identities.get((event.channel, event.user))
    if identity is None:
        return None
    person = lookups.persons.get(identity.person_id) or await session.get(
        Person, identity.person_id
    )
    assert person is not None
    return identity, person


async def _answer_stranger(
    session: AsyncSession, now: datetime, event: InboundEvent, press: OutboundMessage | None
) -> None:
    """A stranger in a group chat (look_up enrolled whoever writes privately): writing
    there never makes anyone staff or a resident; only their presses are answered."""
    assert not _private(event), "the look-ups must cover the event"
    refusal = texts.t(event_language(event), "group_not_staff")
    if press is not None:
        await queue_message(session, now, event.channel, event.chat, replace(press, text=refusal))
    elif event.kind is EventKind.BUTTON:
        await queue_message(session, now, event.channel, event.chat, OutboundMessage(refusal))


@dataclass(frozen=True, slots=True)
class Route:
    """A dialogue: the state it keeps between turns and what runs a turn of it."""

    state: type[DialogueState]
    run: Callable[[Turn[Any]], Awaitable[None]]


async def _not_staff(turn: Turn[Any]) -> None:
    """Someone who is not staff in the dispatchers' group: only their presses get a word."""
    if turn.event.kind is EventKind.BUTTON:
        turn.say("group_not_staff")


async def _unbound_group(turn: Turn[Any]) -> None:
    """A group not bound to the service: only an invite can bind it."""


RESIDENT = Route(ResidentState, resident.handle)
TECHNICIAN = Route(TechnicianState, technician.handle)
DISPATCHER = Route(DispatcherState, functools.partial(dispatcher.handle, in_group=False))
DISPATCH_GROUP = Route(DispatcherState, functools.partial(dispatcher.handle, in_group=True))
NOT_STAFF = Route(DialogueState, _not_staff)
UNBOUND_GROUP = Route(DialogueState, _unbound_group)


def choose_route(event: InboundEvent, person: Person, lookups: Lookups) -> Route:
    """The dialogue of this person's role in this chat."""
    staff = person.role in (Role.DISPATCHER.value, Role.ADMIN.value)
    if lookups.group(event.channel, event.chat) is not None:
        return DISPATCH_GROUP if staff else NOT_STAFF
    if not _private(event):
        return UNBOUND_GROUP
    if person.role == Role.TECHNICIAN.value:
        return TECHNICIAN
    return DISPATCHER if staff else RESIDENT


def _open_turn(
    session: AsyncSession,
    services: Services,
    event: InboundEvent,
    now: datetime,
    identity: Identity,
    person: Person,
    route: Route,
    conversation: Conversation | None,
) -> Turn[Any]:
    """The turn, with the dialogue's saved state; one that cannot be read starts afresh,
    and the person is told."""
    if identity.unreachable and _private(event):
        identity.unreachable = False  # before the turn: its notices may go to this chat
    state, whole = route.state.load(conversation.state if conversation else None)
    turn = Turn(session, now, event, identity, person, state, services)
    if not whole:
        assert conversation is not None
        log.warning("conversation %s: unreadable state, started afresh", conversation.id)
        turn.say("state_reset")
    return turn


async def _take_turn(turn: Turn[Any], route: Route, lookups: Lookups) -> None:
    """An invite link is redeemed whoever follows it; anything else is the dialogue's."""
    token = _invite_token(turn.event)
    if token is not None:
        await _redeem(turn, token, lookups)
        return
    if _private(turn.event) and await linking.handle(turn, _start_payload(turn.event)):
        return  # a messenger linked, unlinked or its notices redirected
    await route.run(turn)


def _remember(turn: Turn[Any], conversation: Conversation | None, lookups: Lookups) -> None:
    """Where the person was last seen, and the dialogue's state for their next turn."""
    event, now = turn.event, turn.now
    turn.identity.last_seen_at = now
    if _private(event):
        turn.identity.chat = event.chat
    if conversation is None:
        conversation = Conversation(channel=event.channel, chat=event.chat, user_ref=event.user)
        turn.session.add(conversation)
        lookups.conversations[(event.channel, event.chat, event.user)] = conversation
    saved = turn.state.to_json()
    if conversation.state != saved:
        conversation.state = saved
        conversation.updated_at = now


async def _queue_replies(turn: Turn[Any], press: OutboundMessage | None) -> None:
    """The turn's replies to the outbox; a refused press gets its refusal as its answer."""
    event = turn.event
    replies = turn.replies
    if press is not None:
        if turn.refusal is not None:
            # The refusal is the press's toast, not a chat message.
            press = replace(press, text=turn.refusal.text)
            replies = [r for r in replies if r is not turn.refusal]
        await queue_message(turn.session, turn.now, event.channel, event.chat, press)
    for message in coalesce(replies):
        await queue_message(turn.session, turn.now, event.channel, event.chat, message)


def press_answer(services: Services, event: InboundEvent) -> OutboundMessage | None:
    """The answer to a button press that its dialogue turn owes (no text yet), or None
    when the channel answers no presses in turn (the adapter did, if needed)."""
    capabilities = services.capabilities.get(event.channel)
    if capabilities is None or not answered_in_turn(event, capabilities):
        return None
    return OutboundMessage("", answer_to=event.reply_token)


def _private(event: InboundEvent) -> bool:
    return event.chat == event.user


def event_language(event: InboundEvent) -> str:
    """The language to answer an event in before the person has chosen one."""
    return "en" if event.language.lower().startswith("en") else texts.DEFAULT


def _start_payload(event: InboundEvent) -> str:
    if event.kind is EventKind.START:
        return event.payload
    if event.kind is EventKind.TEXT and event.text.startswith("/start "):
        return event.text.removeprefix("/start ").strip()
    return ""


def _invite_token(event: InboundEvent) -> str | None:
    """The token of a one-time invite link this event follows, if any."""
    payload = _start_payload(event)
    return payload.removeprefix("inv-") if payload.startswith("inv-") else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _redeem(turn: Turn[Any], token: str, lookups: Lookups) -> None:
    """One-time invite: bind this messenger identity to a staff member, or this chat as the
    dispatchers' group (only a dispatcher can do that, from inside the group)."""
    session = turn.session
    private = _private(turn.event)
    invite = await session.scalar(select(Invite).where(Invite.token_hash == token_hash(token)))
    if invite is None or invite.used_at is not None or invite.expires_at <= turn.now:
        turn.say("invite_bad")
        return
    if invite.purpose == "staff" and private and invite.person_id is not None:
        staff = await session.get(Person, invite.person_id)
        if staff is None:
            turn.say("invite_bad")
            return
        turn.identity.person_id = staff.id
        invite.used_at = turn.now
        turn.person = staff
        turn.state = DialogueState()  # the staff role's dialogue starts afresh
        turn.say("invite_ok_staff", name=staff.name, role=texts.t(turn.lang, f"role_{staff.role}"))
        log.info(
            "identity %s/%s bound to staff person %s",
            turn.identity.channel,
            turn.identity.id,
            staff.id,
        )
        return
    if (
        invite.purpose == "group"
        and not private
        and turn.person.role
        in (
            Role.DISPATCHER.value,
            Role.ADMIN.value,
        )
    ):
        binding = await session.scalar(
            select(GroupBinding).where(
                GroupBinding.channel == turn.event.channel, GroupBinding.purpose == "dispatch"
            )
        )
        if binding is None:
            binding = GroupBinding(
                channel=turn.event.channel,
                chat=turn.event.chat,
                purpose="dispatch",
                created_at=turn.now,
            )
            session.add(binding)
            lookups.groups.append(binding)
        else:
            binding.chat = turn.event.chat
        invite.used_at = turn.now
        turn.say("invite_ok_group")
        return
    turn.say("invite_bad")
