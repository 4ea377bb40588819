"""The English texts mirror the Russian ones: same keys, same placeholders, no Cyrillic."""

from __future__ import annotations

import re
import string

import pytest

from bot.texts import en, ru

_DICTS = ("CATEGORIES", "URGENCIES", "STATUSES", "LOCATIONS", "TEXTS")
_CYRILLIC = re.compile(r"[\u0400-\u04FF\u0500-\u052F]")


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


@pytest.mark.parametrize("name", _DICTS)
def test_same_keys(name: str) -> None:
    ru_keys = set(getattr(ru, name))
    en_keys = set(getattr(en, name))
    assert ru_keys - en_keys == set(), f"{name}: missing in en"
    assert en_keys - ru_keys == set(), f"{name}: extra in en"


@pytest.mark.parametrize("key", sorted(ru.TEXTS))
def test_same_placeholders(key: str) -> None:
    assert _placeholders(en.TEXTS[key]) == _placeholders(ru.TEXTS[key])


@pytest.mark.parametrize("name", _DICTS)
def test_all_values_are_strings(name: str) -> None:
    for module in (ru, en):
        for key, value in getattr(module, name).items():
            assert isinstance(value, str), f"{module.__name__}.{name}[{key!r}]"


@pytest.mark.parametrize("name", _DICTS)
def test_english_has_no_cyrillic(name: str) -> None:
    offenders = {k: v for k, v in getattr(en, name).items() if _CYRILLIC.search(v)}
    assert offenders == {}
