"""The dispatchers' help lists every command their group accepts, and every command it
lists answers in the group (none is met with «не знаю такой команды»)."""

from __future__ import annotations

import re

import pytest

from bot import texts
from bot.conversations.common import _COMMANDS
from bot.conversations.monitor import COMMANDS as MONITOR_COMMANDS
from tests.support.harness import Harness
from tests.test_sweeps import GROUP

#: The messenger's own greeting command: it answers with this help, which need not name it.
NOT_LISTED = {"/start"}
UNKNOWN = texts.t("ru", "unknown_command")


def listed(lang: str) -> set[str]:
    return set(re.findall(r"/[a-z_]+", texts.t(lang, "dispatch_help")))


async def answers_in_the_group(h: Harness, command: str) -> bool:
    """Whether the group gets an answer to ``command`` other than «unknown command»."""
    replies = [m.text for m in await h.say("disp-1", command, chat=GROUP)]
    await h.skip(GROUP)
    return bool(replies) and UNKNOWN not in replies


async def test_every_listed_command_works(harness: Harness) -> None:
    h = harness
    assert listed("ru") == listed("en")
    for command in sorted(listed("ru")):
        assert await answers_in_the_group(h, command), command


async def test_every_group_command_is_listed(harness: Harness) -> None:
    h = harness
    known = {word for words in _COMMANDS.values() for word in words if word.startswith("/")}
    candidates = known | set(MONITOR_COMMANDS) | {"/status", "/show"}
    accepted = {c for c in sorted(candidates) if await answers_in_the_group(h, c)}
    assert "/outage" in accepted
    missing = accepted - NOT_LISTED - listed("ru")
    assert not missing, f"the group accepts {sorted(missing)} but the help does not list them"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_help_names_the_outage_command(lang: str) -> None:
    assert "/outage" in listed(lang)
