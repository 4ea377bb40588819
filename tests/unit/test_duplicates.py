"""Whether a new message and an open request of the same building and type are one problem."""

from __future__ import annotations

import pytest

from bot.field_words import load_field_words
from core.duplicates import places_compatible, same_problem, words_alike

WORDS = load_field_words()


@pytest.mark.parametrize(
    ("new", "new_text", "old", "old_text"),
    [
        ("apartment:30", "не работает розетка в комнате", "stairwell", "не горит свет на лестнице"),
        ("apartment:12", "течёт кран на кухне", "apartment:30", "кран на кухне подтекает"),
        ("entrance:3", "не горит свет", "entrance:1", "не горит свет"),
        ("elevator;entrance:2", "лифт не работает", "elevator;entrance:3", "лифт не работает"),
        ("basement", "не горит свет", "stairwell;entrance:1", "не горит свет"),
        ("apartment:5", "пахнет газом на кухне", "stairwell;entrance:1", "запах газа"),
        ("not a place", "нет воды", "apartment:1", "нет воды"),
        (
            "apartment:30",
            "кв 30, 2 подъезд, не горит свет",
            "stairwell;entrance:2",
            "не горит свет",
        ),
    ],
)
def test_places_that_never_share_a_problem(
    new: str, new_text: str, old: str, old_text: str
) -> None:
    assert not places_compatible(new, new_text, old, old_text)


@pytest.mark.parametrize(
    ("new", "new_text", "old", "old_text"),
    [
        ("apartment:12", "течёт кран", "apartment:12", "кран подтекает"),
        ("apartment:12", "нет горячей воды", "apartment:30", "нет горячей воды с утра"),
        ("apartment:44", "лифт не работает", "elevator;entrance:2", "лифт стоит"),
        ("apartment:5", "во всём доме нет света", "stairwell", "весь дом без света"),
        ("entrance:2", "не горит свет", "stairwell;entrance:2", "не горит свет"),
        ("elevator", "лифт застревает", "elevator;entrance:1", "лифт застревает"),
    ],
)
def test_places_that_may_share_a_problem(new: str, new_text: str, old: str, old_text: str) -> None:
    assert places_compatible(new, new_text, old, old_text)


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [
        ("лифт не работает", "лифт стоит не едет", True),
        ("в лифте не горит свет", "лифт не едет", False),
        ("нет холодной воды", "нет горячей воды", False),
        ("слабый напор воды", "очень слабый напор холодной воды", True),
        ("двери лифта не закрываются", "не работает лифт совсем", False),
        # Synonyms of the field and word forms.
        ("течёт крыша", "протекает кровля", True),
        ("нет света", "не горит лампа", True),
        ("батарея холодная", "не греет радиатор", True),
        ("в подвале вода стоит", "подвал затопило водой", True),
        ("трубка домофона не звонит", "домофонная трубка молчит", True),
        ("во всём доме нет света", "во всем доме отключили электричество", True),
        # Kinds of one type's problem that exclude each other.
        ("ржавая вода из крана", "нет горячей воды", False),
        ("нет холодной воды", "нет горячей воды", False),
        ("батареи холодные", "батареи очень горячие", False),
        ("течёт крыша", "снег на крыше", False),
    ],
)
def test_words_alike(a: str, b: str, alike: bool) -> None:
    assert words_alike(a, b, WORDS) is alike
    assert words_alike(b, a, WORDS) is alike


def test_same_problem_needs_both_the_place_and_the_words() -> None:
    hot = "нет горячей воды"
    assert same_problem("apartment:12", hot, "apartment:30", hot, WORDS)
    assert not same_problem("apartment:12", hot, "apartment:30", "нет холодной воды", WORDS)
    assert not same_problem("apartment:12", hot, "roof", hot, WORDS)
