"""Pull what a resident already said out of free text: building, place, phone, date.

Buildings are matched fuzzily (rapidfuzz) on their street and house number, so
"ленина 5", "ул. Ленина, д.5" and "Ленина д 5 кв 12" all find the same house.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from rapidfuzz import fuzz

from core.model import Location, LocationKind

_WORD = re.compile(r"[0-9a-zа-я]+(?:/[0-9a-zа-я]+)?")
_STOP = frozenset(
    {
        *("ул", "улица", "д", "дом", "пр", "проспект", "пер", "переулок", "пр-т", "корп"),
        *("корпус", "к", "стр", "строение", "бульвар", "б-р", "шоссе", "ш", "пл", "площадь"),
        *("г", "город", "мкр", "на", "по", "в", "у", "st", "street", "house", "ave", "avenue"),
        *("ul", "ulitsa", "pr", "prospekt", "korp", "k", "d", "dom"),
    }
)


def normalize(text: str) -> str:
    return text.lower().replace("ё", "е")


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


@dataclass(frozen=True, slots=True)
class AddressKey:
    building_id: int
    street: tuple[str, ...]
    house: str


_LATIN_LETTERS = (
    *("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p"),
    *("r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"),
)
_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _LATIN_LETTERS, strict=True))


def transliterate(text: str) -> str:
    """Russian to Latin letters, the way residents type addresses on a Latin keyboard."""
    return "".join(_LATIN.get(ch, ch) for ch in normalize(text))


def address_keys(building_id: int, address: str, aliases: str) -> list[AddressKey]:
    """Street words + house number for the address and each alias ("Ленина 5; ..."),
    also in Latin letters ("Lenina 5")."""
    keys = []
    variants = [address, *aliases.split(";")]
    for variant in variants + [transliterate(v) for v in variants]:
        tokens = [w for w in words(variant) if w not in _STOP]
        numbers = [i for i, w in enumerate(tokens) if w[0].isdigit()]
        if not numbers:
            continue
        first = numbers[0] if numbers[0] > 0 else (numbers[1] if len(numbers) > 1 else 0)
        street = tuple(tokens[:first]) or tuple(tokens[first + 1 :])
        if street:
            keys.append(AddressKey(building_id, street, tokens[first]))
    return list(dict.fromkeys(keys))


def _stems(tokens: tuple[str, ...] | list[str]) -> str:
    """Cut inflection endings crudely: "садовой" and "садовая" meet at "садов"."""
    return " ".join(t[:-2] if len(t) > 4 and not t[0].isdigit() else t for t in tokens)


def _forms(street: tuple[str, ...]) -> tuple[str, str]:
    """A run of words as compared: as written, and cut to stems."""
    return " ".join(street), _stems(street)


#: A building's street, as compared, is the same for every message.
_street_forms = functools.lru_cache(maxsize=8192)(_forms)


def match_buildings(text: str, keys: list[AddressKey]) -> list[tuple[int, float]]:
    """Buildings the text names, best first, as (id, score 0..100).

    A house number must appear right after (or before) words resembling the street.
    """
    tokens = [w for w in words(text) if w not in _STOP]
    scores: dict[int, float] = {}
    windows: dict[tuple[int, int], tuple[str, str]] = {}
    for key in keys:
        n = len(key.street)
        street, street_stems = _street_forms(key.street)
        for i in range(len(tokens) - n + 1):
            if (i, n) not in windows:
                windows[(i, n)] = _forms(tuple(tokens[i : i + n]))
            window, window_stems = windows[(i, n)]
            score = max(fuzz.ratio(window, street), fuzz.ratio(window_stems, street_stems))
            if score < 75:
                continue
            after = tokens[i + n] if i + n < len(tokens) else ""
            before = tokens[i - 1] if i > 0 else ""
            if key.house in (after, before):
                score += 10
            elif after[:1].isdigit() or before[:1].isdigit():
                continue  # another house on the same street
            else:
                score -= 20  # street without a house number: a weak hint
            scores[key.building_id] = max(scores.get(key.building_id, 0.0), score)
    return sorted(scores.items(), key=lambda item: -item[1])


_APARTMENT = re.compile(
    r"(?:\bкв(?:артир[аеуыой]*)?\.?|\bapt\.?|\bapartment|\bflat)\s*(?:№|n|#)?\s*(\d{1,4})\b"
)
_ENTRANCE = re.compile(
    r"(?:(\d{1,2})\s*(?:-?(?:й|ий|ой|ом|м))?\s*(?:подъезд|парадн)\w*)"
    r"|(?:(?:подъезд|парадн)\w*\s*(?:№\s*)?(\d{1,2})\b)|(?:\bentrance\s*(\d{1,2})\b)"
)
_FLOOR = re.compile(
    r"(?:(\d{1,2})\s*(?:-?(?:й|ий|ой|ом|м))?\s*этаж\w*)|(?:этаж\w*\s*(\d{1,2})\b)"
    r"|(?:\bfloor\s*(\d{1,2})\b)|(?:\b(\d{1,2})(?:st|nd|rd|th)\s+floor\b)"
)
_COMMON = [
    (LocationKind.BASEMENT, re.compile(r"подвал|basement|cellar")),
    (LocationKind.ATTIC, re.compile(r"чердак|attic")),
    (LocationKind.ROOF, re.compile(r"\bкрыш|\broof")),
    (LocationKind.PARKING, re.compile(r"парков|паркинг|parking")),
    (LocationKind.YARD, re.compile(r"\bдвор|\byard|детск\w* площадк|playground")),
    (LocationKind.ELEVATOR, re.compile(r"\bлифт|\belevator|\blift\b")),
    (LocationKind.STAIRWELL, re.compile(r"лестниц|площадк|в подъезде|stair|landing|hallway")),
]
_PHONE = re.compile(r"(?:\+7|\b8)[\s\-(]*\d{3}[\s\-)]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}\b")


def _first_group(match: re.Match[str] | None) -> int | None:
    if match is None:
        return None
    for group in match.groups():
        if group:
            return int(group)
    return None


def _numbers(pattern: re.Pattern[str], text: str) -> list[tuple[int, tuple[int, int]]]:
    """Every number the pattern finds, with the span of the digits themselves."""
    found = []
    position = 0
    while (match := pattern.search(text, position)) is not None:
        for index, group in enumerate(match.groups(), start=1):
            if group:
                found.append((int(group), match.span(index)))
                break
        position = match.start() + 1  # overlapping: "2 этаж 5" holds "2 этаж" and "этаж 5"
    return found


def _follows_entrance_word(text: str, start: int) -> bool:
    """Whether the number at ``start`` is written after the word ("подъезд 2")."""
    before = text[:start].rstrip(" №#").split()
    return bool(before) and before[-1].startswith(("подъезд", "парадн", "entrance"))


def find_location(text: str) -> Location | None:
    low = normalize(text)
    apartment = _first_group(_APARTMENT.search(low))
    if apartment:
        return Location(LocationKind.APARTMENT, apartment)
    entrances = _numbers(_ENTRANCE, low)
    floors = _numbers(_FLOOR, low)
    # "подъезд 2 этаж 5": the 2 must not be read as both the entrance and the floor.
    for entrance, entrance_span in entrances:
        for floor, floor_span in floors:
            if entrance_span != floor_span:
                return Location(LocationKind.FLOOR, floor, entrance)
    if entrances:
        # "Ленина 5 подъезд 2": the 5 is the house; "подъезд N" beats "N подъезд".
        after_word = [e for e in entrances if _follows_entrance_word(low, e[1][0])]
        return Location(LocationKind.ENTRANCE, (after_word or entrances)[0][0])
    for kind, pattern in _COMMON:
        if pattern.search(low):
            return Location(kind)
    return None


def find_phone(text: str) -> str:
    match = _PHONE.search(text)
    return normalize_phone(match.group(0)) if match else ""


def normalize_phone(raw: str) -> str:
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    if len(digits) == 10 and digits[0] == "9":
        return "+7" + digits
    if 10 <= len(digits) <= 15 and raw.strip().startswith("+"):
        return "+" + digits
    return ""


def leftover_description(text: str, keys: list[AddressKey]) -> str:
    """The text with the address and place stripped: what is left describes the problem."""
    low = normalize(text)
    for pattern in (_APARTMENT, _ENTRANCE, _FLOOR, _PHONE):
        low = pattern.sub(" ", low)
    streets = {_stems([w]) for key in keys for w in key.street}
    return " ".join(
        w
        for w in words(low)
        if w not in _STOP and not w[0].isdigit() and _stems([w]) not in streets
    )


_DATE = re.compile(
    r"^\s*(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?(?:\s+(?:в\s+|at\s+)?(\d{1,2})[:.](\d{2}))?\s*$"
)


def parse_date(text: str, now: datetime, tz: tzinfo) -> datetime | None:
    """Parse "28.11", "28.11 10:00" or "28.11.2026 10:00" in local time; None if invalid."""
    match = _DATE.match(text)
    if match is None:
        return None
    day, month, year, hour, minute = match.groups()
    local_now = now.astimezone(tz)
    year_value = int(year) if year else local_now.year
    if year_value < 100:
        year_value += 2000
    try:
        hour_value, minute_value = int(hour or 10), int(minute or 0)
        datetime(2000, 1, 1, hour_value, minute_value)
    except ValueError:
        return None
    # Without a year: this year's date, or the next one that exists and is not past
    # ("29.02" in March 2027 means 29.02.2028).
    candidates = [year_value] if year else [year_value, year_value + 1]
    for candidate in candidates:
        try:
            moment = datetime(candidate, int(month), int(day), hour_value, minute_value, tzinfo=tz)
        except ValueError:
            continue
        if year or moment >= local_now - timedelta(days=1):
            return moment
    return None
