"""``/stats [period]`` in the dispatchers' group: the console's analytics charts as one
picture, with the period's key figures in its caption."""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta
from typing import Any

from bot import texts
from bot.console import charts, queries
from bot.console.words import ct
from bot.conversations.turn import Turn

#: The longest period asked for: a year's requests are read in one query.
LONGEST = timedelta(days=366)
_DAYS = re.compile(r"^(\d{1,3})\s*(?:d|д|дн|дней|дня|days?)$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|—|–|-|\s)\s*(\d{4}-\d{2}-\d{2})$")
_WORDS = {
    "today": ("сегодня", "today"),
    "week": ("неделя", "неделю", "week"),
    "month": ("месяц", "month"),
}
#: The bars each chart shows at most, so that the picture stays readable.
TOP = 10


def period(arg: str, today: date) -> tuple[date, date] | None:
    """The first and last day (inclusive) of ``/stats``'s period; None if unusable.

    Empty or "неделя": the last 7 days; "сегодня": today; "месяц": this month so far;
    "7d": the last N days; "2026-11-01..2026-11-30": those days (a year at most)."""
    word = arg.strip().lower()
    if word in ("", *_WORDS["week"]):
        return today - timedelta(days=6), today
    if word in _WORDS["today"]:
        return today, today
    if word in _WORDS["month"]:
        return today.replace(day=1), today
    days = _DAYS.match(word)
    if days:
        count = int(days.group(1))
        return (today - timedelta(days=count - 1), today) if 1 <= count <= 366 else None
    bounds = _RANGE.match(word)
    if bounds is None:
        return None
    try:
        since, until = (date.fromisoformat(bounds.group(i)) for i in (1, 2))
    except ValueError:
        return None
    if until < since or until - since >= LONGEST:
        return None
    return since, until


def _number(value: float | None, lang: str) -> str:
    return texts.t(lang, "stats_none") if value is None else f"{value:g}"


async def command(turn: Turn[Any], arg: str) -> None:
    """Draw the period's charts, keep the picture and send it with its caption."""
    media = turn.services.media
    assert media is not None  # bootstrap hands every dialogue the media library
    tz = turn.services.tz
    today = turn.now.astimezone(tz).date()
    chosen = period(arg, today)
    if chosen is None:
        turn.say("stats_usage")
        return
    since, until = chosen
    lang = turn.lang
    start = queries.local_start(since, tz)
    end = queries.local_start(until + timedelta(days=1), tz)
    figures = await queries.period_report(turn.session, start, end, None)
    load = sorted(await queries.technician_load(turn.session, None), key=lambda pair: -pair[1])[
        :TOP
    ]
    top = figures.categories.most_common(TOP)
    panels: list[charts.Panel] = [
        (
            [texts.category(lang, slug) for slug, _ in top],
            [float(count) for _, count in top],
            ct(lang, "a_problems"),
        ),
        ([name for name, _ in load], [float(count) for _, count in load], ct(lang, "a_load")),
    ]
    png = await asyncio.to_thread(charts.panels_png, panels)
    stored = await media.keep_in(turn.session, png)
    total = figures.total
    share = total.within_share
    caption = texts.t(
        lang,
        "stats_caption",
        since=since.strftime("%d.%m.%Y"),
        until=until.strftime("%d.%m.%Y"),
        opened=total.opened,
        closed=total.closed,
        emergencies=total.emergencies,
        within=texts.t(lang, "stats_none") if share is None else f"{share:g}%",
        finish=_number(queries.ReportLine.median(total.finish_hours), lang),
        rating=_number(total.rating, lang),
    )
    turn.say_text(caption, photos=(stored.sha,))
