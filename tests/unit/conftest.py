"""Unit-test setup.

When a hypothesis test fails, hypothesis imports libcst to suggest an explicit
example, and libcst's import triggers a DeprecationWarning (mypy_extensions.TypedDict).
Under ``filterwarnings = error`` that turns a plain test failure into a pytest
INTERNALERROR, so import libcst once here with that warning silenced.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import libcst  # noqa: F401
    except ImportError:  # pragma: no cover - libcst is optional
        pass
