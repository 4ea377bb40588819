"""What the console hands out: export rows, Excel workbooks, QR codes for a building."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import date, tzinfo
from pathlib import Path
from typing import Any

import segno
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.admin import escape_cell
from bot.console import queries
from bot.console.words import ct
from bot.views import format_location, format_time
from core.model import Location, LocationKind
from core.storage.tables import Building

STATIC = Path(__file__).resolve().parent / "static"

EXPORT_COLUMNS = (
    "col_number",
    "col_created",
    "col_building",
    "col_location",
    "col_category",
    "col_urgency",
    "col_status",
    "col_assignee",
    "col_deadline",
    "col_closed",
    "col_rating",
    "col_description",
    "col_history",
)
REPORT_COLUMNS = (
    "r_building",
    "r_opened",
    "r_closed",
    "r_emergency",
    "r_within",
    "r_accept_median",
    "r_finish_median",
    "r_norm_median",
    "r_rating",
    "r_rated",
)


def _words(lang: str, keys: Sequence[str]) -> list[str]:
    return [ct(lang, k) for k in keys]


def export_header(lang: str) -> list[str]:
    return _words(lang, EXPORT_COLUMNS)


async def export_lines(
    session: AsyncSession,
    since: date,
    until: date,
    buildings: Sequence[int] | None,
    lang: str,
    tz: tzinfo,
    *,
    for_staff: bool,
) -> AsyncIterator[list[object]]:
    """One line per request filed in the period, its history in the last column.

    Without ``for_staff`` (the customer's observer) the lines carry the work but not what
    residents and staff wrote: no description and no comments, as on the request page.
    """
    async for request, address, assignee, history in queries.export_rows(
        session, since, until, buildings, tz
    ):
        events = "\n".join(
            f"{format_time(lang, e.created_at, tz)} {e.action}"
            + (f" {e.from_status}->{e.to_status}" if e.to_status else "")
            + (f": {e.comment}" if e.comment and for_staff else "")
            for e in history
        )
        yield [
            request.number,
            format_time(lang, request.created_at, tz),
            address,
            format_location(lang, request.location),
            texts.category(lang, request.category),
            texts.urgency(lang, request.urgency),
            texts.status(lang, request.status),
            assignee,
            format_time(lang, request.deadline, tz) if request.deadline else "",
            format_time(lang, request.closed_at, tz) if request.closed_at else "",
            request.rating if request.rating is not None else "",
            request.description if for_staff else "",
            events,
        ]


def _new_book() -> Any:
    # openpyxl takes longer to import than the rest of the console: only a download
    # pays for it, never the service's start.
    from openpyxl import Workbook

    return Workbook(write_only=True)


def _saved(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def export_workbook(
    session: AsyncSession,
    since: date,
    until: date,
    buildings: Sequence[int] | None,
    lang: str,
    tz: tzinfo,
    *,
    for_staff: bool,
) -> bytes:
    book = _new_book()
    sheet = book.create_sheet(f"{since}..{until}")
    sheet.append(export_header(lang))
    async for line in export_lines(session, since, until, buildings, lang, tz, for_staff=for_staff):
        sheet.append([escape_cell(v) for v in line])
    return _saved(book)


def report_workbook(
    lines: list[queries.ReportLine], total: queries.ReportLine, month: str, lang: str
) -> bytes:
    book = _new_book()
    sheet = book.create_sheet(month)
    sheet.append(_words(lang, REPORT_COLUMNS))
    for line in [*lines, total]:
        sheet.append([escape_cell(v) for v in report_cells(line, lang)])
    return _saved(book)


def report_cells(line: queries.ReportLine, lang: str) -> list[object]:
    median = queries.ReportLine.median
    return [
        line.building or ct(lang, "r_total"),
        line.opened,
        line.closed,
        line.emergencies,
        line.within_share,
        median(line.accept_hours),
        median(line.finish_hours),
        median(line.norm_hours),
        line.rating,
        len(line.ratings),
    ]


# -- QR sheets -------------------------------------------------------------------

#: What the resident dialogue reads from a deep link: "b-<code>[-<kind><number>]".
_CODE = re.compile(r"[A-Za-z0-9_]{1,32}")
_COMMON = (
    LocationKind.ELEVATOR,
    LocationKind.BASEMENT,
    LocationKind.ATTIC,
    LocationKind.ROOF,
    LocationKind.YARD,
)


def payload_ready(code: str) -> bool:
    return _CODE.fullmatch(code) is not None


def start_payload(code: str, place: Location) -> str:
    return f"b-{code}-{place.kind.value}{place.number if place.number is not None else ''}"


def qr_places(building: Building, flats: bool) -> list[tuple[Location, str]]:
    """Every entrance, the common areas and, when asked, every flat, with its payload."""
    places = [Location(LocationKind.ENTRANCE, n) for n in range(1, building.entrances + 1)]
    places += [Location(kind) for kind in _COMMON]
    if flats:
        places += [Location(LocationKind.APARTMENT, n) for n in range(1, building.apartments + 1)]
    return [(p, start_payload(building.code, p)) for p in places]


def qr_codes(links: dict[str, Callable[[str], str]], payload: str) -> list[dict[str, str]]:
    """One QR per channel that can tell a start link: the channel, the link, the SVG."""
    codes = []
    for channel, start_link in links.items():
        link = start_link(payload)
        if link:
            svg = segno.make(link, error="m").svg_inline(scale=3, border=2)
            codes.append({"channel": channel, "link": link, "svg": svg})
    return codes
