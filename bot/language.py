"""The language a resident writes in, read from their first message: Russian or English.

A message in Cyrillic is Russian; one in Latin letters is English when its English words
outnumber the Russian ones written in Latin letters («lift ne rabotaet», «net sveta»),
which many residents type on a phone without a Russian keyboard.  Numbers and the
words right before them count for neither: they are an address («Ленина 5», «кв 12»,
«Lenina 5»), written in Russian whatever the resident's language, unless the word is a
known English or Russian one («flat 12»).  Latin words that are neither known English
nor Russian («Bonjour», «Heizung kaputt», «helo») mean English, the service's one
language besides Russian, when nothing else tells.  A command («/start») is no language.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zа-яё']+")
_COMMAND = re.compile(r"(?<!\w)/[a-z_]+")
#: A word and the number after it (a street and its house, a flat, an entrance, a floor),
#: or a street named after its kind («ул. Ленина»).
_ADDRESS = re.compile(
    r"[a-zа-яё']*[.,]?\s*\d[\w/-]*"
    r"|(?<![a-zа-яё])(?:ул|улица|пр|пр-т|проспект|пер|переулок|б-р|бульвар|ш|шоссе|пл|площадь)"
    r"(?![a-zа-яё])\.?\s*[a-zа-яё-]*"
)


def _words(listing: str) -> frozenset[str]:
    return frozenset(listing.split())


_ENGLISH = _words(
    """
    a an the is are was were be been am i i'm im my me we our us you your it it's its this that
    there here is isn't not no yes and or but of in on at to from for with without by up down
    out off over under again still since after before can can't cannot could do does don't
    doesn't did didn't have has had having will would should please help thanks thank hello hi
    hey good morning evening afternoon dear sir madam anyone someone somebody nobody everyone
    need needs want send come fix fixed repair broken break breaks working work works stopped
    stuck leak leaks leaking leaked dripping flooded flooding flood burst pipe pipes tap taps
    water hot cold heating heat radiator radiators warm gas smell smells smoke fire sparks
    sparking spark socket sockets light lights lamp bulb power electricity outage dark lift
    lifts elevator door doors intercom lock window windows roof ceiling wall floor stairs
    stairwell staircase landing entrance basement yard rubbish trash garbage bin bins collected
    drain drains blocked toilet sink sewage flat apartment apt building house street road
    plumber electrician what when where why how who which very again today tomorrow now since
    days week mouse mice rats rat cockroaches pests noise neighbours neighbors kitchen bathroom
    bedroom room
    """,
)
#: Russian in Latin letters: its commonest short words and verb and adjective endings.
_TRANSLIT = _words(
    """
    ne net na v vo s u k ot po za iz ya nas eto est uzhe opyat ochen gde kak chto
    kogda pochemu pomogite pozhaluysta pozhalujsta zdravstvuite zdravstvuyte privet spasibo
    dobryi dobryy den utro vecher kv kvartira dom ul ulitsa podezd podyezd etazh podval krysha
    svet sveta voda vody vodu kran zasor potolok potolka batarei batareya otoplenie
    stoit techet gorit gaz gazom gaza pahnet pakhnet zapah musor dver truba allo alo
    """,
)
_TRANSLIT_ENDING = re.compile(
    r"\w{2,}(?:aet|ayut|yut|itsya|etsya|sya|sja|ogo|aya|yaya|yy|iy|oy|ilo|ala|ili)$"
)


def _known_words_of_address(match: re.Match[str]) -> str:
    """An address's words dropped, but for known words («flat 12», «kv 3»; a letter alone
    is a building's part, «k2»)."""
    return " ".join(
        w for w in _WORD.findall(match.group(0)) if len(w) > 1 and (w in _ENGLISH or w in _TRANSLIT)
    )


def _russian(word: str) -> bool:
    return word in _TRANSLIT or bool(_TRANSLIT_ENDING.match(word))


def detect_language(text: str) -> str | None:
    """ "ru", "en", or None when the text has no words to tell by."""
    low = _COMMAND.sub(" ", text.lower())
    words = _WORD.findall(_ADDRESS.sub(_known_words_of_address, low))
    cyrillic = sum(1 for w in words if re.search(r"[а-яё]", w))
    latin = [w for w in words if not re.search(r"[а-яё]", w)]
    english = sum(1 for w in latin if w in _ENGLISH and w not in _TRANSLIT)
    russian = cyrillic + sum(1 for w in latin if _russian(w))
    if english == 0 and russian == 0:
        unknown = [w for w in latin if len(w.strip("'")) >= 3]
        return "en" if unknown else None
    return "en" if english > russian else "ru"
