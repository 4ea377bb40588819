"""Choices at delivery and typed replies at intake: the storage side of core.choices.

The outbox worker lays each message out for its channel with :func:`laid_out`, which
remembers the menu it shows as text (or a list, or shortened titles; on channels where
people type their answers, buttons too) for the chat before it is sent;
:func:`recognised` maps the chat's next typed reply back to the option it names, so the
dialogue sees the press of that option's button.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.texts import en, ru
from core.channel import Capabilities, EventKind, FreeText, InboundEvent, OutboundMessage
from core.choices import Menu, Rendered, Wording, recognise, render
from core.storage.tables import ShownMenu

#: A reply may name an option in either language, whichever the person's own.
_ORDINALS = {**ru.ORDINALS, **en.ORDINALS}
_CARDINALS = {**ru.CARDINALS, **en.CARDINALS}


def wording(lang: str) -> Wording:
    module = texts.LANGUAGES.get(lang, ru)
    return Wording(
        numbers_hint=texts.t(lang, "choose_number"),
        letters_hint=texts.t(lang, "choose_letter"),
        letters=module.OPTION_LETTERS,
        type_phone=texts.t(lang, "type_phone"),
        type_location=texts.t(lang, "type_location"),
    )


async def laid_out(
    session: AsyncSession,
    channel: str,
    chat: str,
    message: OutboundMessage,
    capabilities: Capabilities,
    lang: str,
    now: datetime,
) -> Rendered:
    """``message`` as the channel can show it; a menu it shows becomes the chat's menu
    (in ``session``'s transaction, which must commit before the send).  A message
    without options leaves the menu: a card is often followed by a note."""
    rendered = render(message, capabilities, wording(lang))
    if rendered.menu is not None:
        await remember(session, channel, chat, rendered.menu, now)
    return rendered


async def remember(
    session: AsyncSession, channel: str, chat: str, menu: Menu, now: datetime
) -> None:
    """The chat's menu is now ``menu``: the one shown last is the one answered."""
    row = await session.scalar(
        select(ShownMenu).where(ShownMenu.channel == channel, ShownMenu.chat == chat)
    )
    if row is None:
        row = ShownMenu(channel=channel, chat=chat)
        session.add(row)
    row.options = menu.to_json()
    row.free_text = menu.free_text.value
    row.shown_at = now


_PRELOADED = "shown_menus"


async def preload(session: AsyncSession, events: Sequence[InboundEvent]) -> None:
    """Read the menus of these events' chats at once, for :func:`recognised` to use in
    this transaction instead of a query per event: only where nobody else can write
    them before it ends (SQLite, whose one writer holds the lock)."""
    wanted = {(e.channel, e.chat) for e in events if e.kind is EventKind.TEXT}
    if not wanted:
        return
    rows = await session.scalars(
        select(ShownMenu).where(
            ShownMenu.channel.in_({c for c, _ in wanted}),
            ShownMenu.chat.in_({chat for _, chat in wanted}),
        )
    )
    found = {(r.channel, r.chat): r for r in rows}
    session.info[_PRELOADED] = {key: found.get(key) for key in wanted}


async def recognised(session: AsyncSession, event: InboundEvent) -> InboundEvent:
    """The event as the dialogue should see it: a typed reply naming an option of the
    chat's menu becomes the press of that option's button (checked like any press);
    anything else is unchanged.

    A menu answers one reply in a private chat: what is typed next answers the
    question asked next.  In a group, where people also talk among themselves, it
    stays until one of its options is named or another menu is shown, and a title
    must be typed as closely as where typed words are welcome.
    """
    if event.kind is not EventKind.TEXT or event.text.startswith("/"):
        return event
    key = (event.channel, event.chat)
    preloaded: dict[tuple[str, str], ShownMenu | None] = session.info.get(_PRELOADED, {})
    if key in preloaded:
        row = preloaded[key]
    else:
        # Without a flush first: a batch of turns writes its changes in one flush at its end.
        row = await session.scalar(
            select(ShownMenu)
            .where(ShownMenu.channel == event.channel, ShownMenu.chat == event.chat)
            .execution_options(autoflush=False)
        )
    if row is None:
        return event
    menu = Menu.from_json(row.options, row.free_text)
    private = event.chat == event.user
    if not private and menu.free_text is FreeText.NONE:
        menu = replace(menu, free_text=FreeText.TEXT)
    payload = recognise(event.text, menu, _ORDINALS, _CARDINALS)
    if payload is not None or private:
        await session.delete(row)
        preloaded[key] = None  # answered: not again later in the batch
    if payload is None:
        return event
    return replace(event, kind=EventKind.BUTTON, payload=payload, text="")
