"""Emergencies told without the hazard rules' usual words, and calm look-alikes read as
emergencies, class by class, in wordings of their own: someone inside a stopped lift who
says so or begs to be let out, a building's heating denied through who has it, a well or
manhole told by its danger, and roofing still on the roof, a fall on ice, a burner's
flame."""

from __future__ import annotations

import pytest

from classifiers import rules
from classifiers.api import DEFAULT_MODEL_PATH
from classifiers.model import load
from classifiers.text import normalize


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # the writer (or the writer's company) inside a car that stopped or will not open
        ("мы с дочкой в лифте, он замер на шестом и не открывается", rules.LIFT),
        ("лифт дёрнулся и остановился, изнутри никак не можем выбраться", rules.LIFT),
        ("i'm in the elevator and the doors won't open", rules.LIFT),
        ("we r in the lift it not moving", rules.LIFT),
        ("me in elevator, elevator stop, help", rules.LIFT),
        # a plea to be let out, with no word for being stuck
        ("выпустите нас из лифта, кабина не едет", rules.LIFT),
        ("откройте двери лифта, тут мы с коляской", rules.LIFT),
        ("get us out please, the lift does not move", rules.LIFT),
        # a building's heating denied through who has it
        ("none of us in the building has had heat since the weekend", rules.HEATING),
        ("the heating hasn't come on anywhere in our block", rules.HEATING),
        ("we don't have any heating in the entire building", rules.HEATING),
        ("none of the apartments in our building have heat", rules.HEATING),
        ("everyone in the block is freezing by the radiators", rules.HEATING),
        # a well or a manhole without its cover, or told by the danger of falling in
        ("an uncovered well by the garages, kids play there", rules.OUTDOOR),
        ("the manhole on the footpath has no lid, a person might fall into it", rules.OUTDOOR),
        ("there is a pit by the bins and a child could easily fall in", rules.OUTDOOR),
        ("у гаражей колодец, крышка разбита, ребёнок запросто может провалиться", rules.OUTDOOR),
        ("у гаражей люк сдвинут, того и гляди ребёнок упадёт", rules.OUTDOOR),
        # roofing torn loose hanging over where people walk is still an emergency
        ("ветром сорвало лист железа, висит над тротуаром", rules.STRUCTURE),
        # open fire in a kitchen is still a fire
        ("на кухне открытый огонь, горят шторы", rules.FIRE),
    ],
)
def test_each_class_of_missed_emergency_is_named(text: str, kind: str) -> None:
    assert rules.hazard(normalize(text)) == kind


@pytest.mark.parametrize(
    "text",
    [
        # inside a lift that moved on, past days, people upstairs waiting for a lift
        "я в лифте ехал, свет погас, потом доехал нормально",
        "лифт встал на девятом, я теперь хожу пешком",
        "с девятого этажа не можем выйти из дома, лифт встал",
        "I was in the lift yesterday when it stopped for a minute",
        # one flat's cold and nobody to fix it, a stairwell chilled by a broken door
        "my radiator is cold and nobody has come to fix it",
        "everyone in the building is freezing because the entrance door is broken, heating is ok",
        # «open well» as an adverb, a hatch to the loft
        "the balcony door does not open well",
        "the loft hatch is open, someone could fall in",
        # roofing torn loose that still lies on the roof
        "ночью сорвало кусок кровли, теперь он стучит на крыше",
        "a roof sheet is torn off and flapping on the roof all night",
        # a burner's flame told by its colour or soot
        "на плите огонь коптит и горит жёлтым",
        "the fire on the hob burns orange and leaves soot",
    ],
)
def test_each_class_of_look_alike_is_no_hazard(text: str) -> None:
    assert rules.hazard(normalize(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "ночью сорвало кусок кровли, теперь он стучит на крыше",
        "a roof sheet is torn off and flapping on the roof all night",
        "на тротуаре гололёд, сосед поскользнулся",
        "the steps are icy and a neighbour fell this morning",
        "пламя в колонке жёлтое и коптит",
        "the flame on my stove is yellow and sooty",
    ],
)
def test_the_model_alone_raises_none_of_these_look_alikes(text: str) -> None:
    assert rules.calm_look_alike(normalize(text))
    model = load(DEFAULT_MODEL_PATH)
    model.emergency_bias = 50.0  # the emergency model now says yes to everything
    assert model.predict(text).emergency is False


@pytest.mark.parametrize(
    "text",
    [
        # something coming down on people is no fall on ice
        "гололёд у подъезда, с крыши упала сосулька рядом с бабушкой",
        "roofing is flapping over the playground and could fall",
    ],
)
def test_a_danger_below_is_no_look_alike(text: str) -> None:
    assert not rules.calm_look_alike(normalize(text))
