from hypothesis import given
from hypothesis import strategies as st

from core.text_safety import text_problem, without_controls


def test_ordinary_text_with_line_breaks_and_emoji_passes() -> None:
    assert text_problem("Ленина 5, кв 12\r\n\tтечёт кран 🚰") is None


def test_nul_lone_surrogate_and_controls_are_refused() -> None:
    assert "U+0000" in (text_problem("a\x00b") or "")
    assert "surrogate" in (text_problem("a\ud800b") or "")
    assert "U+001B" in (text_problem("\x1b[31m") or "")
    assert "U+0085" in (text_problem("a\x85") or "")


@given(st.text())
def test_cleaned_text_is_always_accepted_and_encodable(value: str) -> None:
    cleaned = without_controls(value)
    assert text_problem(cleaned) is None
    cleaned.encode("utf-8")
