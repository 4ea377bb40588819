"""Classes of error found on resident messages the corpus had not seen: each class is tested
with wordings of its own, so a rule or a feature that stops covering the class fails here."""

from __future__ import annotations

import pytest

from classifiers import rules
from classifiers.model import stress_first_problem
from classifiers.text import fix_typos, normalize


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # sewage that fills a room or a basement, in the words residents use for it
        ("весь техподвал затоплен стоками", rules.SEWAGE),
        ("из унитаза выбило канализацию, в коридоре плавают нечистоты", rules.SEWAGE),
        ("в подвале дерьмо по колено, всё залито", rules.SEWAGE),
        # a riser is every flat above and below, not one flat
        ("по нашему стояку радиаторы ледяные уже два дня", rules.HEATING),
        ("батареи остыли у всего стояка, в комнатах плюс пятнадцать", rules.HEATING),
        ("the radiators on our whole riser went cold overnight", rules.HEATING),
        ("all the radiators in the building are stone cold again", rules.HEATING),
        ("the entire heating riser went cold, all the flats on it are freezing", rules.HEATING),
        ("a radiator is leaking, hot water is running over the floor", rules.FLOOD),
        # parts coming down now, in the words of a fall under way
        ("с балконной плиты валятся куски бетона на тротуар", rules.STRUCTURE),
        ("сосулька упала с карниза прямо у двери подъезда", rules.STRUCTURE),
        (
            "сосульки длинные висят над крыльцом второго подъезда, одна уже сорвалась",
            rules.STRUCTURE,
        ),
        ("an icicle fell off the roof next to the porch", rules.STRUCTURE),
        # a hole in the ground with its cover gone
        ("крышка люка на дороге возле школы сдвинута, дыра", rules.OUTDOOR),
        ("у гаражей открытая яма колодца, ничем не огорожена", rules.OUTDOOR),
        # water coming down the stairs from the floors above
        ("water is streaming down the stairs from the floors above", rules.FLOOD),
        # a question about the heating season does not hide a flood told next to it
        ("когда дадут отопление, холодно, а тут ещё соседи заливают", rules.FLOOD),
    ],
)
def test_hazard_wordings_of_each_class(text: str, kind: str) -> None:
    assert rules.hazard(normalize(text)) == kind


@pytest.mark.parametrize(
    "text",
    [
        # icicles that still hang, a leaning tree: the day's work until something falls
        "на козырьке подъезда висят сосульки, собейте их",
        "long icicles on the gutter over the entrance, please remove them",
        "тополь у дома накренился, спилите его",
        # an old fall with nothing falling since
        "кусок облицовки упал ещё весной и давно лежит у стены, новых не падало",
        # gas named with the smell denied
        "надо заменить шланг газовой колонки, запаха газа нет",
        # a blocked drain holding water in a shower tray or a bath
        "засорился слив в ванне, воды по щиколотку",
        # «топят» as the heating season
        "когда начнут топить? в соседнем доме уже топят",
        # a hatch to the roof is not a hole in the ground
        "открыт люк на чердак, кошки лазят",
        # a lift that is down while people wait at home, a lift without light
        "лифт не работает неделю, пожилые соседи с девятого этажа не могут выйти на улицу",
        "no light inside the lift car",
        # a building without power is urgent work, not an emergency
        "во всём доме нет света с утра",
        "power is out in the entire building",
        # the riser pipe in one room is not the riser's flats
        "the heating riser in my bedroom is cold",
        # a pothole full of rain
        "the pothole by the gate is full of water again",
    ],
)
def test_calm_look_alikes_of_each_class(text: str) -> None:
    assert rules.hazard(normalize(text)) is None


@pytest.mark.parametrize(
    "text",
    ["соседи курят на лестнице, дым идёт к нам", "people smoke on the landing, the smoke gets in"],
)
def test_cigarette_smoke_is_a_nuisance_the_model_may_not_raise(text: str) -> None:
    assert rules.hazard(normalize(text)) is None
    assert rules.smell_only(normalize(text))


def test_a_dropped_soft_sign_is_put_back_before_any_other_mending() -> None:
    common = {"опять": 5.0, "топят": 1.0, "лифт": 1.0}
    assert fix_typos("лифт опят не работает", common) == "лифт опять не работает"
    p = normalize("lift opyat ne rabotaet")
    assert rules.hazard(fix_typos(p, common)) is None


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("не работает домофон, а еще на площадке грязно", "не работает домофон, "),
        ("0) нет горячей воды. 0) засор в туалете", "0) нет горячей воды. "),
        ("the lift is out of order and also the stairs are dirty", "the lift is out of order and "),
    ],
)
def test_the_first_of_several_problems_is_read_twice(text: str, first: str) -> None:
    assert stress_first_problem(text) == f"{text} {first}"


def test_a_single_problem_is_read_once() -> None:
    assert stress_first_problem("нет горячей воды третий день") == "нет горячей воды третий день"


def test_a_later_emergency_is_read_twice_instead_of_the_first_problem() -> None:
    text = "во дворе не чистят снег. во-вторых в подъезде пахнет газом"
    assert stress_first_problem(text) == f"{text} во-вторых в подъезде пахнет газом"
