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
