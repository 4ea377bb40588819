"""The emergency decision weighs the problem, the place and the words, and names the hazard."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifiers import rules
from classifiers.api import load_model
from classifiers.model import load
from classifiers.text import fix_typos, normalize


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("в лифте застряла соседка с собакой", rules.LIFT),
        ("лифт встал, внутри мой сын, не отвечает", rules.LIFT),
        ("my dad is trapped in the elevator", rules.LIFT),
        ("с потолка в коридоре льёт вода ручьём", rules.FLOOD),
        ("у соседей порвало подводку, радиатор разорвало, кипяток по полу", rules.FLOOD),
        ("из унитаза нечистоты лезут на пол", rules.SEWAGE),
        ("в щитке искрит", rules.ELECTRIC),
        ("sparks from the light switch", rules.ELECTRIC),
        ("из подвала тянет дымом", rules.FIRE),
        ("на площадке пахнет газом", rules.GAS),
        ("во всем доме нет отопления, мороз минус 20", rules.HEATING),
        ("по всему стояку батареи ледяные", rules.HEATING),
        ("the whole building has no heating and it is freezing", rules.HEATING),
        ("с фасада падают куски плитки", rules.STRUCTURE),
        ("во дворе открытый люк", rules.OUTDOOR),
    ],
)
def test_hazards_are_named(text: str, kind: str) -> None:
    assert rules.hazard(normalize(text)) == kind


@pytest.mark.parametrize(
    "text",
    [
        "лифт стоит на 7 этаже, внутри никого нет",
        "лифт остановился, в кабине пусто",
        "the lift stopped with nobody inside",
        "в спальне холодная батарея",
        "не топят совсем, батареи ледяные",
        "в квартире не греют батареи, на улице мороз",
        "радиатор в подъезде холодный, во всем подъезде холодно на лестнице",
        "no heating in the whole flat",
        "дверь подъезда открыта настежь, на улице минус 20",
        "в подъезде курят, весь дым в квартиру",
    ],
)
def test_calm_problems_are_no_hazard(text: str) -> None:
    assert rules.hazard(normalize(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "лифт не работает третий день",
        "лифт стоит на первом этаже с закрытыми дверями",
        "батарея в комнате холодная",
        "батареи еле теплые, в квартире 17 градусов",
        "входная дверь не закрывается, на улице мороз",
    ],
)
def test_the_shipped_model_keeps_lifts_radiators_and_doors_calm(text: str) -> None:
    p = load_model().predict(text)
    assert p.emergency is False and p.hazard is None


def test_the_model_alone_never_makes_a_lift_radiator_or_door_an_emergency(
    small_model: Path,
) -> None:
    model = load(small_model)
    model.emergency_bias = 50.0  # the emergency model now says yes to everything
    for text in ("лифт не работает", "батарея холодная", "домофон не работает"):
        p = model.predict(text)
        assert p.category in {"elevator", "heating", "doors_intercom"}
        assert p.emergency is False and p.hazard is None
    leak = model.predict("нет горячей воды")
    assert leak.category == "water" and leak.emergency is True and leak.hazard == rules.FLOOD


def test_an_emergency_carries_its_hazard() -> None:
    model = load_model()
    assert model.predict("застряли в лифте между этажами").hazard == rules.LIFT
    assert model.predict("прорвало батарею, хлещет горячая вода").hazard == rules.FLOOD
    assert model.predict("пахнет газом в подъезде").hazard == rules.GAS
    calm = model.predict("не горит лампочка на 3 этаже")
    assert calm.emergency is False and calm.hazard is None


def test_typos_are_mended_towards_common_words() -> None:
    common = {"пахнет": 3.0, "подъезде": 2.0, "газом": 4.0, "пахать": 9.0}
    assert fix_typos("пахет газом в подезде", common) == "пахнет газом в подъезде"
    assert fix_typos("кошка", common) == "кошка"  # nothing one edit away stays as written


def test_a_misspelt_emergency_is_still_caught() -> None:
    text = "сосед застарял в лифте"  # a lift: the rules decide, not the emergency model
    assert rules.hazard(normalize(text)) is None
    p = load_model().predict(text)
    assert p.category == "elevator" and p.emergency is True and p.hazard == rules.LIFT
