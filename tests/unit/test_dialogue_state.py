"""The dialogues' typed state and its JSON in ``conversations.state``.

``recorded_dialogue_states.json`` holds states as the dialogues stored them while they
kept plain dicts (recorded by running those dialogues through the web chat): a deploy
must not lose a conversation that is halfway through.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.conversations.dispatcher import DispatcherState
from bot.conversations.dispatcher import Question as DispatcherQuestion
from bot.conversations.resident.draft import Draft, FollowUp, ResidentState, Step
from bot.conversations.state import DialogueState, Pending
from bot.conversations.technician import Question as TechnicianQuestion
from bot.conversations.technician import TechnicianState
from core.model import Urgency

RECORDED: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "recorded_dialogue_states.json").read_text(encoding="utf-8")
)
STATES: dict[str, type[DialogueState]] = {
    "resident": ResidentState,
    "technician": TechnicianState,
    "dispatcher": DispatcherState,
}


def state_class(name: str) -> type[DialogueState]:
    return STATES[name.partition("_")[0]]


def without_empty(raw: Any) -> Any:
    """The JSON with empty lists and strings left out (the typed state omits defaults)."""
    if isinstance(raw, dict):
        return {k: without_empty(v) for k, v in raw.items() if v not in ([], "")}
    return raw


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_a_recorded_state_loads_whole_and_saves_as_it_was(name: str) -> None:
    raw = RECORDED[name]
    state, whole = state_class(name).load(raw)
    assert whole
    assert state.to_json() == without_empty(raw)


def test_the_recorded_states_read_as_typed_fields() -> None:
    confirm, _ = ResidentState.load(RECORDED["resident_confirm"])
    assert confirm.step is Step.CONFIRM and confirm.greeted
    assert confirm.draft.building_id == 1 and confirm.draft.location == "apartment:12"
    assert confirm.draft.category == "water" and confirm.draft.urgency is Urgency.NORMAL
    assert confirm.draft.photos_done and confirm.draft.phone_done and confirm.pending is None
    floor, _ = ResidentState.load(RECORDED["resident_floor_entrance"])
    assert floor.draft.location_kind == "floor" and floor.draft.location_floor == 5

    guess, _ = ResidentState.load(RECORDED["resident_category_guess_emergency"])
    assert guess.draft.suggest is not None and guess.draft.suggest.top[0] == ("water", 0.8729)
    assert guess.draft.urgency is Urgency.EMERGENCY

    cancel, _ = ResidentState.load(RECORDED["resident_cancel_reason"])
    assert cancel.pending == Pending(FollowUp.CANCEL, 2) and cancel.step is None

    postpone, _ = TechnicianState.load(RECORDED["technician_postpone_date"])
    assert postpone.pending == Pending(
        TechnicianQuestion.POSTPONE_DATE, 1, [], "нет нужной прокладки, заказал"
    )
    reject, _ = DispatcherState.load(RECORDED["dispatcher_reject_reason"])
    assert reject.pending == Pending(DispatcherQuestion.REJECT, 2)


def test_a_loaded_state_shares_nothing_with_what_is_stored() -> None:
    """The turn changes its state in place; the stored JSON must stay as it was, or the
    change would not be seen as one and not be saved."""
    raw = RECORDED["resident_description_with_photo"]
    before = json.dumps(raw)
    state, _ = ResidentState.load(raw)
    state.draft.photos.append("another")
    state.draft.building_id = 3
    assert json.dumps(raw) == before


def test_a_fresh_state_saves_nothing_but_an_empty_draft() -> None:
    assert ResidentState.load(None) == (ResidentState(), True)
    assert ResidentState().to_json() == {"draft": {}}
    assert TechnicianState().to_json() == {} and DispatcherState().to_json() == {}
    assert Draft().to_json() == {}


UNREADABLE: list[tuple[type[DialogueState], Any]] = [
    (ResidentState, ["step", "building"]),
    (ResidentState, "building"),
    (ResidentState, {"lang": "en", "step": "somewhere"}),
    (ResidentState, {"lang": "en", "draft": "Ленина 5"}),
    (ResidentState, {"lang": "en", "draft": {"building_id": "1"}}),
    (ResidentState, {"lang": "en", "draft": {"building_id": True}}),
    (ResidentState, {"lang": "en", "draft": {"photos": [1, 2]}}),
    (ResidentState, {"lang": "en", "draft": {"category": "weather"}}),
    (ResidentState, {"lang": "en", "draft": {"suggest": {"category": "water", "top": [1]}}}),
    (ResidentState, {"lang": "en", "pending": {"op": "comment"}}),
    (ResidentState, {"lang": "en", "pending": {"op": "postpone_date", "rid": 1}}),
    (TechnicianState, {"lang": "en", "pending": {"op": "comment", "rid": 1}}),
    (TechnicianState, {"lang": "en", "pending": {"op": "done", "rid": 1, "photos": "x"}}),
    (DispatcherState, {"lang": "en", "pending": ["rj", 1]}),
    (DispatcherState, {"lang": "en", "greeted": "yes"}),
]


@pytest.mark.parametrize(("kind", "raw"), UNREADABLE)
def test_an_unreadable_state_starts_afresh_in_the_language_it_had(
    kind: type[DialogueState], raw: Any
) -> None:
    state, whole = kind.load(raw)
    assert not whole
    assert state == kind(lang="en" if isinstance(raw, dict) else "")


def test_an_unknown_language_is_not_kept() -> None:
    state, whole = ResidentState.load({"lang": "xx", "greeted": True, "step": "nowhere"})
    assert not whole and state == ResidentState(greeted=True)


#: Keys the dialogues store, so that fuzzed states reach past the first check.
KEYS = ["lang", "greeted", "step", "draft", "pending", "op", "rid", "photos", "text", "top"]
KEYS += ["building_id", "location", "category", "suggest", "duplicate_ids"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(KEYS),
            inner,
            max_size=5,
        )
    ),
    max_leaves=12,
)


@pytest.mark.parametrize("kind", sorted(STATES.values(), key=lambda k: k.__name__))
@given(raw=JSON)
def test_whatever_is_stored_loads_and_saves_without_an_error(
    kind: type[DialogueState], raw: Any
) -> None:
    state, _ = kind.load(raw)
    saved = state.to_json()
    assert json.loads(json.dumps(saved)) == saved
    assert kind.load(saved) == (state, True)
