from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import run_cli

from classifiers.api import Prediction, load_model
from classifiers.dataset import CATEGORIES

EMERGENCIES = [
    "пахнет газом в подъезде",
    "Сильный запах газа на кухне!!!",
    "топят соседи сверху, с потолка льет вода",
    "нас заливает сверху, вода течет по стене",
    "застряли в лифте между 5 и 6 этажом",
    "ребенок застрял в лифте",
    "искрит щиток на площадке, пахнет горелым",
    "прорвало трубу горячей воды в ванной",
    "I smell gas in the stairwell",
    "water is pouring through my ceiling from upstairs",
    "we are stuck in the lift",
]

NON_EMERGENCIES = [
    "не горит лампочка на 3 этаже",
    "почему такая большая сумма в квитанции?",
    "когда вывезут мусор",
    "лифт не работает",
    "the bill is wrong this month",
]


def _predict(lines: list[str], *extra: str) -> list[dict]:
    proc = run_cli("predict", *extra, stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode("utf-8").splitlines()
    assert len(out) == len(lines)
    return [json.loads(line) for line in out]


def test_help_lists_commands():
    proc = run_cli("--help")
    assert proc.returncode == 0
    text = proc.stdout.decode()
    for command in ("predict", "train", "eval"):
        assert command in text


def test_predict_contract_order_and_empty_line():
    lines = [
        "нет горячей воды третий день",
        "",
        "лифт не работает",
        "почему такая сумма в квитанции",
        "   ",
        "в подъезде крысы",
    ]
    records = _predict(lines)
    for rec in records:
        assert set(rec) == {"category", "confidence", "emergency", "top", "hazard"}
        assert rec["hazard"] is None or rec["emergency"] is True
        assert rec["category"] in CATEGORIES
        assert 0.0 <= rec["confidence"] <= 1.0
        assert isinstance(rec["emergency"], bool)
        assert len(rec["top"]) == 3
        assert rec["top"][0][0] == rec["category"]
        assert rec["top"][0][1] == rec["confidence"]
        probs = [p for _, p in rec["top"]]
        assert probs == sorted(probs, reverse=True)
    assert [r["category"] for r in records] == [
        "water",
        "other",
        "elevator",
        "billing",
        "other",
        "pests",
    ]
    for empty in (records[1], records[4]):
        assert empty["confidence"] < 0.2
        assert empty["emergency"] is False
    assert records[0]["confidence"] > 0.5


def test_predict_handles_crlf_and_invalid_utf8():
    proc = run_cli("predict", stdin=b"\xff\xfe broken\r\n\xd0\xbb\xd0\xb8\xd1\x84\xd1\x82\r\n")
    assert proc.returncode == 0, proc.stderr.decode()
    out = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert len(out) == 2
    assert out[1]["category"] == "elevator"


def test_emergencies_flagged_and_calm_messages_not():
    records = _predict(EMERGENCIES + NON_EMERGENCIES)
    flagged = [r["emergency"] for r in records]
    assert flagged[: len(EMERGENCIES)] == [True] * len(EMERGENCIES)
    assert flagged[len(EMERGENCIES) :] == [False] * len(NON_EMERGENCIES)


def test_api_prediction_and_cache():
    model = load_model()
    assert load_model() is model
    p = model.predict("пахнет газом в подъезде")
    assert isinstance(p, Prediction)
    assert p.category == "gas"
    assert p.emergency is True
    assert isinstance(p.top, tuple) and len(p.top) == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.category = "other"  # type: ignore[misc]
    many = model.predict_many(["лифт не работает", "", "no hot water"])
    assert [m.category for m in many] == ["elevator", "other", "water"]
    assert model.predict("") == many[1]
