"""Pull what a resident already said out of free text: building, place, phone, date.

Buildings are matched fuzzily (rapidfuzz) on their street and house number, so
"ленина 5", "ул. Ленина, д.5" and "Ленина д 5 кв 12" all find the same house.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

import dateparser
from rapidfuzz import fuzz

from core.model import Location, LocationKind

_WORD = re.compile(r"[0-9a-zа-я]+(?:/[0-9a-zа-я]+)?")
_STOP = frozenset(
    {
        *("ул", "улица", "д", "дом", "пр", "проспект", "пер", "переулок", "пр-т", "корп"),
        *("корпус", "к", "стр", "строение", "бульвар", "б-р", "шоссе", "ш", "пл", "площадь"),
        *("г", "город", "мкр", "на", "по", "в", "у", "st", "street", "house", "ave", "avenue"),
        *("ul", "ulitsa", "pr", "prospekt", "korp", "k", "d", "dom", "str", "rd", "road"),
        # "дом 5 по улице Ленина": the street word in any case, so the house number stands
        # next to the street's name.
        *("улице", "улицы", "улицу", "улицей", "проспекте", "проспекта", "проспекту"),
        *("переулке", "переулка", "бульваре", "бульвара", "шоссе", "площади"),
    }
)


def normalize(text: str) -> str:
    return text.lower().replace("ё", "е")


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


#: "д5", "к2", "101к2", "д.101": a house word or a building's part glued to its number.
_GLUED = re.compile(r"(?<![0-9a-zа-я])(д|дом|d|к|k|корп|korp|стр|str|лит|lit)\.?(?=\d)")
_GLUED_AFTER = re.compile(r"(\d)(к|k|корп|korp|стр|str|с|s)\.?(?=\d)")
#: "ленина5", "kv12": a street or place word glued to its number.
_WORD_THEN_NUMBER = re.compile(r"([a-zа-я]{2,})(?=\d)")
#: "с 8.00", "с 7 вечера", "с 1 декабря": since a moment, never a building "строение".
_SINCE = re.compile(
    r"(?<![0-9a-zа-я])(?:с|s)\s+(?=\d{1,2}(?:[.:]\d{2}|\s*(?:утра|дня|вечера|ночи|час"
    r"|январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр|числа)))"
)
_PARTS = {
    **dict.fromkeys(("к", "k", "корп", "корпус", "korp", "korpus", "bldg", "block"), "к"),
    **dict.fromkeys(("стр", "строение", "str", "stroenie", "с", "s"), "с"),
    **dict.fromkeys(("лит", "литера", "lit", "litera"), ""),
}


def address_words(text: str) -> list[str]:
    """The words of an address, a house and its parts as one word: "д. 101, корп. 2",
    "101к2" and "101 к 2" are all "101к2"; "5 лит. А" is "5а"; "стр. 1" is "с1"."""
    low = _SINCE.sub(" since ", normalize(text))
    low = _GLUED_AFTER.sub(r"\1 \2 ", _GLUED.sub(r"\1 ", low))
    low = _WORD_THEN_NUMBER.sub(r"\1 ", low)
    tokens = words(low)
    out: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if out and out[-1][0].isdigit() and token in _PARTS and index + 1 < len(tokens):
            part = tokens[index + 1]
            letter = _PARTS[token] == "" and len(part) == 1 and part.isalpha()
            if letter or (_PARTS[token] and part.isdigit()):
                out[-1] += _PARTS[token] + part
                index += 2
                continue
        out.append(token)
        index += 1
    return out


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
        tokens = [w for w in address_words(variant) if w not in _STOP]
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


def _same_house(house: str, written: str) -> bool:
    """ "101/2" is how many residents write "101 корпус 2" (and a "3/1" house is typed
    "3к1" as often)."""
    return house == written or house.replace("/", "к") == written.replace("/", "к")


def match_buildings(text: str, keys: list[AddressKey]) -> list[tuple[int, float]]:
    """Buildings the text names, best first, as (id, score 0..100).

    A house number must appear right after (or before) words resembling the street.
    """
    tokens = [w for w in address_words(text) if w not in _STOP]
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
            if _same_house(key.house, after) or _same_house(key.house, before):
                score += 10
            elif after[:1].isdigit() or before[:1].isdigit():
                continue  # another house on the same street
            else:
                score -= 20  # street without a house number: a weak hint
            scores[key.building_id] = max(scores.get(key.building_id, 0.0), score)
    return sorted(scores.items(), key=lambda item: -item[1])


#: Place words: what the number next to them counts.  "д", "корп", "стр", "лит" take the
#: house's numbers so that "д5 кв12" or "д. 5, подъезд 2" never read the house as a place.
_MARKERS = {
    # Typed in a hurry: "квартра", "падъезд", "подезд".
    "flat": re.compile(r"кв|кв-ра|кварт(?!ал)\w*|apt|apartment|flat|kv|kvartira"),
    "entrance": re.compile(
        r"п[оа]д[ъь]?езд\w*|п-д|под-д|парадн\w*|entrance|podezd|podjezd|podyezd"
    ),
    "floor": re.compile(r"эт|этаж\w*|floor|etazh|etaj|etage"),
    "house": re.compile(
        r"д|дом|дома|house|d|dom|корп|корпус\w*|к|k|korp|korpus|стр|строение|str|лит|литер\w*"
    ),
}
#: "под" is an entrance only as "под. 2" / "под 2" / "2 под." (otherwise it means "under").
_UNDER = frozenset({"под", "pod"})
#: "50 кв м", "кв.м.": square metres, never a flat.
_SQUARE_METRES = re.compile(r"\.?\s*(?:м\b|м2|метр)")
#: Words between a place and its number: "квартира номер 44", "flat no. 5".
_NUMBER_SIGNS = frozenset({"номер", "number", "nr", "no"})
_ORDINAL_STEMS = (
    *(("перв", 1), ("втор", 2), ("трет", 3), ("четверт", 4), ("пят", 5), ("шест", 6)),
    *(("седьм", 7), ("восьм", 8), ("девят", 9), ("десят", 10), ("одиннадцат", 11)),
    *(("двенадцат", 12), ("тринадцат", 13), ("четырнадцат", 14), ("пятнадцат", 15)),
    *(("шестнадцат", 16), ("семнадцат", 17), ("восемнадцат", 18), ("девятнадцат", 19)),
    *(("двадцат", 20), ("тридцат", 30), ("сороков", 40), ("пятидесят", 50)),
    *(("шестидесят", 60), ("семидесят", 70), ("восьмидесят", 80), ("девяност", 90)),
)
#: Numbers in words ("квартира двадцать один", "сто двадцать"), one word a place.
_CARDINALS = dict(
    (
        *(("один", 1), ("одна", 1), ("одну", 1), ("одно", 1), ("два", 2), ("две", 2), ("три", 3)),
        *(("четыре", 4), ("пять", 5), ("шесть", 6), ("семь", 7), ("восемь", 8), ("девять", 9)),
        *(("десять", 10), ("одиннадцать", 11), ("двенадцать", 12), ("тринадцать", 13)),
        *(("четырнадцать", 14), ("пятнадцать", 15), ("шестнадцать", 16), ("семнадцать", 17)),
        *(("восемнадцать", 18), ("девятнадцать", 19), ("двадцать", 20), ("тридцать", 30)),
        *(("сорок", 40), ("пятьдесят", 50), ("шестьдесят", 60), ("семьдесят", 70)),
        *(("восемьдесят", 80), ("девяносто", 90), ("сто", 100), ("двести", 200), ("триста", 300)),
        *(("четыреста", 400), ("пятьсот", 500), ("шестьсот", 600), ("семьсот", 700)),
        *(("восемьсот", 800), ("девятьсот", 900)),
    )
)
_ORDINAL = re.compile(
    "(" + "|".join(stem for stem, _ in _ORDINAL_STEMS) + ")"
    r"(ый|ой|ий|ого|его|ому|ему|ым|им|ом|ем|ая|яя|ую|юю|ое|ее|ые|ие|ых|их|ыми|ими"
    r"|ьего|ьему|ьим|ьем|ья|ьей|ью|ье|ьи|ьих)"
)
_ORDINAL_VALUE = dict(_ORDINAL_STEMS)
_ENGLISH_ORDINALS = dict(
    zip(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"),
        range(1, 10),
        strict=True,
    )
)
#: Tokens: a number with an ordinal ending ("3-й", "2nd"), a word, or a separator that a
#: place and its number are never written across (a comma, a bracket, a dash).
_TOKEN = re.compile(
    r"(?P<number>\d{1,4})(?P<suffix>-?(?:ого|его|ий|ый|ой|ом|ем|ая|го|му|м|й|я|е|х|ю"
    r"|st|nd|rd|th)(?![a-zа-я]))?"
    r"|(?P<word>[a-zа-я]+(?:-[a-zа-я]+)?)"
    r"|(?P<separator>[,;()\n]|\s[—–-]\s)"
)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "number", an element of _MARKERS, "under", "word" or "separator"
    value: int = 0
    ordinal: bool = False  # "3-й", "третьем": an adjective, written before its noun
    spelled: bool = False  # "двадцать", "первой": a number in words, continued by the next


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for match in _TOKEN.finditer(text):
        if match["number"]:
            suffix = bool(match["suffix"])
            out.append(_Token("number", int(match["number"]), suffix))
        elif match["separator"]:
            out.append(_Token("separator"))
        elif match["word"] in _NUMBER_SIGNS:
            continue
        elif match["word"] in _UNDER and text.startswith(".", match.end()):
            out.append(_Token("entrance"))  # "под." is always the abbreviation
        elif match["word"] == "кв" and _SQUARE_METRES.match(text, match.end()):
            out.append(_Token("word"))
        else:
            token = _word_token(match["word"])
            if out and _continues(out[-1], token):
                before = out.pop()
                token = replace(before, value=before.value + token.value, ordinal=token.ordinal)
            out.append(token)
    return out


def _continues(before: _Token, token: _Token) -> bool:
    """Whether a number in words goes on: "сто" "двадцать" "один" is 121."""
    if not (before.spelled and token.spelled) or before.ordinal:
        return False
    step = 10 ** (len(str(before.value)) - len(str(before.value).rstrip("0")))
    return before.value >= 20 and token.value < step


def _word_token(word: str) -> _Token:
    if word in _CARDINALS:
        return _Token("number", _CARDINALS[word], spelled=True)
    ordinal = _ORDINAL.fullmatch(word)
    if ordinal:
        return _Token("number", _ORDINAL_VALUE[ordinal.group(1)], True, spelled=True)
    if word in _ENGLISH_ORDINALS:
        return _Token("number", _ENGLISH_ORDINALS[word], True)
    if word in _UNDER:
        return _Token("under")
    for kind, pattern in _MARKERS.items():
        if pattern.fullmatch(word):
            return _Token(kind)
    return _Token("word")


def _counts_entrance(before: _Token, after: _Token) -> bool:
    """ "под 2", "4 под": "под" next to a plain number, never "под 3-й ступенькой"."""
    if after.kind == "number":
        return not after.ordinal
    return before.kind == "number" and not before.ordinal


def _pairs(tokens: list[_Token]) -> dict[str, int]:
    """Which number each place word counts, as the resident meant it.

    A place word takes the number right before or right after it; every number counts
    one thing.  Of the ways to pair them, the one pairing the most place words wins, then
    the one where an ordinal ("3-й", "третьем") stands before its noun and a plain digit
    after it ("подъезд 2"), as Russian writes them.
    """
    edge = _Token("separator")
    tokens = [
        _Token("entrance") if t.kind == "under" and _counts_entrance(prev, nxt) else t
        for prev, t, nxt in zip([edge, *tokens], tokens, [*tokens[1:], edge], strict=False)
    ]
    markers = [i for i, t in enumerate(tokens) if t.kind in _MARKERS]
    best: tuple[int, int, dict[int, int]] = (0, 0, {})

    def search(index: int, used: frozenset[int], chosen: dict[int, int], fit: int) -> None:
        nonlocal best
        if index == len(markers):
            key = (len(chosen), fit)
            if key > best[:2]:
                best = (*key, dict(chosen))
            return
        search(index + 1, used, chosen, fit)
        at = markers[index]
        for side in (-1, 1):
            position = at + side
            if not 0 <= position < len(tokens) or position in used:
                continue
            token = tokens[position]
            if token.kind != "number":
                continue
            natural = token.ordinal == (side == -1)
            chosen[at] = position
            search(index + 1, used | {position}, chosen, fit + natural)
            del chosen[at]

    if len(markers) <= 8:
        search(0, frozenset(), {}, 0)
    found: dict[str, int] = {}
    for marker, number in sorted(best[2].items()):
        found.setdefault(tokens[marker].kind, tokens[number].value)
    return found


_COMMON = [
    (LocationKind.BASEMENT, re.compile(r"подвал|basement|cellar")),
    (LocationKind.ATTIC, re.compile(r"чердак|attic")),
    (LocationKind.ROOF, re.compile(r"\bкрыш|\bкровл|\broof")),
    (LocationKind.PARKING, re.compile(r"парков|паркинг|стоянк|parking")),
    (LocationKind.YARD, re.compile(r"\bдвор|\byard|детск\w* площадк|playground")),
    (LocationKind.ELEVATOR, re.compile(r"\bлифт|\belevator|\blift\b")),
    (LocationKind.STAIRWELL, re.compile(r"лестниц|лестничн|площадк|stair|landing|hallway")),
]
#: "в подъезде" alone is the stairs; "в третьем подъезде" names the entrance.
_IN_ENTRANCE = re.compile(r"в подъезде|в парадной")
_PHONE = re.compile(r"(?:\+7|\b8)[\s\-(]*\d{3}[\s\-)]*\d{3}[\s\-]*\d{2}[\s\-]*\d{2}\b")


#: An apostrophe for the hard sign, as typed without one: «под'езд», «pod'ezd».
_HARD_SIGN = re.compile(r"(?<=[а-я])['’`](?=[а-я])")
_LATIN_APOSTROPHE = re.compile(r"(?<=[a-z])['’`](?=[a-z])")


def find_location(text: str) -> Location | None:
    """The place the text names: a flat (with its entrance and floor when given), an
    entrance and floor, or a common area (with the entrance it belongs to)."""
    low = _HARD_SIGN.sub("ъ", _LATIN_APOSTROPHE.sub("", normalize(_PHONE.sub(" ", text))))
    found = _pairs(_tokens(low))
    flat, entrance, floor = found.get("flat"), found.get("entrance"), found.get("floor")
    if flat:
        return Location(LocationKind.APARTMENT, flat, entrance, floor)
    for kind, pattern in _COMMON:
        if pattern.search(low):
            return Location(kind, None, entrance, floor)
    if not (entrance or floor) and _IN_ENTRANCE.search(low):
        return Location(LocationKind.STAIRWELL)
    if floor:
        # A floor without its entrance is still kept: in a one-entrance house it is the
        # whole place, elsewhere the technician asks at the door rather than the resident
        # typing the place again.
        return Location(LocationKind.FLOOR, floor, entrance)
    if entrance:
        return Location(LocationKind.ENTRANCE, entrance)
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
    low = _PHONE.sub(" ", low)
    streets = {_stems([w]) for key in keys for w in key.street}
    return " ".join(
        w
        for w in words(low)
        if w not in _STOP
        and not any(ch.isdigit() for ch in w)
        and _word_token(w).kind == "word"
        and _stems([w]) not in streets
    )


def without_address(text: str, keys: list[AddressKey]) -> str:
    """The text without its phone and the words of the streets of ``keys``: two residents
    of one house both name its street, which says nothing of their problems."""
    streets = {_stems([w]) for key in keys for w in key.street}
    low = _PHONE.sub(" ", normalize(text))
    return re.sub(r"[a-zа-я]+", lambda m: "" if _stems([m[0]]) in streets else m[0], low)


_DATE = re.compile(
    r"^\s*(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?(?:\s+(?:в\s+|at\s+)?(\d{1,2})[:.](\d{2}))?\s*$"
)


def parse_date(text: str, now: datetime, tz: tzinfo) -> datetime | None:
    """A moment in local time, as staff write it: "28.11", "28.11 10:00", "28.11.2026
    10:00", "завтра в 14", "в понедельник утром", "после обеда", "tomorrow at 2 pm".
    A day without a time is at 10:00.  None if it is not a date (a past moment is
    returned: the caller tells that it has passed)."""
    match = _DATE.match(text)
    if match is None:
        return _spoken_date(text, now, tz)
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


#: An hour: after "в", "к", "at" ("в 14", "к 9.30", "at 2"), as "14:30", or before "am",
#: "утра", "вечера".  "28.11" alone is a date, never 28:11.
_CLOCK = re.compile(
    r"(?:^|\s)(?:в|во|к|около|at|by|around)\s+(\d{1,2})(?:[:.](\d{2}))?"
    r"(?:\s*(?:час\w*|ч\b\.?|o'clock))?(?=$|[\s,.!])"
    r"|(?:^|\s)(\d{1,2}):(\d{2})(?=$|[\s,.!])"
    r"|(?:^|\s)(\d{1,2})\s*(?=am\b|pm\b|утра|вечера|ночи)"
)
_MERIDIEM = re.compile(r"\s*(утра|дня|вечера|ночи|am|pm)\b")
#: Parts of the day and the hour they stand for when no hour is written.
_DAY_PARTS = (
    (re.compile(r"после обеда|во второй половине дня|after lunch|(?:in the )?afternoon"), 14),
    (re.compile(r"с утра|утром|(?:in the )?morning"), 9),
    (re.compile(r"\bв обед\b|\bднем\b|\blunchtime\b"), 13),
    (re.compile(r"(?:\bв |\bat )?(?:полдень|noon|midday)\b"), 12),
    (re.compile(r"вечером|(?:in the )?evening|tonight"), 18),
)
#: Midnight ends the day it is said of: "завтра в полночь" is 00:00 of the day after.
_MIDNIGHT = re.compile(r"(?:\bв |\bat )?(?:полночь|midnight)\b")
#: Night hours ("в 2 ночи", "12 ночи") belong to the night after the day named: said in
#: the daytime they mean the coming night, never the one that has passed.
_NIGHT_ENDS = 6
_FILLER = re.compile(r"\b(?:на|on|at)\b|[,!]|\.(?!\d)")
#: "через 2 часа", "через полчаса", "in an hour": a moment counted from now.
_IN_HOURS = re.compile(
    r"(?:через|in)\s+(?:(?P<count>\d{1,3}|an?|one|half an?|пол)\s*)?"
    r"(?P<unit>часа|часов|час|hours?|минут[уы]?|minutes?|mins?)"
    r"|через\s+(?P<half>полчаса)"
)
_WEEKDAYS = (
    *(r"понедельник|monday", r"вторник|tuesday", r"сред[ау]|wednesday"),
    *(r"четверг|thursday", r"пятниц[ау]|friday", r"суббот[ау]|saturday"),
    r"воскресенье|sunday",
)
#: "в следующий вторник", "next tuesday": that day of next week (Monday to Sunday), even
#: when this week's one is still ahead; "во вторник" alone is the nearest one.
_NEXT_WEEKDAY = re.compile(
    r"(?:в\s+|во\s+|on\s+)?(?:следующ\w*|будущ\w*|next)\s+(?P<day>"
    + "|".join(f"(?:{names})" for names in _WEEKDAYS)
    + r")"
)
#: "на следующей неделе", "next week": no day named.  A dispatcher reads it as the first
#: day the job can be done, Monday, from the start of the working day; the technician
#: sees the date in the confirmation and can postpone again if they meant a later day.
_NEXT_WEEK = re.compile(r"(?:на\s+)?(?:следующ|будущ)\w*\s+недел\w*|next\s+week")
_WORKDAY_START = 9
_NUMERIC_DAY = re.compile(r"\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?")


def _in_hours(low: str, now: datetime, tz: tzinfo) -> datetime | None:
    """ "через 2 часа", "in 30 minutes": now plus that much, to the minute."""
    match = _IN_HOURS.fullmatch(low)
    if match is None:
        return None
    count = match["count"] or ""
    if match["half"] or count.startswith(("half", "пол")):
        minutes = 30
    else:
        amount = int(count) if count.isdigit() else 1
        minutes = amount * 60 if match["unit"].startswith(("час", "hour")) else amount
    moment = now.astimezone(tz) + timedelta(minutes=minutes)
    return moment.replace(second=0, microsecond=0)


def _named_week_day(low: str, local_now: datetime) -> tuple[str, date | None, int | None]:
    """The phrase without "next <weekday>" / "next week", the day they name and the
    hour it starts at when no hour is written."""
    next_monday = local_now.date() + timedelta(days=7 - local_now.weekday())
    match = _NEXT_WEEKDAY.search(low)
    if match is not None:
        weekday = next(i for i, names in enumerate(_WEEKDAYS) if re.fullmatch(names, match["day"]))
        rest = low[: match.start()] + " " + low[match.end() :]
        return rest, next_monday + timedelta(weekday), None
    match = _NEXT_WEEK.search(low)
    if match is not None:
        return low[: match.start()] + " " + low[match.end() :], next_monday, _WORKDAY_START
    return low, None, None


def _spoken_date(text: str, now: datetime, tz: tzinfo) -> datetime | None:
    low = normalize(text).strip(" .!")
    if not low or len(low) > 60:
        return None
    relative = _in_hours(low, now, tz)
    if relative is not None:
        return relative
    local_now = now.astimezone(tz)
    low, week_day, week_hour = _named_week_day(low, local_now)
    hour: int | None = None
    minute = 0
    afternoon = False
    night = False
    clock = _CLOCK.search(low)
    if clock is not None:
        hour = int(clock.group(1) or clock.group(3) or clock.group(5))
        minute = int(clock.group(2) or clock.group(4) or 0)
        end = clock.end()
        meridiem = _MERIDIEM.match(low, end)
        if meridiem is not None:
            afternoon = meridiem.group(1) in ("дня", "вечера", "pm")
            night = meridiem.group(1) == "ночи" and (hour == 12 or hour < _NIGHT_ENDS)
            end = meridiem.end()
        low = low[: clock.start()] + " " + low[end:]
    if _MIDNIGHT.search(low):
        low = _MIDNIGHT.sub(" ", low)
        hour, night = 0, True
    for pattern, part_hour in _DAY_PARTS:
        if pattern.search(low):
            low = pattern.sub(" ", low)
            afternoon = afternoon or part_hour >= 13
            hour = part_hour if hour is None else hour
    if hour is not None and afternoon and hour < 12:
        hour += 12
    if night:
        hour = 0 if hour == 12 else hour
    day_phrase = " ".join(_FILLER.sub(" ", low).split())
    if week_day is not None:
        if day_phrase:
            return None  # "next week" and another day besides
        day = week_day
        hour = week_hour if hour is None else hour
    elif not day_phrase:
        if hour is None:
            return None
        day = local_now.date()
    elif _NUMERIC_DAY.fullmatch(day_phrase):
        numeric = parse_date(day_phrase, now, tz)  # "28.11" as the numeric form reads it
        if numeric is None:
            return None
        day = numeric.date()
    else:
        day_value = _day(day_phrase, local_now)
        if day_value is None:
            return None
        day = day_value
    try:
        moment = time(10 if hour is None else hour, minute)
    except ValueError:
        return None
    if night:
        day += timedelta(days=1)
    return datetime.combine(day, moment, tzinfo=tz)


_MONTH_ONLY = re.compile(
    r"(?:в\s+|in\s+)?(?:январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
)


def _day(phrase: str, local_now: datetime) -> date | None:
    """The day a phrase names ("завтра", "в понедельник", "28 ноября", "next friday")."""
    if (
        not re.search(r"[a-zа-я]", phrase)
        or _MONTH_ONLY.fullmatch(phrase)
        or _NUMERIC_DAY.search(phrase)
    ):
        return None  # a lone number or a month is no day; "28.11 завтра" is two
    found = dateparser.parse(
        phrase,
        languages=["ru", "en"],
        settings={
            "RELATIVE_BASE": local_now.replace(tzinfo=None),
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
        },
    )
    if not isinstance(found, datetime):
        return None
    day: date = found.date()
    return None if day < local_now.date() - timedelta(days=1) else day


def date_example(now: datetime, tz: tzinfo) -> str:
    """A date and time to show as an example: tomorrow at 10:00, never in the past."""
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(10)).strftime("%d.%m %H:%M")
