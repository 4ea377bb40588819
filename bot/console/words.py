"""The console's texts by language (``bot/texts/console_ru.py``, ``console_en.py``)."""

from __future__ import annotations

from bot import texts
from bot.texts import console_en, console_ru

CONSOLE_TEXTS = {"ru": console_ru.TEXTS, "en": console_en.TEXTS}


def ct(lang: str, key: str, **values: object) -> str:
    template = CONSOLE_TEXTS.get(lang, CONSOLE_TEXTS[texts.DEFAULT])[key]
    return template.format(**values) if values else template
