"""What a string from outside must not hold before it is stored or shown.

Every channel's edge checks user text with :func:`text_problem`: a NUL cannot be
stored in a PostgreSQL text or JSON value, a lone surrogate cannot be encoded as
UTF-8 at all, and other control characters corrupt what staff and residents see.
Line breaks and tabs are ordinary text.
"""

from __future__ import annotations

import re

#: C0 controls except tab, line feed and carriage return; DEL; C1 controls;
#: the UTF-16 surrogate range (only lone surrogates reach a Python str).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be accepted (a short English reason), or None if it can."""
    found = _FORBIDDEN.search(value)
    if found is None:
        return None
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        return "text holds a lone surrogate (not valid Unicode)"
    return f"text holds the control character U+{ord(char):04X}"


def without_controls(value: str) -> str:
    """``value`` with every forbidden character removed (for names and captions that
    a messenger sent and that are not worth refusing a whole message for)."""
    return _FORBIDDEN.sub("", value)
