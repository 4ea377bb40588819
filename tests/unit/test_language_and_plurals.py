"""The language of a first message, and numbers with their nouns."""

from __future__ import annotations

import pytest

from bot import texts
from bot.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("течёт кран", "ru"),
        ("lift ne rabotaet", "ru"),
        ("net sveta v podezde", "ru"),
        ("The lift is broken", "en"),
        ("no hot water in my flat", "en"),
        ("Ленина 5 the lift is broken", "en"),
        ("Hello, у нас течёт кран", "ru"),
        ("кв 12 no water", "en"),
        ("ул Садовая течёт кран", "ru"),
        ("Mira 101 k2 lift stoit", "ru"),
        # English place words next to their numbers are English, the street is not.
        ("Lenina 5 flat 12", "en"),
        ("Lenina 5 apt 12", "en"),
        ("Lenina 5 kv 12", "ru"),
        # Russian in Latin letters: verb endings and the field's words.
        ("lift slomalsya", "ru"),
        ("pahnet gazom", "ru"),
        ("gaz", "ru"),
        # Latin words of no known language: English, the service's other language.
        ("Bonjour", "en"),
        ("Hallo, Heizung kaputt", "en"),
        ("fuite d'eau", "en"),
        ("helo", "en"),
        ("meter reading", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "text",
    [
        *("", "Lenina 5", "12", "!!!", "👍", "Ленина 5", "Ленина 5 кв 12"),
        *("ул. Ленина, д. 5, кв. 12", "пр. Мира 101 к2", "Mira 101 k2", "/start", "ok"),
    ],
)
def test_no_words_to_tell_by(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [
        (1, "1 житель", "1 resident"),
        (2, "2 жителя", "2 residents"),
        (4, "4 жителя", "4 residents"),
        (5, "5 жителей", "5 residents"),
        (11, "11 жителей", "11 residents"),
        (12, "12 жителей", "12 residents"),
        (21, "21 житель", "21 residents"),
        (22, "22 жителя", "22 residents"),
        (0, "0 жителей", "0 residents"),
        (111, "111 жителей", "111 residents"),
    ],
)
def test_count_agrees_the_noun_with_the_number(n: int, ru: str, en: str) -> None:
    assert texts.count("ru", "n_residents", n) == ru
    assert texts.count("en", "n_residents", n) == en


def test_every_plural_text_has_all_its_forms() -> None:
    for lang, module in texts.LANGUAGES.items():
        for key, text in module.TEXTS.items():
            if key.startswith("n_") and "|" in text:
                assert len(text.split("|")) == (3 if lang == "ru" else 2), (lang, key)
