"""Text normalisation shared by training and prediction."""

from __future__ import annotations

import re
from collections.abc import Callable

_PHONE = re.compile(
    r"(?:\+7|\b8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b|\b\d{3}-\d{2}-\d{2}\b"
)
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
# Latin letters that look like Cyrillic ones, used inside Cyrillic words by some keyboards.
_HOMOGLYPHS = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у"})
_MIXED_WORD = re.compile(r"\b(?=\w*[а-я])(?=\w*[a-z])\w+\b")


def _fix_mixed(match: re.Match[str]) -> str:
    return match.group(0).translate(_HOMOGLYPHS)


# «подьезд», «подезд», «pod'ezd»: one spelling of the word the rules and the model key on
_PODEZD = re.compile(r"\bпод(?:ь|')?езд")

# Russian typed in Latin letters: the longest spellings first; «y» is «й» after a vowel
# and «ы» elsewhere, and so is a word's last «i» «й» after a vowel (decided in
# :func:`_from_latin`).
_LATIN_SPELLINGS = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ju", "ю"),
    ("ya", "я"),
    ("ja", "я"),
    ("yo", "е"),
    ("jo", "е"),
    ("ye", "е"),
    ("je", "е"),
    ("'", "ь"),
)
_LATIN_LETTERS = dict(zip("abcdefghijklmnopqrstuvwxz", "абцдефгхийклмнопкрстуввхз", strict=True))
_VOWELS = set("аеиоуыэюяй")
_LATIN_WORD = re.compile(r"[a-z][a-z']*")
# Words that tell Russian in Latin letters from English (neither list holds words both use).
_TRANSLIT_MARKERS = frozenset(
    """net ne v vo w wo na nas k ko ot iz za po uzhe uje ochen est eto chto shto kak kogda pochemu
    pozhaluysta pozhalujsta pozhalusta pzh tam tut opyat opiat segodnya vchera voda vody vodu
    svet sveta svetu dom doma dome kvartira kvartire kvartiry kv podezd podezde podyezd podyezde
    etazh etazhe gaz gaza gazom techet tech techot pakhnet pahnet vonyaet voniaet rabotaet
    zdravstvuyte zdravstvujte zdrasti privet dobryy dobriy den srochno pomogite lifte lifta
    otopleniya otoplenie batareya batarei holodno kholodno goryachey goryachei holodnoy kholodnoy
    potolka potolok sverhu sverkhu sosedi sosedey kanalizatsiya kanalizaciya unitaz zasor musor
    mne menya bolshe zalivaet zatopilo prorvalo iskrit dym zastryal zastryali""".split()  # noqa: SIM905 (reads as text)
)
# letter groups English words do not have
_RUSSIAN_SPELLING = re.compile(
    r"zh|kh|shch|(?<=\w\w)(?:iy|yy|aya|yye|ykh|ikh|aet|ayut|yut|ogo|ov)$"
)
_ENGLISH_MARKERS = frozenset(
    """the a an is are was were be been in on at of and or my our your it its this that there
    from with for has have had not no please we you he she they will can cannot since again
    hello hi dear thanks thank flat apartment building water heating smell""".split()  # noqa: SIM905
)


def _from_latin(word: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        for latin, cyrillic in _LATIN_SPELLINGS:
            if word.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            ch = word[i]
            if ch == "y":
                out.append("й" if out and out[-1] in _VOWELS else "ы")
            elif ch == "i" and i == len(word) - 1 and out and out[-1] in _VOWELS:
                # «pustoi», «lyudei»
                out.append("й")
            else:
                out.append(_LATIN_LETTERS.get(ch, ch))
            i += 1
    return "".join(out)


def from_latin(text: str) -> str:
    """Russian typed in Latin letters («u nas net vody») in Cyrillic; other text (English)
    unchanged.  Lower-case input.  Decided on the whole text: more words that only Russian
    uses or spells (zh, kh, -iy, -aya...) than words that only English uses."""
    words = _LATIN_WORD.findall(text)
    russian = sum(w in _TRANSLIT_MARKERS or bool(_RUSSIAN_SPELLING.search(w)) for w in words)
    if not russian or russian <= 2 * sum(w in _ENGLISH_MARKERS for w in words):
        return text
    return _LATIN_WORD.sub(lambda m: _from_latin(m.group(0)), text)


def normalize(text: str) -> str:
    """Lower-case, unify ё/е, Russian in Latin letters to Cyrillic, mask phone numbers and
    digits, collapse whitespace."""
    text = text.lower().replace("ё", "е").replace("\u00a0", " ")
    text = _MIXED_WORD.sub(_fix_mixed, text)
    text = _PODEZD.sub("подъезд", from_latin(text))
    text = _PHONE.sub(" тел ", text)
    text = _DIGITS.sub("0", text)
    return _SPACES.sub(" ", text).strip()


def has_content(text: str) -> bool:
    """True when the text contains at least one letter."""
    return any(ch.isalpha() for ch in text)


_WORD = re.compile(r"[а-я]{4,}|[a-z]{4,}")
_ALPHABETS = ("абвгдежзийклмнопрстуфхцчшщъыьэюя", "abcdefghijklmnopqrstuvwxyz")
_VOWEL_LETTERS = ("аеиоуыэюя", "aeiouy")


def _one_edit(word: str) -> set[str]:
    """Words one letter dropped, doubled-in or swapped away, or one vowel put for another
    (unstressed vowels are the commonest misspelling: отапление, elevater).  Not a consonant
    replaced: that turns real words into other real words (залипает -> заливает)."""
    latin = not "а" <= word[0] <= "я"
    alphabet, vowels = _ALPHABETS[latin], _VOWEL_LETTERS[latin]
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b for a, b in splits for c in alphabet}
    out |= {a + v + b[1:] for a, b in splits if b and b[0] in vowels for v in vowels}
    return out


def mend(word: str, common: dict[str, float]) -> str:
    """``word`` when it is among ``common`` words, else the most common of them one edit
    away (:func:`_one_edit`; ``common`` maps a word to its rarity, lower is more common),
    else ``word``."""
    if word in common:
        return word
    # Russian typed in Latin letters drops the soft sign («opyat»): put it back before
    # anything else, or «опят» becomes «топят»
    if word[-1] != "ь" and word + "ь" in common:
        return word + "ь"
    # the last letter carries the grammar: гарит is not гари
    near = [w for w in _one_edit(word) if w in common and w[-1] == word[-1]]
    return min(near, key=lambda w: (common[w], w)) if near else word


def fix_typos(
    normalized: str, common: dict[str, float], mend_word: Callable[[str], str] | None = None
) -> str:
    """Mend (:func:`mend`) each word of four letters or more, so that rules keyed on exact
    stems still read «пахет газом» as «пахнет газом».  ``mend_word``, when given, is
    :func:`mend` bound to ``common`` (a model caches it: residents repeat their words)."""
    fix = mend_word or (lambda word: mend(word, common))
    return _WORD.sub(lambda match: fix(match.group(0)), normalized)
