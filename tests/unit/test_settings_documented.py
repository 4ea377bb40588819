"""Every setting is documented in .env.example and the README's configuration table."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_env_example_and_readme() -> None:
    names = {name.upper() for name in Settings.model_fields}
    example = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text("utf-8"), re.M))
    readme = (ROOT / "README.md").read_text("utf-8")
    assert names - example == set()
    assert {n for n in names if f"`{n}`" not in readme} == set()
