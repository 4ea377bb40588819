"""Every console text exists in Russian and English with the same placeholders."""

from __future__ import annotations

import string

from bot.console.words import CONSOLE_TEXTS


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_every_text_with_the_same_placeholders() -> None:
    ru, en = CONSOLE_TEXTS["ru"], CONSOLE_TEXTS["en"]
    assert ru.keys() == en.keys()
    assert {k: fields(v) for k, v in ru.items()} == {k: fields(v) for k, v in en.items()}
