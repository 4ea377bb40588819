"""Loading and validating labelled request exports (CSV or TSV)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

CATEGORIES: tuple[str, ...] = (
    "water",
    "sewerage",
    "heating",
    "electricity",
    "elevator",
    "doors_intercom",
    "cleaning",
    "waste",
    "territory",
    "roof_facade",
    "gas",
    "pests",
    "billing",
    "other",
)

MIN_PER_CLASS = 5
_TRUE = {"1", "true", "yes", "y", "да", "t"}
_FALSE = {"0", "false", "no", "n", "нет", "f", ""}


class DatasetError(ValueError):
    """A training or evaluation file cannot be used; the message says why."""


@dataclass(frozen=True)
class Dataset:
    texts: list[str]
    categories: list[str]
    emergency: list[bool] | None
    langs: list[str] | None
    #: Source fragments of each text (space-separated ids), for grouped cross-validation.
    groups: list[str] | None = None


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DatasetError(
            f"{path}: not valid UTF-8 (byte {exc.start}, line {line}); re-export the file as UTF-8"
        ) from None


def load_dataset(path: str | Path, *, require_classes: bool = True) -> Dataset:
    """Read a labelled file with columns ``text``, ``category`` and optional ``emergency``.

    The delimiter is a tab for ``.tsv``/``.tab`` files, otherwise it is sniffed
    from the header line (comma, semicolon or tab).  Raises :class:`DatasetError`
    naming the offending row or column.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DatasetError(f"{path}: is a directory, expected a CSV or TSV file") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read file ({exc.strerror})") from None
    content = _decode(raw, path)
    # Leading "#" lines describe a file (a frozen set's date, its labelling policy).
    lines = content.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and lines[skipped].startswith("#"):
        skipped += 1
    content = "".join(lines[skipped:])
    if not content.strip():
        raise DatasetError(f"{path}: file is empty")

    header_line = content.splitlines()[0]
    if path.suffix.lower() in {".tsv", ".tab"}:
        delimiter = "\t"
    else:
        counts = {d: header_line.count(d) for d in (",", "\t", ";")}
        delimiter = max(counts, key=lambda d: counts[d])
        if counts[delimiter] == 0:
            delimiter = ","

    try:
        reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)
        rows = list(reader)
    except csv.Error as exc:
        raise DatasetError(f"{path}: malformed CSV near line {reader.line_num}: {exc}") from None

    header = [h.strip().lower() for h in rows[0]]
    for required in ("text", "category"):
        if required not in header:
            raise DatasetError(
                f"{path}: missing required column '{required}' "
                f"(found columns: {', '.join(repr(h) for h in header) or 'none'})"
            )
    if len(set(header)) != len(header):
        raise DatasetError(f"{path}: duplicate column names in header: {header}")
    i_text = header.index("text")
    i_cat = header.index("category")
    i_em = header.index("emergency") if "emergency" in header else None
    i_lang = header.index("lang") if "lang" in header else None
    i_group = header.index("group") if "group" in header else None

    texts: list[str] = []
    categories: list[str] = []
    emergency: list[bool] = []
    langs: list[str] = []
    groups: list[str] = []
    allowed = set(CATEGORIES)
    for row_no, row in enumerate(rows[1:], start=2 + skipped):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise DatasetError(
                f"{path}: row {row_no} has {len(row)} fields, the header has {len(header)}"
            )
        text = row[i_text].strip()
        category = row[i_cat].strip().lower()
        if not text:
            raise DatasetError(f"{path}: row {row_no}: empty 'text'")
        if category not in allowed:
            raise DatasetError(
                f"{path}: row {row_no}: unknown category {row[i_cat]!r} in column 'category' "
                f"(allowed: {', '.join(CATEGORIES)})"
            )
        if i_em is not None:
            value = row[i_em].strip().lower()
            if value in _TRUE:
                emergency.append(True)
            elif value in _FALSE:
                emergency.append(False)
            else:
                raise DatasetError(
                    f"{path}: row {row_no}: bad value {row[i_em]!r} in column 'emergency' "
                    "(expected 1/0, true/false, yes/no)"
                )
        texts.append(text)
        categories.append(category)
        if i_lang is not None:
            langs.append(row[i_lang].strip().lower())
        if i_group is not None:
            groups.append(row[i_group].strip() or f"row:{row_no}")

    if not texts:
        raise DatasetError(f"{path}: no data rows after the header")
    if require_classes:
        per_class: dict[str, int] = {}
        for c in categories:
            per_class[c] = per_class.get(c, 0) + 1
        if len(per_class) < 2:
            raise DatasetError(
                f"{path}: column 'category' has only one class ({categories[0]!r}); need at least 2"
            )
        few = sorted(c for c, n in per_class.items() if n < MIN_PER_CLASS)
        if few:
            detail = ", ".join(f"{c} ({per_class[c]})" for c in few)
            raise DatasetError(
                f"{path}: too few examples in column 'category' for: {detail}; "
                f"each class needs at least {MIN_PER_CLASS} (or remove the class entirely)"
            )
        if i_em is not None and emergency and (all(emergency) or not any(emergency)):
            raise DatasetError(
                f"{path}: column 'emergency' has only one value; need both emergency and "
                "non-emergency examples (or drop the column to use hazard rules only)"
            )
    return Dataset(
        texts=texts,
        categories=categories,
        emergency=emergency if i_em is not None else None,
        langs=langs if i_lang is not None else None,
        groups=groups if i_group is not None else None,
    )
