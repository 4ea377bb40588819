"""Unit-test setup.

When a hypothesis test fails, hypothesis imports libcst to suggest an explicit
example, and libcst's import triggers a DeprecationWarning (mypy_extensions.TypedDict).
Under ``filterwarnings = error`` that turns a plain test failure into a pytest
INTERNALERROR, so import libcst once here with that warning silenced.
"""

from __future__ import annotations

import contextlib
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with contextlib.suppress(ImportError):  # libcst is optional
        import libcst  # noqa: F401
