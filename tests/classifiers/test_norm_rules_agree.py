"""The hazard rules and the norm rules read the same resident words alike: the emergency the
classifier names is the one whose deadline row the request gets.  (The import contracts keep
``classifiers`` and ``core`` apart, so the shared words live in both; this test holds them
together.)"""

from __future__ import annotations

from datetime import datetime

import pytest

from classifiers import rules
from classifiers.text import normalize
from core import norm_rules
from core.model import Urgency

FILED = datetime(2026, 12, 1, 12, 0)


@pytest.mark.parametrize(
    ("text", "category", "hazard", "problem"),
    [
        # someone inside the lift, in the words of either module
        ("сосед застрял в лифте", "elevator", rules.LIFT, "lift_stuck"),
        ("бабушку заперло в лифте", "elevator", rules.LIFT, "lift_stuck"),
        ("в лифте закрылась девочка", "elevator", rules.LIFT, "lift_stuck"),
        ("застряли в лифте, выпустите нас", "elevator", rules.LIFT, "lift_stuck"),
        ("my son got locked in the elevator", "elevator", rules.LIFT, "lift_stuck"),
        # the writer inside a stopped car, or a plea to be let out
        ("мы с дочкой в лифте, он замер и не открывается", "elevator", rules.LIFT, "lift_stuck"),
        ("выпустите нас из лифта, кабина не едет", "elevator", rules.LIFT, "lift_stuck"),
        ("i'm in the elevator and the doors won't open", "elevator", rules.LIFT, "lift_stuck"),
        # those upstairs who cannot get out of the building are not in the car
        ("с девятого этажа не можем выйти из дома, лифт встал", "elevator", None, ""),
        # nobody inside: no one to free, in the same words
        ("лифт застрял, внутри никого", "elevator", None, ""),
        ("застрял лифт пустой на пятом", "elevator", None, ""),
        ("лифт застрял без людей", "elevator", None, ""),
        ("лифт закрыли на ремонт до пятницы", "elevator", None, ""),
        # a hole in the ground, not a hatch to the loft
        ("колодец у школы без крышки", "territory", rules.OUTDOOR, "open_manhole"),
        ("открыт канализационный люк во дворе", "territory", rules.OUTDOOR, "open_manhole"),
        ("открыт люк на чердак", "other", None, ""),
        ("an uncovered well by the garages", "territory", rules.OUTDOOR, "open_manhole"),
        ("колодец во дворе, ребёнок может провалиться", "territory", rules.OUTDOOR, "open_manhole"),
        ("the window does not open well", "other", None, ""),
        # icicles still hanging are not yet falling parts
        ("над входом висят сосульки", "roof_facade", None, ""),
        ("с крыши падает шифер на людей", "roof_facade", rules.STRUCTURE, "falling_parts"),
        # roofing torn loose that still lies on the roof is not yet falling
        ("ночью сорвало кусок кровли, стучит на крыше", "roof_facade", None, ""),
    ],
)
def test_the_same_words_name_the_same_emergency(
    text: str, category: str, hazard: str | None, problem: str
) -> None:
    assert rules.hazard(normalize(text)) == hazard
    urgency = Urgency.EMERGENCY if hazard else Urgency.URGENT
    reading = norm_rules.read(category, urgency, text, FILED)
    assert reading == norm_rules.Reading(problem, urgency)


@pytest.mark.parametrize(
    "text",
    ["во всём подъезде нет отопления, дети мёрзнут", "по всему стояку батареи ледяные"],
)
def test_a_building_without_heating_keeps_its_emergency(text: str) -> None:
    assert rules.hazard(normalize(text)) == rules.HEATING
    emergency = norm_rules.read("heating", Urgency.EMERGENCY, text, FILED)
    assert emergency == norm_rules.Reading("", Urgency.EMERGENCY)


def test_one_flat_without_heating_gets_the_no_heating_row() -> None:
    text = "в квартире не греют батареи, +11"
    assert rules.hazard(normalize(text)) is None
    reading = norm_rules.read("heating", Urgency.URGENT, text, FILED)
    assert reading == norm_rules.Reading("no_heating_10", Urgency.URGENT)
