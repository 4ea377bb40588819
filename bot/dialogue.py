"""Route one inbound event to the right dialogue, inside one transaction.

Who is writing (identity -> person, created as a resident on first contact),
where (a private chat or the bound dispatchers' group), and their saved dialogue
state are resolved here; the role's dialogue does the rest and its replies are
queued to the outbox with everything else the turn changed.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.conversations import dispatcher, linking, resident, technician
from bot.conversations.turn import Services, Turn
from bot.notices import coalesce, queue_message
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
    """Run the turn of one event; ``lookups`` (from ``look_up``) covers it, or is read now."""
    if lookups is None:
        lookups = await look_up(session, [event], now)
    # A press is answered by the turn, with its refusal (if any) as the text.
    answer = press_answer(services, event)
    group = lookups.group(event.channel, event.chat)
    private = event.chat == event.user
    identity = lookups.identities.get((event.channel, event.user))
    if identity is None:
        # A stranger in a group chat (look_up enrolled whoever writes privately):
        # writing there never makes anyone staff or a resident.
        assert not private, "the look-ups must cover the event"
        if answer is not None:
            refusal = texts.t(event_language(event), "group_not_staff")
            await queue_message(
                session, now, event.channel, event.chat, replace(answer, text=refusal)
            )
        elif event.kind is EventKind.BUTTON:
            await queue_message(
                session, now, event.channel, event.chat, _plain(event, "group_not_staff")
            )
        return
    known = lookups.persons.get(identity.person_id) or await session.get(Person, identity.person_id)
    assert known is not None
    person = known
    key = (event.channel, event.chat, event.user)
    conversation = lookups.conversations.get(key)
    if identity.unreachable and private:
        identity.unreachable = False  # before the turn: its notices may go to this chat
    state: dict[str, Any] = copy.deepcopy(conversation.state or {}) if conversation else {}
    turn = Turn(session, now, event, identity, person, state, services)

    start_payload = _start_payload(event)
    if start_payload.startswith("inv-"):
        await _redeem(turn, start_payload[4:], private, lookups)
    elif private and await linking.handle(turn, start_payload):
        pass  # a messenger linked, unlinked or its notices redirected
    elif group is not None:
        if person.role in (Role.DISPATCHER.value, Role.ADMIN.value):
            await dispatcher.handle(turn, in_group=True)
        elif event.kind is EventKind.BUTTON:
            turn.say("group_not_staff")
    elif not private:
        pass  # an unbound group: only an invite can bind it
    elif person.role == Role.TECHNICIAN.value:
        await technician.handle(turn)
    elif person.role in (Role.DISPATCHER.value, Role.ADMIN.value):
        await dispatcher.handle(turn, in_group=False)
    else:
        await resident.handle(turn)

    identity.last_seen_at = now
    if private:
        identity.chat = event.chat
    if conversation is None:
        conversation = Conversation(channel=event.channel, chat=event.chat, user_ref=event.user)
        session.add(conversation)
        lookups.conversations[key] = conversation
    if conversation.state != state:
        conversation.state = state
        conversation.updated_at = now
    replies = turn.replies
    if answer is not None:
        if turn.refusal is not None:
            # The refusal is the press's toast, not a chat message.
            answer = replace(answer, text=turn.refusal.text)
            replies = [r for r in replies if r is not turn.refusal]
        await queue_message(session, now, event.channel, event.chat, answer)
    for message in coalesce(replies):
        await queue_message(session, now, event.channel, event.chat, message)


def press_answer(services: Services, event: InboundEvent) -> OutboundMessage | None:
    """The answer to a button press that its dialogue turn owes (no text yet), or None
    when the channel answers no presses in turn (the adapter did, if needed)."""
    capabilities = services.capabilities.get(event.channel)
    if capabilities is None or not answered_in_turn(event, capabilities):
        return None
    return OutboundMessage("", answer_to=event.reply_token)


def _plain(event: InboundEvent, key: str) -> OutboundMessage:
    return OutboundMessage(texts.t(event_language(event), key))


def event_language(event: InboundEvent) -> str:
    """The language to answer an event in before the person has chosen one."""
    return "en" if event.language.lower().startswith("en") else texts.DEFAULT


def _start_payload(event: InboundEvent) -> str:
    if event.kind is EventKind.START:
        return event.payload
    if event.kind is EventKind.TEXT and event.text.startswith("/start "):
        return event.text.removeprefix("/start ").strip()
    return ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _redeem(turn: Turn, token: str, private: bool, lookups: Lookups) -> None:
    """One-time invite: bind this messenger identity to a staff member, or this chat as the
    dispatchers' group (only a dispatcher can do that, from inside the group)."""
    session = turn.session
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
        turn.state.clear()
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
