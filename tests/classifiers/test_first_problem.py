"""A message that names several problems is labelled with its first (unless a later one is an
emergency): the shipped model, reading the whole text, may pick a later or louder problem,
so each clause is read alone and the first one the model is sure of names the category."""

from __future__ import annotations

import pytest

from classifiers.api import DEFAULT_MODEL_PATH
from classifiers.model import ClassifierModel, clauses, load
from classifiers.text import normalize


@pytest.fixture(scope="module")
def model() -> ClassifierModel:
    return load(DEFAULT_MODEL_PATH)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # problems joined by commas, by «ещё», by sentences; the later one is the louder
        ("в подъезде грязно, на пятом этаже не горит лампочка", "cleaning"),
        ("крыша протекает над кухней, в подъезде темно и не горит свет", "roof_facade"),
        ("кран в ванной капает, ещё в подъезде грязно, лампочка не горит", "water"),
        ("the stairs have not been mopped for weeks, the landing light is out too", "cleaning"),
    ],
)
def test_the_first_of_several_problems_names_the_category(
    model: ClassifierModel, text: str, first: str
) -> None:
    prediction = model.predict(text)
    assert prediction.category == first
    assert prediction.top[0] == (first, prediction.confidence)
    assert len({c for c, _ in prediction.top}) == len(prediction.top)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # one problem with its address after a comma
        ("течёт кран на кухне, кв 5", "water"),
        ("засор в ванной, вода не уходит, квартира 12", "sewerage"),
    ],
)
def test_one_problem_with_commas_keeps_its_category(
    model: ClassifierModel, text: str, category: str
) -> None:
    assert model.predict(text).category == category


def test_a_later_emergency_still_names_the_category(model: ClassifierModel) -> None:
    prediction = model.predict("на лестнице грязно, а ещё в подвале прорвало трубу, всё заливает")
    assert prediction.emergency
    assert prediction.category == "water"


def test_clauses_break_at_sentences_commas_and_added_problems_not_at_a_bare_and() -> None:
    # a clause of fewer than two words (a flat number) is none
    text = normalize("Кв 5. Лифт стоит, а также в подъезде грязно; сифон течёт и пахнет")
    assert clauses(text) == ["лифт стоит", "в подъезде грязно", "сифон течет и пахнет"]
