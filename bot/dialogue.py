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
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.conversations import dispatcher, resident, technician
from bot.conversations.turn import Services, Turn
from bot.notices import coalesce, queue_message
from core.channel import EventKind, InboundEvent, OutboundMessage, answered_in_turn
from core.model import Role
from core.storage.tables import Conversation, GroupBinding, Identity, Invite, Person

log = logging.getLogger(__name__)

# The lookups of every turn, built once (building a statement costs more than running it).
_GROUP = select(GroupBinding).where(
    GroupBinding.channel == bindparam("channel"), GroupBinding.chat == bindparam("chat")
)
_IDENTITY = select(Identity).where(
    Identity.channel == bindparam("channel"), Identity.external_id == bindparam("user")
)
_CONVERSATION = select(Conversation).where(
    Conversation.channel == bindparam("channel"),
    Conversation.chat == bindparam("chat"),
    Conversation.user_ref == bindparam("user"),
)


async def handle_event(
    session: AsyncSession, services: Services, event: InboundEvent, now: datetime
) -> None:
    # A press is answered by the turn, with its refusal (if any) as the text; changes
    # are made after the look-ups (each would otherwise be flushed before the next query).
    answer = press_answer(services, event)
    group = await session.scalar(_GROUP, {"channel": event.channel, "chat": event.chat})
    private = event.chat == event.user
    identity = await session.scalar(_IDENTITY, {"channel": event.channel, "user": event.user})
    if identity is None and not private:
        # A stranger in a group chat: writing never makes anyone staff or a resident.
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
    if identity is None:
        person = Person(
            name=event.user_name[:200],
            role=Role.RESIDENT.value,
            language=event_language(event),
            created_at=now,
        )
        session.add(person)
        await session.flush()
        identity = Identity(
            person_id=person.id,
            channel=event.channel,
            external_id=event.user,
            chat=event.chat,
            display_name=event.user_name[:200],
            last_seen_at=now,
        )
        session.add(identity)
        await session.flush()
    # Look everything up before changing anything: each change would otherwise be
    # flushed on its own before the next query.
    known = await session.get(Person, identity.person_id)
    assert known is not None
    person = known
    conversation = await session.scalar(
        _CONVERSATION, {"channel": event.channel, "chat": event.chat, "user": event.user}
    )
    if identity.unreachable and private:
        identity.unreachable = False  # before the turn: its notices may go to this chat
    state: dict[str, Any] = copy.deepcopy(conversation.state or {}) if conversation else {}
    turn = Turn(session, now, event, identity, person, state, services)

    start_payload = _start_payload(event)
    if start_payload.startswith("inv-"):
        await _redeem(turn, start_payload[4:], private)
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


async def _redeem(turn: Turn, token: str, private: bool) -> None:
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
            session.add(
                GroupBinding(
                    channel=turn.event.channel,
                    chat=turn.event.chat,
                    purpose="dispatch",
                    created_at=turn.now,
                )
            )
        else:
            binding.chat = turn.event.chat
        invite.used_at = turn.now
        turn.say("invite_ok_group")
        return
    turn.say("invite_bad")
