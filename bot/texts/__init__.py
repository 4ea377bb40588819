"""User-facing texts, one module per language (Russian first, English second)."""

from __future__ import annotations

from types import ModuleType

from bot.texts import en, ru

LANGUAGES: dict[str, ModuleType] = {"ru": ru, "en": en}
DEFAULT = "ru"


def _module(lang: str) -> ModuleType:
    return LANGUAGES.get(lang, ru)


def t(lang: str, key: str, **values: object) -> str:
    template: str = _module(lang).TEXTS[key]
    return template.format(**values) if values else template


def is_refusal(key: str) -> bool:
    """The texts that say an action changed nothing (a stale or forbidden button)."""
    return key == "stale" or key == "group_not_staff" or key.startswith("refused_")


def category(lang: str, slug: str) -> str:
    return str(_module(lang).CATEGORIES.get(slug, slug))


def urgency(lang: str, slug: str) -> str:
    return str(_module(lang).URGENCIES.get(slug, slug))


def status(lang: str, slug: str) -> str:
    return str(_module(lang).STATUSES.get(slug, slug))


def location_kind(lang: str, slug: str) -> str:
    return str(_module(lang).LOCATIONS.get(slug, slug))


def count(lang: str, key: str, n: int) -> str:
    """A number with its noun in the right form: "1 житель", "2 жителя", "5 жителей",
    "1 resident", "2 residents".  The key's text lists the forms, "|"-separated: one,
    few, many in Russian; one, other in English."""
    forms = t(lang, key).split("|")
    if lang == "ru" and len(forms) == 3:
        tens, ones = n % 100, n % 10
        index = (
            0 if ones == 1 and tens != 11 else 1 if 2 <= ones <= 4 and not 12 <= tens <= 14 else 2
        )
    else:
        index = 0 if n == 1 else len(forms) - 1
    return f"{n} {forms[index]}"
