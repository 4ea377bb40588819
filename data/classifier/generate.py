"""Generate the training corpus ``train.csv`` from hand-written fragments.

Usage (from the repository root)::

    python data/classifier/generate.py            # writes data/classifier/train.csv

The generator is deterministic (fixed seed).  It composes resident messages
from the fragment lists in ``fragments_ru.py`` / ``fragments_en.py`` with
greetings, addresses, phone numbers, timing, requests, anger, two-problem
messages, synonyms and realistic noise (typos, CAPS, missing punctuation), formal
letters, chats, voice-typed run-ons and Russian typed in Latin letters, then appends the
hand-written free messages from ``handwritten.csv`` and the independent sets c to g
(``frozen_2026-12-02c.csv`` ...): residents' messages written by five other authors, in
wordings the fragments' author would not think of.  Those sets were scored unseen once
each and then answered as development sets; their texts now teach the model directly.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

import fragments_en  # noqa: E402
import fragments_letters as letters  # noqa: E402
import fragments_ru  # noqa: E402

from classifiers.dataset import load_dataset  # noqa: E402

SEED = 20240611
N_RU = 4200
N_EN = 1100
# formal written complaints (one to three problems) and messy chat messages per language
N_LETTERS = {"ru": 900, "en": 250}
N_CHATS = {"ru": 600, "en": 150}
# voice-typed run-ons, and Russian messages typed in Latin letters
N_VOICE = {"ru": 400, "en": 120}
N_LATIN = 500
# The independent sets whose texts are trained on (data/README.md); the held-out ones are not.
INDEPENDENT = tuple(HERE / f"frozen_2026-12-02{name}.csv" for name in "cdefg")

# Russian letters in Latin, each with the spellings residents use (the first most often).
LATIN = {
    "а": ["a"],
    "б": ["b"],
    "в": ["v", "v", "w"],
    "г": ["g"],
    "д": ["d"],
    "е": ["e"],
    "ё": ["e", "yo"],
    "ж": ["zh", "zh", "j"],
    "з": ["z"],
    "и": ["i"],
    "й": ["y", "i", "j"],
    "к": ["k"],
    "л": ["l"],
    "м": ["m"],
    "н": ["n"],
    "о": ["o"],
    "п": ["p"],
    "р": ["r"],
    "с": ["s"],
    "т": ["t"],
    "у": ["u"],
    "ф": ["f"],
    "х": ["kh", "h", "h", "x"],
    "ц": ["ts", "c", "tz"],
    "ч": ["ch", "ch", "tch"],
    "ш": ["sh"],
    "щ": ["shch", "sch", "sh"],
    "ъ": ["", "'"],
    "ы": ["y", "y", "i"],
    "ь": ["", "", "'"],
    "э": ["e"],
    "ю": ["yu", "ju", "iu"],
    "я": ["ya", "ja", "ia"],
}

SYNONYMS = {
    "ru": [
        (r"\bне работает\b", ["не работает", "сломан", "не пашет", "вышел из строя", "не фурычит"]),
        (r"\bпожалуйста\b", ["пожалуйста", "пжл", "плиз", "пож", "пожалуйсто"]),
        (r"\bподъезд", ["подъезд", "подьезд", "подезд"]),
        (r"\bтечет\b", ["течет", "течёт", "бежит", "капает"]),
        (r"\bидет\b", ["идет", "идёт", "бежит"]),
        (r"\bочень\b", ["очень", "оч", "очень-очень", "сильно"]),
        (r"\bуже\b", ["уже", "уж", ""]),
        (r"\bнет\b", ["нет", "нету", "отсутствует"]),
        (r"\bквартир", ["квартир", "кв", "хат"]),
        (r"\bпрошу\b", ["прошу", "просим", "просьба", "умоляю"]),
        (r"\bвоняет\b", ["воняет", "смердит", "несет", "пахнет"]),
        (r"\bсоседи\b", ["соседи", "соседи сверху", "жильцы"]),
        (r"\bсломан\b", ["сломан", "поломан", "разбит", "не работает"]),
        (r"\bхолодно\b", ["холодно", "дубак", "холодина", "зябко"]),
        (r"\bгрязно\b", ["грязно", "грязища", "срач"]),
        (r"\bмусор\b", ["мусор", "мусорище", "хлам"]),
        (r"\bлестниц", ["лестниц", "лесничн"]),
        (r"\bчто-то\b", ["что-то", "чтото", "че-то"]),
        (r"\bкогда\b", ["когда", "када", "когда уже"]),
        (r"\bсегодня\b", ["сегодня", "сёдня", "щас"]),
    ],
    "en": [
        (r"\bflat\b", ["flat", "apartment", "apt"]),
        (r"\blift\b", ["lift", "elevator"]),
        (r"\bstairwell\b", ["stairwell", "staircase", "stairway", "hallway"]),
        (r"\bdoesn't\b", ["doesn't", "does not", "doesnt"]),
        (r"\bdon't\b", ["don't", "do not", "dont"]),
        (r"\bwon't\b", ["won't", "will not", "wont"]),
        (r"\bneighbours?\b", ["neighbour", "neighbor"]),
        (r"\bplease\b", ["please", "pls", "plz", "kindly"]),
        (r"\brubbish\b", ["rubbish", "trash", "garbage"]),
        (r"\bbroken\b", ["broken", "busted", "not working", "damaged"]),
        (
            r"\bis not working\b",
            ["is not working", "is broken", "is out of order", "isn't working"],
        ),
        (r"\bsmells?\b", ["smell", "stink", "odour", "odor"]),
        (r"\bthe\b", ["the", "the", "the", ""]),
    ],
}

TYPO_ALPHABET = {
    "ru": "абвгдежзийклмнопрстуфхцчшщыьэюя",
    "en": "abcdefghijklmnopqrstuvwxyz",
}
EMOJI = ["😡", "🤬", "🙏", "😢", "!!!", "??", ")))", "((("]


def _lines(block: str) -> list[tuple[str, bool]]:
    out = []
    for raw in block.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        emergency = line.startswith("!")
        out.append((line.lstrip("!").strip(), emergency))
    return out


def _short(spec: str) -> list[tuple[str, bool]]:
    return [(s.lstrip("!"), s.startswith("!")) for s in spec.split("|")]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


class Composer:
    def __init__(self, lang: str, frag: object, rng: random.Random) -> None:
        self.lang = lang
        self.f = frag
        self.rng = rng
        self.problems = {c: _lines(b) for c, b in frag.PROBLEMS.items()}  # type: ignore[attr-defined]
        for extra in ("EXTRA", "MORE", "EXTRA2", "EXTRA3", "EXTRA4", "EXTRA5", "EXTRA6"):
            for c, b in getattr(frag, extra, {}).items():
                self.problems[c].extend(_lines(b))
        self.objects = {c: s.split("|") for c, s in getattr(frag, "OBJECTS", {}).items()}
        self.object_templates = getattr(frag, "OBJECT_TEMPLATES", [])
        self.questions = {c: _lines(b) for c, b in getattr(frag, "QUESTIONS", {}).items()}
        self.question_openers = getattr(frag, "QUESTION_OPENERS", [""])
        self.short = {c: _short(s) for c, s in frag.SHORT.items()}  # type: ignore[attr-defined]
        self.categories = sorted(self.problems)
        self.formal = {c: _lines(b) for c, b in letters.FORMAL[lang].items()}

    def _fill(self, pattern: str) -> str:
        r = self.rng
        return pattern.format(
            street=r.choice(self.f.STREETS),  # type: ignore[attr-defined]
            house=r.randint(1, 150),
            flat=r.randint(1, 420),
            entrance=r.randint(1, 12),
            floor=r.randint(1, 25),
            korp=r.randint(1, 5),
            d2=_digits(r, 2),
            d3=_digits(r, 3),
            d4=_digits(r, 4),
        )

    def _synonyms(self, text: str) -> str:
        for pattern, choices in SYNONYMS[self.lang]:
            if self.rng.random() < 0.35 and re.search(pattern, text, flags=re.IGNORECASE):
                repl = self.rng.choice(choices)
                text = re.sub(pattern, repl, text, count=1, flags=re.IGNORECASE)
        return re.sub(r"\s{2,}", " ", text).strip()

    def _typos(self, text: str) -> str:
        r = self.rng
        chars = list(text)
        for _ in range(r.randint(1, 3)):
            idx = [i for i, c in enumerate(chars) if c.isalpha()]
            if len(idx) < 4:
                break
            i = r.choice(idx)
            op = r.random()
            if op < 0.3 and i + 1 < len(chars):
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
            elif op < 0.55:
                del chars[i]
            elif op < 0.75:
                chars.insert(i, chars[i])
            else:
                chars[i] = r.choice(TYPO_ALPHABET[self.lang])
        return "".join(chars)

    def _noise(self, text: str) -> str:
        r = self.rng
        text = self._synonyms(text)
        if r.random() < 0.35:
            text = self._typos(text)
        p = r.random()
        if p < 0.3:
            text = re.sub(r"[.,!?;:]", "", text)
        if r.random() < 0.2:
            text = text.lower()
        elif r.random() < 0.06:
            text = text.upper()
        if r.random() < 0.08:
            text = text + " " + r.choice(EMOJI)
        return re.sub(r"\s{2,}", " ", text).strip()

    def pick_problem(self, category: str | None = None) -> tuple[str, str, bool, str]:
        cat = category or self.rng.choice(self.categories)
        i = self.rng.randrange(len(self.problems[cat]))
        text, emergency = self.problems[cat][i]
        return cat, text, emergency, self.fragment_id(cat, i)

    def fragment_id(self, category: str, index: int, kind: str = "p") -> str:
        """Names the hand-written fragment a text grows from: cross-validation keeps every
        text of one fragment in the same fold."""
        return f"{self.lang}:{kind}:{category}:{index}"

    def pick_formal(self, category: str) -> tuple[str, str, bool, str]:
        i = self.rng.randrange(len(self.formal[category]))
        text, emergency = self.formal[category][i]
        return category, text, emergency, self.fragment_id(category, i, "formal")

    def _several(self, formal: float) -> tuple[list[tuple[str, str, bool, str]], str, bool]:
        """One to three problems; the label is the first emergency, else the first problem."""
        r = self.rng
        n = r.choices([1, 2, 3], [0.5, 0.33, 0.17])[0]
        if n == 1:
            cats = [r.choice(self.categories)]
        else:
            cats = r.sample([c for c in self.categories if c != "other"], n)
        picks = [self.pick_formal(c) if r.random() < formal else self.pick_problem(c) for c in cats]
        labelled = next((p for p in picks if p[2]), picks[0])
        return picks, labelled[0], any(p[2] for p in picks)

    def letter(self) -> tuple[str, str, bool, str]:
        """A formal written complaint: addressee, sender, title, problems, history, demand."""
        r = self.rng
        lang = self.lang
        picks, cat, emergency = self._several(formal=0.7)
        sentences = [_sentence(p[1]) for p in picks]
        if len(picks) == 1:
            body = r.choice(letters.OPENERS[lang]) + " " + picks[0][1] + "."
        else:
            marks = r.choice(letters.ENUMERATIONS[lang])
            body = r.choice(letters.LIST_INTROS[lang]) + " "
            body += "".join(
                m + (s if m.strip() or i == 0 else s[0].lower() + s[1:])
                for i, (m, s) in enumerate(zip(marks, sentences, strict=False))
            )
        parts = []
        if r.random() < 0.6:
            parts.append(r.choice(letters.ADDRESSEES[lang]))
        if r.random() < 0.5:
            parts.append(self._fill(r.choice(letters.SENDERS[lang])))
        if r.random() < 0.4:
            parts.append(r.choice(letters.TITLES[lang]))
        parts.append(body)
        for pool, p in ((letters.HISTORY, 0.5), (letters.DEMANDS, 0.7), (letters.THREATS, 0.4)):
            if r.random() < p:
                parts.append(self._fill(r.choice(pool[lang])))
        text = r.choice([" ", "\n", "\n\n"]).join(parts)
        if r.random() < 0.15:
            text = self._typos(text)
        return text, cat, emergency, " ".join(p[3] for p in picks)

    def chat(self) -> tuple[str, str, bool, str]:
        """A messy chat message: no punctuation or capitals, fillers, typos, split lines."""
        r = self.rng
        picks, cat, emergency = self._several(formal=0.1)
        pieces = [p[1] for p in picks]
        if r.random() < 0.3:
            pieces.insert(0, self._fill(r.choice(self.f.ADDRESS_PATTERNS)))  # type: ignore[attr-defined]
        words = " ".join(pieces).split()
        for _ in range(r.randint(1, 3)):
            words.insert(r.randrange(len(words) + 1), r.choice(letters.CHAT_FILLERS[self.lang]))
        text = " ".join(words)
        text = self._synonyms(re.sub(r"[.,!?;:«»()]", "", text).lower())
        for _ in range(r.randint(0, 2)):
            text = self._typos(text)
        if r.random() < 0.3:
            cut = r.randrange(len(words))
            parts = text.split(" ")
            text = " ".join(parts[:cut]) + "\n" + " ".join(parts[cut:])
        if r.random() < 0.15:
            text += " " + r.choice(EMOJI)
        return text.strip(), cat, emergency, " ".join(p[3] for p in picks)

    def voice(self) -> tuple[str, str, bool, str]:
        """A voice-typed run-on: problems, story and address in one breath, spoken fillers,
        no punctuation or one full stop at the end."""
        r = self.rng
        picks, cat, emergency = self._several(formal=0.0)
        fillers = letters.VOICE_FILLERS[self.lang]
        pieces = [r.choice(fillers)]
        if r.random() < 0.5:
            pieces.append(self._fill(r.choice(self.f.ADDRESS_PATTERNS)))  # type: ignore[attr-defined]
        for i, p in enumerate(picks):
            if i:
                pieces.append(r.choice(letters.VOICE_JOINERS[self.lang]))
            pieces.append(p[1])
            if r.random() < 0.5:
                pieces.append(r.choice(fillers))
        if r.random() < 0.4:
            pieces.append(r.choice(self.f.REQUESTS))  # type: ignore[attr-defined]
        text = re.sub(r"[.,!?;:«»()—]", "", " ".join(pieces)).lower()
        text = self._synonyms(text)
        if r.random() < 0.5:
            text = text[0].upper() + text[1:] + "."
        elif r.random() < 0.15:
            text = text.upper()
        return text, cat, emergency, " ".join(p[3] for p in picks)

    def latin(self) -> tuple[str, str, bool, str]:
        """A Russian chat or message typed in Latin letters, one spelling scheme per writer."""
        r = self.rng
        text, cat, emergency, group = self.chat() if r.random() < 0.5 else self.compose()
        scheme = {c: r.choice(v) if r.random() < 0.5 else v[0] for c, v in LATIN.items()}
        out = []
        for ch in text:
            low = ch.lower()
            latin = scheme.get(low)
            if latin is None:
                out.append(ch)
            else:
                out.append(latin.upper() if ch != low and r.random() < 0.5 else latin)
        return "".join(out), cat, emergency, group

    def compose(self) -> tuple[str, str, bool, str]:
        r = self.rng
        f = self.f
        kind = r.random()
        if kind > 0.93 and self.objects:
            cat = r.choice(self.categories)
            i = r.randrange(len(self.objects[cat]))
            text = r.choice(self.object_templates).format(obj=self.objects[cat][i])
            if r.random() < 0.4:
                text = r.choice(f.GREETINGS) + ", " + text  # type: ignore[attr-defined]
            return self._noise(text), cat, False, self.fragment_id(cat, i, "obj")
        if 0.86 < kind <= 0.93 and self.questions:
            cat = r.choice(self.categories)
            i = r.randrange(len(self.questions[cat]))
            q, _ = self.questions[cat][i]
            text = r.choice(self.question_openers) + q + r.choice(["?", "?", "??", "", "."])
            if r.random() < 0.3:
                text += " " + self._fill(r.choice(f.ADDRESS_PATTERNS))  # type: ignore[attr-defined]
            return self._noise(text), cat, False, self.fragment_id(cat, i, "q")
        if 0.85 < kind <= 0.86:
            i = r.randrange(len(f.GREETINGS))  # type: ignore[attr-defined]
            text = f.GREETINGS[i] + r.choice(["", "!", ".", "?"])  # type: ignore[attr-defined]
            return self._noise(text), "other", False, self.fragment_id("other", i, "greet")
        if kind < 0.06:
            cat = r.choice(self.categories)
            i = r.randrange(len(self.short[cat]))
            text, emergency = self.short[cat][i]
            if r.random() < 0.3:
                text = text + r.choice(["!", "!!!", "?", " ((", ""])
            if r.random() < 0.2:
                text = text.upper()
            return text, cat, emergency, self.fragment_id(cat, i, "short")

        cat, core, emergency, group = self.pick_problem()
        if r.random() < 0.3:
            t = r.choice(f.TIMES)  # type: ignore[attr-defined]
            core = f"{t} {core}" if r.random() < 0.5 else f"{core} {t}"
        if cat != "other" and r.random() < 0.12:
            others = [c for c in self.categories if c not in (cat, "other")]
            cat2, core2, em2, group2 = self.pick_problem(r.choice(others))
            if em2 and not emergency:
                cat, core, emergency, core2 = cat2, core2, em2, core
            core = core + r.choice(f.JOINERS) + core2  # type: ignore[attr-defined]
            emergency = emergency or em2
            group = f"{group} {group2}"

        parts: list[str] = []
        if r.random() < 0.5:
            parts.append(r.choice(f.GREETINGS))  # type: ignore[attr-defined]
        if r.random() < 0.08:
            parts.append(r.choice(f.STORIES))  # type: ignore[attr-defined]
        address = self._fill(r.choice(f.ADDRESS_PATTERNS)) if r.random() < 0.45 else None  # type: ignore[attr-defined]
        if address and r.random() < 0.5:
            parts.append(address)
            address = None
        parts.append(core)
        if address:
            parts.append(address)
        if r.random() < 0.15:
            parts.append(r.choice(f.ANGER))  # type: ignore[attr-defined]
        if r.random() < 0.4:
            parts.append(r.choice(f.REQUESTS))  # type: ignore[attr-defined]
        if r.random() < 0.15:
            parts.append(self._fill(r.choice(f.PHONE_PATTERNS)))  # type: ignore[attr-defined]
        if r.random() < 0.18:
            parts.append(r.choice(f.CLOSERS))  # type: ignore[attr-defined]
        sep = r.choice([". ", ", ", " ", "! ", ". ", "\u2014 "])
        text = sep.join(parts)
        if r.random() < 0.7 and text and text[0].isalpha():
            text = text[0].upper() + text[1:]
        return self._noise(text), cat, emergency, group


def generate() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for lang, frag, n in (("ru", fragments_ru, N_RU), ("en", fragments_en, N_EN)):
        comp = Composer(lang, frag, rng)
        # every fragment appears at least once verbatim
        for cat, items in comp.problems.items():
            for i, (text, emergency) in enumerate(items):
                key = text.lower()
                if key not in seen:
                    seen.add(key)
                    rows.append(_row(text, cat, emergency, lang, comp.fragment_id(cat, i)))
        for make, count in (
            (comp.compose, n),
            (comp.letter, N_LETTERS[lang]),
            (comp.chat, N_CHATS[lang]),
            (comp.voice, N_VOICE[lang]),
            (comp.latin, N_LATIN if lang == "ru" else 0),
        ):
            produced = 0
            while produced < count:
                text, cat, emergency, group = make()
                key = text.lower()
                if not text or key in seen:
                    continue
                seen.add(key)
                rows.append(_row(text, cat, emergency, lang, group))
                produced += 1
    # one group per hand-written text: «hand:3», «indep-c:17»
    sources = [(HERE / "handwritten.csv", "hand")]
    sources += [(path, "indep-" + path.stem[-1]) for path in INDEPENDENT]
    for path, prefix in sources:
        ds = load_dataset(path, require_classes=False)
        assert ds.emergency is not None and ds.langs is not None, path
        for i, (text, category, emergency, lang) in enumerate(
            zip(ds.texts, ds.categories, ds.emergency, ds.langs, strict=True)
        ):
            if text.lower() not in seen:
                seen.add(text.lower())
                rows.append(_row(text, category, emergency, lang, f"{prefix}:{i}"))
    return rows


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[0].upper() + text[1:] + "."


def _row(text: str, category: str, emergency: bool, lang: str, group: str) -> dict[str, str]:
    return {
        "text": text,
        "category": category,
        "emergency": "1" if emergency else "0",
        "lang": lang,
        "group": group,
    }


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "train.csv"
    rows = generate()
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["text", "category", "emergency", "lang", "group"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {out}")


if __name__ == "__main__":
    main()
