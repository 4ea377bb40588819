"""The console's settings sheets (admin only): buildings, staff, the responsibility
matrix, shifts, absences and the escalation ladder.

Each sheet is shown as a table, edited one row at a time, exported as CSV in the columns
its import reads, and imported from an uploaded CSV.  Every change goes through the
import of :mod:`bot.admin`, the command line's own, so a console edit or upload is
checked exactly as ``python -m bot admin import-...`` checks a file, and a bad file
changes nothing.  An edit is a one-row file for imports that add or update, and the
stored sheet with that row changed for imports that replace what is stored.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from aiohttp import web

from bot import admin, texts
from bot.console import auth
from bot.console.words import ct
from core.storage.database import Database
from core.text_safety import without_controls

if TYPE_CHECKING:
    from bot.console.web import Console

log = logging.getLogger(__name__)

#: The largest CSV file taken (the service's body limit refuses larger bodies earlier
#: when it is set lower).
MAX_UPLOAD = 1024**2

Load = Callable[[Database, admin.Upload, datetime, date], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class Sheet:
    slug: str
    columns: Callable[[], tuple[str, ...]]
    rows: Callable[[Database], Awaitable[admin.Sheet]]
    load: Load
    #: The ``texts.count`` key that names what ``load`` counted.
    count_key: str
    #: The columns that name one row: an edit replaces the stored row they name.
    key: tuple[str, ...]
    #: What an edit sends to ``load``: "row" alone (an import that adds or updates),
    #: "all" the whole sheet with the row changed (an import that replaces the sheet),
    #: "technician" that technician's rows with the row changed (shifts).
    scope: str
    #: Deletes one stored row, for a sheet whose import only adds (absences).
    remove: Callable[[Database, dict[str, str]], Awaitable[int]] | None = None
    #: Deletes what an import given the rows of ``scope`` would replace, for the removal
    #: of the last of them (an import needs at least one row).
    clear: Callable[[Database, dict[str, str]], Awaitable[None]] | None = None

    @property
    def removable(self) -> bool:
        return self.scope != "row" or self.remove is not None


SHEETS = {
    sheet.slug: sheet
    for sheet in (
        Sheet(
            "buildings",
            lambda: admin.BUILDING_COLUMNS,
            admin.building_rows,
            lambda db, upload, now, today: admin.import_buildings(db, upload),
            "n_buildings",
            ("code",),
            "row",
        ),
        Sheet(
            "staff",
            admin.staff_columns,
            admin.staff_rows,
            lambda db, upload, now, today: admin.import_staff(db, upload, now),
            "n_staff",
            ("code",),
            "row",
        ),
        Sheet(
            "matrix",
            lambda: admin.MATRIX_COLUMNS,
            admin.matrix_rows,
            lambda db, upload, now, today: admin.import_matrix(db, upload),
            "n_matrix_entries",
            ("building", "category"),
            "all",
            clear=lambda db, row: admin.clear_matrix(db),
        ),
        Sheet(
            "shifts",
            lambda: admin.SHIFT_COLUMNS,
            admin.shift_rows,
            lambda db, upload, now, today: admin.import_shifts(db, upload, today),
            "n_shifts",
            admin.SHIFT_COLUMNS,
            "technician",
            clear=lambda db, row: admin.clear_shifts(db, row["technician"]),
        ),
        Sheet(
            "absences",
            lambda: admin.ABSENCE_COLUMNS,
            admin.absence_rows,
            lambda db, upload, now, today: admin.import_absences(db, upload, today),
            "n_absences",
            ("technician", "from", "to"),
            "row",
            lambda db, row: admin.remove_absence(db, row["technician"], row["from"], row["to"]),
        ),
        Sheet(
            "ladder",
            lambda: admin.LADDER_COLUMNS,
            admin.ladder_rows,
            lambda db, upload, now, today: admin.import_ladder(db, upload),
            "n_ladder_steps",
            ("scope", "after_minutes"),
            "all",
            clear=lambda db, row: admin.clear_ladder(db),
        ),
    )
}


def csv_bytes(columns: tuple[str, ...], rows: admin.Sheet) -> bytes:
    """A sheet as CSV for a spreadsheet: UTF-8 with its mark, formulas escaped."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV as such only with the mark
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([admin.escape_cell(row.get(c, "")) for c in columns])
    return buffer.getvalue().encode()


def register(console: Console, app: web.Application) -> None:
    pages = SettingsPages(console)
    app.router.add_get("/settings/{sheet}", pages.page)
    app.router.add_get("/settings/{sheet}/export.csv", pages.export)
    app.router.add_post("/settings/{sheet}/edit", pages.edit)
    app.router.add_post("/settings/{sheet}/upload", pages.upload)


@dataclass(frozen=True, slots=True)
class SettingsPages:
    console: Console

    def _sheet(self, request: web.Request) -> Sheet | web.Response:
        """The sheet of the path, or the refusal of anyone but an admin (404 for no sheet)."""
        sheet = SHEETS.get(request.match_info["sheet"])
        if sheet is None:
            raise web.HTTPNotFound(text="no such settings page")
        if self.console._visitor(request).role != auth.ADMIN:
            return self.console._message(request, "forbidden", status=403)
        return sheet

    def _today(self) -> date:
        return self.console.clock().astimezone(self.console.services.tz).date()

    async def _render(
        self,
        request: web.Request,
        sheet: Sheet,
        status: int = 200,
        form: dict[str, str] | None = None,
        problems: list[str] | None = None,
        summary: str = "",
    ) -> web.Response:
        rows = await sheet.rows(self.console.db)
        edit = request.query.get("edit", "")
        if form is None and edit.isascii() and edit.isdigit() and int(edit) < len(rows):
            form = rows[int(edit)]
        return self.console.render(
            "settings_sheet.html",
            request,
            status,
            sheet=sheet,
            columns=sheet.columns(),
            rows=rows,
            form=form or {},
            problems=problems or [],
            summary=summary,
            removable=sheet.removable,
        )

    async def page(self, request: web.Request) -> web.Response:
        sheet = self._sheet(request)
        if isinstance(sheet, web.Response):
            return sheet
        summary = ""
        lang = self.console.lang(request)
        for key in ("saved", "removed"):
            raw = request.query.get(key, "")
            if raw.isascii() and raw.isdigit() and len(raw) < 9:
                what = texts.count(lang, sheet.count_key, int(raw))
                summary = ct(lang, f"st_{key}", what=what)
        return await self._render(request, sheet, summary=summary)

    async def export(self, request: web.Request) -> web.Response:
        sheet = self._sheet(request)
        if isinstance(sheet, web.Response):
            return sheet
        body = csv_bytes(sheet.columns(), await sheet.rows(self.console.db))
        return web.Response(
            body=body,
            headers={
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{sheet.slug}.csv"',
                "Cache-Control": "no-store",
            },
        )

    async def _save(
        self, request: web.Request, sheet: Sheet, upload: admin.Upload, how: str
    ) -> int | list[admin.Problem]:
        """Import ``upload`` through the sheet's import; the count saved or the problems."""
        try:
            count = await sheet.load(self.console.db, upload, self.console.clock(), self._today())
        except admin.ImportProblem as exc:
            return list(exc.problems)
        self._audit(request, sheet, how, count)
        return count

    def _audit(self, request: web.Request, sheet: Sheet, how: str, count: int) -> None:
        # Who changed which sheet, never what: the rows hold names and phone numbers.
        log.info(
            "settings %s: %s by console account %d (%d rows)",
            sheet.slug,
            how,
            self.console._visitor(request).account_id,
            count,
        )

    async def upload(self, request: web.Request) -> web.Response:
        sheet = self._sheet(request)
        if isinstance(sheet, web.Response):
            return sheet
        lang = self.console.lang(request)
        field = (await request.post()).get("file")
        if not isinstance(field, web.FileField):
            return await self._render(request, sheet, 400, problems=[ct(lang, "st_no_file")])
        data = field.file.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            problem = ct(lang, "st_too_big", mb=MAX_UPLOAD // 1024**2)
            return await self._render(request, sheet, 413, problems=[problem])
        name = without_controls(field.filename or "")[-100:] or "upload.csv"
        saved = await self._save(request, sheet, admin.Upload(name, data), "upload")
        if isinstance(saved, list):
            problems = [p.text(lang, name) for p in saved]
            return await self._render(request, sheet, 400, problems=problems)
        raise web.HTTPFound(f"{request.path.rsplit('/', 1)[0]}?saved={saved}")

    async def edit(self, request: web.Request) -> web.Response:
        sheet = self._sheet(request)
        if isinstance(sheet, web.Response):
            return sheet
        lang = self.console.lang(request)
        form = await request.post()
        columns = sheet.columns()
        row = {c: str(form.get(c, "")).strip() for c in columns}
        opened = {c: str(form.get(f"was_{c}", "")).strip() for c in columns}
        was = opened if any(opened.values()) else None
        remove = form.get("remove") == "1" and sheet.removable and was is not None
        back = request.path.rsplit("/", 1)[0]
        if sheet.remove is not None and was is not None and remove:
            removed = await sheet.remove(self.console.db, was)
            self._audit(request, sheet, "removed row", removed)
            raise web.HTTPFound(f"{back}?removed={removed}")
        rows = await self._edited(sheet, row, was, remove)
        if not rows and sheet.clear is not None and was is not None:
            await sheet.clear(self.console.db, was)
            self._audit(request, sheet, "removed the last row", 1)
            raise web.HTTPFound(f"{back}?removed=1")
        name = ct(lang, "st_form")
        saved = await self._save(
            request,
            sheet,
            admin.Upload(name, csv_bytes(columns, rows)),
            "removed row" if remove else "edited row",
        )
        if isinstance(saved, list):
            problems = [p.message(lang) if p.line else p.text(lang, name) for p in saved]
            return await self._render(request, sheet, 400, form=row, problems=problems)
        moved = was is not None and any(was[k] != row[k] for k in sheet.key)
        if sheet.scope == "row" and sheet.remove is not None and was is not None and moved:
            # Saved under another key (other days): the row it was opened on goes.
            await sheet.remove(self.console.db, was)
        raise web.HTTPFound(f"{back}?saved={saved}")

    async def _edited(
        self, sheet: Sheet, row: dict[str, str], was: dict[str, str] | None, remove: bool
    ) -> admin.Sheet:
        """What the import is given for ``row``, which replaces the stored row ``was`` (the
        one the form was opened on) or else the stored row with the same key."""
        if sheet.scope == "row":
            return [row]
        stored = await sheet.rows(self.console.db)
        if sheet.scope == "technician":
            today = self._today().isoformat()
            technicians = {row["technician"], was["technician"] if was else row["technician"]}
            stored = [
                r
                for r in stored
                if r["technician"] in technicians
                and not ("-" in r["day"] and r["day"] < today)  # dated days gone by
            ]
        replaced = [
            r
            for r in stored
            if (r == was if was is not None else all(r[k] == row[k] for k in sheet.key))
        ]
        kept = [r for r in stored if r not in replaced]
        return kept if remove else [*kept, row]
