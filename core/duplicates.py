"""Whether a new message and an open request are the same problem (pure).

Both already share the building and the type.  They must also share the place: a flat's
problem never joins a common area's request (nor another flat's) unless its words say
the problem is shared ("во всём доме", "нет горячей воды", the lift it names); an
entrance's problem never joins another entrance's.  And their words must be alike, as
a ``Lexicon`` reads them: words of one meaning («кровля», «крыша») are one word.
"""

from __future__ import annotations

import re
from typing import Protocol

from core.model import Location, LocationKind

#: Words that make a flat's problem the whole building's.
_WHOLE_BUILDING = re.compile(r"вс[её]м доме|весь дом|по всему дому|whole building|entire building")
#: Words of a problem that many flats share (a supply, a riser), not one flat's fault.
_SHARED = re.compile(
    r"вс[её]м доме|весь дом|по всему дому|нет (?:горяч\w+ |холодн\w+ )?вод"
    r"|нет свет|нет электричеств|отключ|напор|ржав|стояк|отоплени|холодн\w* батаре"
    r"|батаре\w* (?:чуть |еле )?(?:тепл|холодн)|мигает свет"
    r"|whole building|no (?:hot |cold )?water|no power|no heating|no electricity"
)
_IN_ENTRANCE = re.compile(
    r"в подъезде|в парадной|на лестниц|лестничн|на площадк|stair|landing|hallway|in the entrance"
)
#: The words that name each common area, so a flat's message can say it means that one.
_AREA_WORDS = {
    LocationKind.ELEVATOR: re.compile(r"лифт|lift|elevator"),
    LocationKind.ROOF: re.compile(r"крыш|кровл|roof"),
    LocationKind.BASEMENT: re.compile(r"подвал|basement"),
    LocationKind.ATTIC: re.compile(r"чердак|attic"),
    LocationKind.YARD: re.compile(r"двор|yard"),
    LocationKind.PARKING: re.compile(r"парков|паркинг|parking"),
    # A flat's own address names its entrance and floor; only a problem placed there counts.
    LocationKind.STAIRWELL: _IN_ENTRANCE,
    LocationKind.ENTRANCE: _IN_ENTRANCE,
    LocationKind.FLOOR: _IN_ENTRANCE,
}
#: The inside of one entrance: its door, stairs and landings are one place.
_ENTRANCE_PLACES = frozenset({LocationKind.ENTRANCE, LocationKind.FLOOR, LocationKind.STAIRWELL})


class Lexicon(Protocol):
    """How words compare: one form for all the words of one meaning and their forms."""

    def canonical(self, word: str) -> str: ...


#: Places and fillers are no words at all.
_IGNORED = frozenset(
    {
        *("нет", "не", "уже", "очень", "совсем", "давно", "весь", "всем", "доме", "дом"),
        *("два", "дня", "чуть", "еле", "никто", "the", "and", "not", "for", "with", "in"),
    }
)
_PLACE_WORD = re.compile(
    r"квартир|подъезд|этаж|лестниц|площадк|лифт|подвал|крыш|кровл|двор|комнат|кухн|ванн"
    r"|flat|apartment|entrance|floor|stair|lift|elevator|basement|roof|yard"
)
#: Ordinals count entrances and floors ("во втором подъезде", "second entrance"): the
#: place, compared on its own, not the problem.
_ORDINAL = re.compile(
    r"(?:перв|втор|трет|четверт|пят|шест|седьм|восьм|девят|десят)"
    r"(?:ый|ой|ий|ого|его|ому|ему|ым|им|ом|ем|ая|яя|ую|юю|ое|ее|ые|ие|ых|их|ья|ье|ьем|ьего)"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
)
#: Kinds of one type's problem that exclude each other: "нет холодной воды" is not "нет
#: горячей воды", nor is "ржавая вода" either of them.  Two texts that both name a kind
#: must share one.
_KINDS = (
    re.compile(r"горяч|\bhot\b"),
    re.compile(r"холодн|\bcold\b"),
    re.compile(r"ржав|мутн|\brust|\bbrown"),
)


def _lower(text: str) -> str:
    return text.lower().replace("ё", "е")


def _stems(text: str, lexicon: Lexicon) -> set[str]:
    return {
        lexicon.canonical(word)
        for word in re.findall(r"[a-zа-я]+", _lower(text))
        if len(word) >= 3
        and word not in _IGNORED
        and not _PLACE_WORD.match(word)
        and not _ORDINAL.fullmatch(word)
    }


def _decode(raw: str) -> Location | None:
    try:
        return Location.decode(raw)
    except (ValueError, KeyError):
        return None


def _entrance(location: Location) -> int | None:
    return location.number if location.kind is LocationKind.ENTRANCE else location.entrance


def places_compatible(new: str, new_text: str, old: str, old_text: str) -> bool:
    """Whether the two places can hold one problem, as their words say."""
    a, b = _decode(new), _decode(old)
    if a is None or b is None:
        return False
    low_a, low_b = _lower(new_text), _lower(old_text)
    flat = LocationKind.APARTMENT
    if a.kind is flat and b.kind is flat:
        return a.number == b.number or bool(_SHARED.search(low_a) and _SHARED.search(low_b))
    if a.kind is flat or b.kind is flat:
        flat_text, area = (low_a, b) if a.kind is flat else (low_b, a)
        names_area = area.kind in _AREA_WORDS and bool(_AREA_WORDS[area.kind].search(flat_text))
        return names_area or bool(_WHOLE_BUILDING.search(flat_text))
    entrance_a, entrance_b = _entrance(a), _entrance(b)
    if entrance_a is not None and entrance_b is not None and entrance_a != entrance_b:
        return False
    return a.kind == b.kind or {a.kind, b.kind} <= _ENTRANCE_PLACES


def words_alike(new_text: str, old_text: str, lexicon: Lexicon) -> bool:
    """Whether two descriptions speak of the same thing (half the words of the shorter)."""
    kinds_a = {i for i, kind in enumerate(_KINDS) if kind.search(_lower(new_text))}
    kinds_b = {i for i, kind in enumerate(_KINDS) if kind.search(_lower(old_text))}
    if kinds_a and kinds_b and not kinds_a & kinds_b:
        return False
    a, b = _stems(new_text, lexicon), _stems(old_text, lexicon)
    if not a or not b:
        return True
    return len(a & b) / min(len(a), len(b)) >= 0.5


def same_problem(new: str, new_text: str, old: str, old_text: str, lexicon: Lexicon) -> bool:
    """Whether to offer joining: a compatible place and alike words."""
    return places_compatible(new, new_text, old, old_text) and words_alike(
        new_text, old_text, lexicon
    )
