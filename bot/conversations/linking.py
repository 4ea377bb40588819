"""Linking messengers, in any role's private chat: ``/link`` gives a one-time code,
``/link CODE`` (or a deep link with ``lnk-CODE``) in another messenger links it,
``/unlink`` detaches the messenger it is sent from, ``/channel`` picks where notices go.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy import select

from bot import texts
from bot.buttons import answer
from bot.conversations.common import parse_command
from bot.conversations.state import DialogueState
from bot.conversations.turn import Turn
from bot.views import format_time
from core import linking
from core.channel import EventKind
from core.payloads import Answer, BadPayload, decode
from core.storage.tables import Identity

log = logging.getLogger(__name__)

#: The question step of the notice-channel buttons; its value "-" means "where I wrote last".
CHANNEL_STEP = "nc"
_LAST_USED = "-"
#: "привязать ABCD-2345": the command word with a code, without the slash.
_WORD_AND_CODE = re.compile(r"^(?:привязать|link)\s+(\S.*)$", re.IGNORECASE)
_REFUSALS = {
    linking.Linked.ALREADY: "link_already",
    linking.Linked.BAD_CODE: "link_bad",
    linking.Linked.STAFF_IDENTITY: "link_staff_identity",
    linking.Linked.HAS_REQUESTS: "link_has_requests",
}


async def handle(turn: Turn[Any], start_payload: str) -> bool:
    """Take the turn if it is about linking (True), or leave it to the role's dialogue."""
    event = turn.event
    if start_payload.startswith(linking.PAYLOAD_PREFIX):
        await _redeem(turn, start_payload.removeprefix(linking.PAYLOAD_PREFIX))
        return True
    if event.kind is EventKind.BUTTON:
        return await _button(turn)
    if event.kind is not EventKind.TEXT:
        return False
    worded = _WORD_AND_CODE.match(turn.text)
    if worded and linking.normalize(worded.group(1)) is not None:
        await _redeem(turn, worded.group(1))
        return True
    command = parse_command(turn.text)
    if command is None:
        return False
    if command.name == "link" and command.arg:
        await _redeem(turn, command.arg)
    elif command.name == "link":
        code, expires = await linking.issue_code(turn.session, turn.person, turn.now)
        minutes = int((expires - turn.now).total_seconds() // 60)
        turn.say("link_code", code=linking.shown(code), minutes=minutes)
    elif command.name == "unlink":
        await _unlink(turn)
    elif command.name == "channel":
        await _channels(turn, command.arg)
    else:
        return False
    return True


async def _redeem(turn: Turn[Any], code: str) -> None:
    outcome = await linking.redeem(turn.session, turn.identity, code, turn.now)
    if outcome.result is linking.Linked.LOCKED:
        assert outcome.until is not None
        turn.say("link_locked", time=format_time(turn.lang, outcome.until, turn.services.tz))
    elif outcome.result is linking.Linked.LINKED:
        assert outcome.person is not None
        turn.person = outcome.person
        log.info(
            "identity %s/%s linked to person %s",
            turn.identity.channel,
            turn.identity.id,
            turn.person.id,
        )
        # The linked messenger starts clean: nothing half-asked carries over.
        turn.state = DialogueState()
        turn.say("link_done", name=turn.person.name)
    else:
        turn.say(_REFUSALS[outcome.result])


async def _unlink(turn: Turn[Any]) -> None:
    fresh = await linking.unlink(turn.session, turn.identity, turn.now)
    if fresh is None:
        turn.say("unlink_only")
        return
    log.info(
        "identity %s/%s unlinked as person %s", turn.identity.channel, turn.identity.id, fresh.id
    )
    turn.state = DialogueState()
    turn.say("unlink_done")
    turn.person = fresh


async def _identities(turn: Turn[Any]) -> list[Identity]:
    rows = await turn.session.scalars(
        select(Identity)
        .where(Identity.person_id == turn.person.id)
        .order_by(Identity.last_seen_at.desc(), Identity.id.desc())
    )
    return list(rows)


async def _channels(turn: Turn[Any], arg: str) -> None:
    """List the person's messengers with a button for each; ``/channel NAME`` picks one."""
    identities = await _identities(turn)
    channels = list(dict.fromkeys(i.channel for i in identities))
    if arg:
        _choose(turn, arg.strip().lower(), channels)
        return
    lang = turn.lang
    lines = [
        texts.t(
            lang,
            "channel_line",
            channel=i.channel,
            name=i.display_name or turn.person.name,
            seen=format_time(lang, i.last_seen_at, turn.services.tz),
            unreachable=texts.t(lang, "channel_unreachable") if i.unreachable else "",
        )
        for i in identities
    ]
    current = turn.person.notify_channel or texts.t(lang, "channel_last")
    buttons = [[answer(c, CHANNEL_STEP, c)] for c in channels]
    buttons.append([answer(texts.t(lang, "channel_btn_last"), CHANNEL_STEP, _LAST_USED)])
    turn.say("channel_list", buttons=buttons, current=current, identities="\n".join(lines))


async def _button(turn: Turn[Any]) -> bool:
    try:
        payload = decode(turn.event.payload)
    except BadPayload:
        return False
    if not isinstance(payload, Answer) or payload.step != CHANNEL_STEP:
        return False
    channels = list(dict.fromkeys(i.channel for i in await _identities(turn)))
    _choose(turn, payload.value, channels)
    return True


def _choose(turn: Turn[Any], choice: str, channels: list[str]) -> None:
    person = turn.person
    if choice == _LAST_USED:
        person.notify_channel = ""
        turn.say("channel_set_last")
    elif choice in channels:
        person.notify_channel = choice
        turn.say("channel_set", channel=choice)
    else:
        turn.say("channel_unknown")
