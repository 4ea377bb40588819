"""Messaging windows: where a message may go when its channel allows free-form
messages only within some hours of the person's last message.

Decided here, once, for every channel that declares ``window_hours``: inside the
window the message goes as addressed; outside it, through the channel's own fallback
(``send_outside_window``, a template) if it has one, else to the person's other
identity that can take it now (a channel without a window, or within its window; the
messenger they chose for notices first), else nowhere, which the outbox records as a
failure staff see.  ``WINDOW_FALLBACK=linked`` tries the other identity before the
channel's fallback.  A group chat is no person and has no window.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.channel import Channel
from core.linking import notice_order
from core.storage.tables import GroupBinding, Identity, Person


@dataclass(frozen=True, slots=True)
class Route:
    """Where a message goes: ``channel``/``chat`` as addressed or rerouted;
    ``fallback``: through the channel's ``send_outside_window``; ``closed_hours``: set
    when it can go nowhere (the addressed channel's window, in hours)."""

    channel: str
    chat: str
    fallback: bool = False
    closed_hours: int | None = None


def _within(last_seen: datetime, now: datetime, hours: int | None) -> bool:
    return hours is None or now - last_seen <= timedelta(hours=hours)


async def route(
    session: AsyncSession,
    channels: Mapping[str, Channel],
    channel_name: str,
    chat: str,
    now: datetime,
    *,
    linked_first: bool = False,
) -> Route:
    """Where a message addressed to ``chat`` of ``channel_name`` goes now."""
    addressed = Route(channel_name, chat)
    hours = channels[channel_name].capabilities.window_hours
    if hours is None:
        return addressed
    group = await session.scalar(
        select(GroupBinding.id).where(
            GroupBinding.channel == channel_name, GroupBinding.chat == chat
        )
    )
    if group is not None:
        return addressed
    mine = list(
        await session.scalars(
            select(Identity).where(Identity.channel == channel_name, Identity.chat == chat)
        )
    )
    if not mine or any(_within(i.last_seen_at, now, hours) for i in mine):
        return addressed  # nobody known here to wait for, or they wrote lately
    fallback = callable(getattr(channels[channel_name], "send_outside_window", None))
    if fallback and not linked_first:
        return Route(channel_name, chat, fallback=True)
    other = await _other_identity(session, channels, channel_name, mine, now)
    if other is not None:
        return other
    if fallback:
        return Route(channel_name, chat, fallback=True)
    return Route(channel_name, chat, closed_hours=hours)


async def _other_identity(
    session: AsyncSession,
    channels: Mapping[str, Channel],
    channel_name: str,
    mine: list[Identity],
    now: datetime,
) -> Route | None:
    """The person's identity on another channel that can take a message now, the
    messenger they chose for notices first (see :func:`core.linking.notice_order`)."""
    people = {i.person_id for i in mine}
    others = await session.scalars(
        select(Identity).where(Identity.person_id.in_(people), Identity.channel != channel_name)
    )
    chosen = await session.scalar(select(Person.notify_channel).where(Person.id.in_(people)))
    for other in notice_order(list(others), chosen or ""):
        target = channels.get(other.channel)
        if target is not None and _within(
            other.last_seen_at, now, target.capabilities.window_hours
        ):
            return Route(other.channel, other.chat)
    return None
