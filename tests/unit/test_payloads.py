"""The button payload codec: round trips, the 64-byte limit, junk rejected."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.payloads import MAX_BYTES, Answer, BadPayload, RequestAction, decode

TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"
tokens = st.text(alphabet=TOKEN_CHARS, min_size=1, max_size=40)
ops = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=2)
request_actions = st.builds(
    RequestAction,
    op=ops,
    request_id=st.integers(0, 10**12 - 1),
    version=st.integers(0, 10**9 - 1),
    arg=st.one_of(st.just(""), tokens),
)
answers = st.builds(Answer, step=tokens, value=tokens)


@given(st.one_of(request_actions, answers))
def test_round_trip_or_too_long(item: RequestAction | Answer) -> None:
    try:
        raw = item.encode()
    except BadPayload:
        if isinstance(item, RequestAction):
            size = len(f"v1:r:{item.op}:{item.request_id}:{item.version}:{item.arg}")
        else:
            size = len(f"v1:q:{item.step}:{item.value}")
        assert size > MAX_BYTES
        return
    assert len(raw.encode()) <= MAX_BYTES
    assert raw.startswith("v1:")
    assert decode(raw) == item


@given(
    st.builds(
        RequestAction,
        op=st.text(max_size=30),
        request_id=st.integers(),
        version=st.integers(),
        arg=st.text(max_size=60),
    )
    | st.builds(Answer, step=st.text(max_size=60), value=st.text(max_size=60))
)
def test_encode_never_exceeds_the_limit(item: RequestAction | Answer) -> None:
    try:
        raw = item.encode()
    except BadPayload:
        return
    assert len(raw.encode()) <= MAX_BYTES


@given(
    st.builds(
        RequestAction,
        op=st.text(max_size=4),
        request_id=st.integers(-5, 10**6),
        version=st.integers(-5, 10**6),
        arg=st.text(max_size=12),
    )
    | st.builds(Answer, step=st.text(max_size=12), value=st.text(max_size=12))
)
def test_whatever_encodes_also_decodes(item: RequestAction | Answer) -> None:
    """The encoder must not hand out a button its own decoder will refuse."""
    try:
        raw = item.encode()
    except BadPayload:
        return
    assert decode(raw) == item


def test_encode_examples() -> None:
    assert RequestAction("ac", 12, 3).encode() == "v1:r:ac:12:3"
    assert RequestAction("rt", 12, 0, "5").encode() == "v1:r:rt:12:0:5"
    assert Answer("cat", "water").encode() == "v1:q:cat:water"


def test_longest_fitting_payload() -> None:
    arg = "x" * 40  # the longest argument the codec takes
    request_id = int("9" * 12)  # the largest id
    version = 99  # fills the payload to exactly 64 bytes
    raw = RequestAction("ab", request_id, version, arg).encode()
    assert len(raw) == MAX_BYTES
    assert decode(raw) == RequestAction("ab", request_id, version, arg)
    with pytest.raises(BadPayload):
        RequestAction("ab", request_id, version * 10, arg).encode()
    with pytest.raises(BadPayload):
        RequestAction("ab", 1, 1, arg + "x").encode()
    with pytest.raises(BadPayload):
        Answer("s" * 30, "v" * 30).encode()


def test_bad_payload_is_a_value_error() -> None:
    assert issubclass(BadPayload, ValueError)


@given(st.text(max_size=100))
def test_decode_junk_text_raises_only_bad_payload(raw: str) -> None:
    try:
        result = decode(raw)
    except BadPayload:
        return
    assert isinstance(result, RequestAction | Answer)
    assert raw.startswith("v1:")


near_parts = st.one_of(
    st.text(max_size=8), st.sampled_from(["ab", "1", "007", "-1", "²", "٣", "１", "x y", ""])
)


@given(
    st.sampled_from(["v1", "v2", "", "V1"]),
    st.sampled_from(["r", "q", "x", ""]),
    st.lists(near_parts, max_size=5),
)
def test_decode_near_misses_raise_only_bad_payload(prefix: str, kind: str, rest: list[str]) -> None:
    raw = ":".join([prefix, kind, *rest])
    try:
        result = decode(raw)
    except BadPayload:
        return
    assert isinstance(result, RequestAction | Answer)


digitish = st.one_of(
    st.integers(0, 999).map(str),
    st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=3),
)


@given(ops, digitish, digitish)
def test_ids_are_ascii_digits_or_bad_payload(op: str, rid: str, ver: str) -> None:
    """Ids are plain ASCII digits; '²' or '١٢' are junk, not a crash or a number."""
    raw = f"v1:r:{op}:{rid}:{ver}"
    try:
        result = decode(raw)
    except BadPayload:
        return
    assert isinstance(result, RequestAction)
    assert (str(result.request_id), str(result.version)) == (
        rid.lstrip("0") or "0",
        ver.lstrip("0") or "0",
    )
    assert rid.isascii() and ver.isascii()


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "v2:r:ac:1:1",
        "V1:r:ac:1:1",
        "x:q:a:b",
        ":r:ac:1:1",
        "v1",
        "v1:r",
        "v1:r:ac",
        "v1:q:a",
        "v1:r:ac:1",
        "v1:x:ac:1:1",
    ],
)
def test_wrong_prefix_or_shape(raw: str) -> None:
    with pytest.raises(BadPayload):
        decode(raw)


@pytest.mark.parametrize(
    "raw",
    ["v1:r:ac:1:1:a:b", "v1:r:ac:1:1:a:b:c", "v1:q:a:b:c", "v1:q:a:b:"],
)
def test_too_many_parts(raw: str) -> None:
    with pytest.raises(BadPayload):
        decode(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "v1:r:ac:x:1",
        "v1:r:ac:1:x",
        "v1:r:ac:-1:1",
        "v1:r:ac:1:-1",
        "v1:r:ac:1.5:1",
        "v1:r:ac: 1:1",
        "v1:r:ac::1",
        "v1:r:ac:1:",
        "v1:r:ac:1e3:1",
        "v1:r:ac:1234567890123:1",  # 13 digits
        "v1:r:ac:1:1234567890",  # 10 digits
    ],
)
def test_non_digit_or_oversized_ids(raw: str) -> None:
    with pytest.raises(BadPayload):
        decode(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "v1:r:ac:²:1",  # superscript two: str.isdigit() is True, int() fails
        "v1:r:ac:1:³",
        "v1:r:ac:١٢:1",  # Arabic-Indic digits: int() accepts them
        "v1:r:ac:１:1",  # fullwidth digit one
    ],
    ids=["superscript-id", "superscript-version", "arabic-indic-id", "fullwidth-id"],
)
def test_non_ascii_digits_are_bad_payloads(raw: str) -> None:
    with pytest.raises(BadPayload):
        decode(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "v1:r:AC:1:1",
        "v1:r:a:1:1",
        "v1:r:acc:1:1",
        "v1:r:a1:1:1",
        "v1:r:ac:1:1:a b",
        "v1:r:ac:1:1:ж",
    ],
)
def test_bad_op_or_arg(raw: str) -> None:
    with pytest.raises(BadPayload):
        decode(raw)


@pytest.mark.parametrize(
    "raw", ["v1:q::b", "v1:q:a:", "v1:q:a b:c", "v1:q:шаг:c", "v1:q:a:" + "b" * 41]
)
def test_bad_answer(raw: str) -> None:
    with pytest.raises(BadPayload):
        decode(raw)


def test_too_long_input_is_refused_before_parsing() -> None:
    with pytest.raises(BadPayload, match="bad length"):
        decode("v1:q:a:" + "b" * 60)
    with pytest.raises(BadPayload, match="bad length"):
        decode("v1:q:a:" + "ж" * 30)  # 37 characters but 67 bytes


def test_decode_examples() -> None:
    assert decode("v1:r:ac:12:3") == RequestAction("ac", 12, 3)
    assert decode("v1:r:rt:12:0:5") == RequestAction("rt", 12, 0, "5")
    assert decode("v1:q:cat:water") == Answer("cat", "water")
