"""Emergencies and calm look-alikes, class by class, in wordings of their own: a manhole or
well whose cover was taken off in any words; a stopped lift said to be empty in Russian
typed in Latin letters, a gas smell denied, roof gutters running down an outside wall, snow
come down onto a balcony, a part crumbling in place with nothing coming off and a slow
toilet or sink that smells."""

from __future__ import annotations

from datetime import datetime

import pytest

from classifiers import rules
from classifiers.text import normalize
from core import norm_rules
from core.model import Urgency

FILED = datetime(2026, 12, 1, 12, 0)


@pytest.mark.parametrize(
    "text",
    [
        "с канализационного люка во дворе сняли крышку",
        "у колодца возле школы кто-то утащил крышку",
        "крышку люка на парковке отодвинули и бросили рядом",
        "ремонтники убрали крышку с колодца и ушли",
        "workers removed the manhole cover by the bus stop and went away",
        "the lid was taken off the well behind block 4",
        "kids pushed the manhole cover aside, nobody put it back",
        "the sewer lid has been stolen again, there's just a hole",
    ],
)
def test_a_cover_taken_off_a_manhole_or_well_is_an_open_hole(text: str) -> None:
    assert rules.hazard(normalize(text)) == rules.OUTDOOR
    reading = norm_rules.read("territory", Urgency.EMERGENCY, text, FILED)
    assert reading.problem == "open_manhole"


@pytest.mark.parametrize(
    "text",
    [
        "крышка люка на месте, но гремит под машинами",
        "took a photo of the manhole cover, it is cracked",
        "the roof hatch cover was removed by the workers",
    ],
)
def test_a_cover_in_place_or_a_roof_hatch_is_no_open_hole(text: str) -> None:
    assert rules.hazard(normalize(text)) is None


def test_a_final_i_after_a_vowel_in_latin_letters_is_a_short_i() -> None:
    assert normalize("lift pustoi, lyudei net") == "лифт пустой, людей нет"
    # a final «i» after a consonant stays «и»
    assert normalize("sosedi zalivayut") == "соседи заливают"


@pytest.mark.parametrize(
    "text",
    [
        "lift zastryal pustoi na pyatom",
        "lift zastryal, v nem net lyudei",
    ],
)
def test_an_empty_stopped_lift_in_latin_letters_is_no_one_stuck(text: str) -> None:
    assert rules.hazard(normalize(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "the boiler won't light, but I can't smell any gas",
        "the hob doesn't ignite, I don't smell gas at all",
        "there is no smell of gas, the burner just clicks",
        "плита не разжигается, но не чувствую никакого запаха газа",
        "колонка не зажигается, никакого запаха газа нет",
    ],
)
def test_a_denied_gas_smell_is_no_gas_emergency(text: str) -> None:
    assert rules.hazard(normalize(text)) is None
    assert not norm_rules.smells_of_gas(text)


@pytest.mark.parametrize("text", ["I smell gas in the kitchen", "пахнет газом в подъезде"])
def test_a_gas_smell_said_is_still_one(text: str) -> None:
    assert rules.hazard(normalize(text)) == rules.GAS
    assert norm_rules.smells_of_gas(text)


@pytest.mark.parametrize(
    "text",
    [
        "водостоки переполнены, вода льётся по стене снаружи",
        "желоб переполнен, и по стене дома льётся вода",
        "the gutters overflow and water is pouring down the outside wall",
        "the downpipe is blocked, dirty water overflowing down the wall",
    ],
)
def test_roof_gutters_down_an_outside_wall_are_neither_sewage_nor_a_flood(text: str) -> None:
    assert rules.hazard(normalize(text)) is None


def test_water_down_a_stairwell_wall_is_still_a_flood() -> None:
    assert rules.hazard(normalize("по стене в подъезде бежит вода от соседей")) == rules.FLOOD


@pytest.mark.parametrize(
    "text",
    [
        "с крыши съехал снег на мой балкон, погнуло ограждение",
        "a heap of snow slid off the roof onto our balcony",
        "плита балкона крошится, видна ржавая арматура",
        "cracks all over the balcony slab, the rebar shows",
        # a slow toilet or sink and its smell, with nothing coming out
        "the toilet flushes slowly and smells bad",
        "раковина медленно уходит и неприятно пахнет",
    ],
)
def test_snow_on_a_balcony_a_part_decaying_in_place_and_a_slow_drain_are_calm(text: str) -> None:
    assert rules.hazard(normalize(text)) is None
    assert rules.calm_look_alike(normalize(text))


@pytest.mark.parametrize(
    "text",
    [
        "с крыши сходит снег прямо на тротуар у входа",
        "the concrete is crumbling and falling onto the pavement",
        "балкон крошится, куски бетона падают вниз",
    ],
)
def test_something_coming_down_where_people_walk_is_no_look_alike(text: str) -> None:
    assert not rules.calm_look_alike(normalize(text))
    assert rules.hazard(normalize(text)) == rules.STRUCTURE
