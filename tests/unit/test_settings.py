"""Settings: a bad value is one clear line naming the setting, in code and on the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import load_sla
from bot.settings import Settings, SettingsError, load_settings
from core.model import Status
from core.reminders import Facts, due
from core.sla import SlaPolicy

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_ENV = [name.upper() for name in Settings.model_fields]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No stray PORT/DATABASE_URL from the outer environment, no .env file."""
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults() -> None:
    settings = load_settings()
    assert settings.port == 8080
    assert settings.timezone == "Europe/Moscow"
    assert settings.tz.key == "Europe/Moscow"
    assert settings.database_url.startswith("sqlite+aiosqlite://")


def test_values_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9000")
    monkeypatch.setenv("TIMEZONE", "Asia/Yekaterinburg")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u@h/db")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = load_settings()
    assert (settings.port, settings.timezone, settings.log_level) == (
        9000,
        "Asia/Yekaterinburg",
        "DEBUG",
    )
    assert settings.database_url == "postgresql+asyncpg://u@h/db"


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PORT=8181\n", encoding="utf-8")
    assert load_settings().port == 8181


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "notaport"),
        ("PORT", "0"),
        ("PORT", "70000"),
        ("TIMEZONE", "Mars/Olympus"),
        ("TIMEZONE", "../../etc/passwd"),
        ("TIMEZONE", ""),
        ("DATABASE_URL", "mysql://x"),
        ("DATABASE_URL", "sqlite:///plain-sync.db"),
        ("DATABASE_URL", "postgresql://u@h/db"),
        ("LOG_LEVEL", "LOUD"),
        ("MAX_PHOTO_BYTES", "1"),
        ("CLASSIFIER_THRESHOLD", "1.5"),
        ("DEMO_DATA", "maybe"),
        ("DATABASE_POOL_SIZE", "0"),
        ("DATABASE_POOL_SIZE", "lots"),
        ("DATABASE_MAX_OVERFLOW", "-1"),
        ("REMINDER_FIRST_MINUTES_EMERGENCY", "0"),
        ("REMINDER_FIRST_MINUTES", "often"),
        ("REMINDER_MAX_MINUTES", "60"),  # shorter than the first interval of 120
        ("DIGEST_NEARLY_LATE_HOURS", "0"),
    ],
)
def test_bad_env_value(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"Invalid setting {name}: ")
    assert error.value.__cause__ is None
    assert error.value.__suppress_context__


@pytest.mark.parametrize(
    ("override", "name"),
    [
        ({"port": "notaport"}, "PORT"),
        ({"timezone": "Nowhere/City"}, "TIMEZONE"),
        ({"database_url": "mysql://x"}, "DATABASE_URL"),
    ],
)
def test_bad_override(override: dict[str, object], name: str) -> None:
    with pytest.raises(SettingsError, match=rf"^Invalid setting {name}: [^\n]+$"):
        load_settings(**override)


def test_timezone_message_names_the_value() -> None:
    with pytest.raises(SettingsError, match="Mars/Olympus"):
        load_settings(timezone="Mars/Olympus")


def test_two_bad_settings_still_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "x")
    monkeypatch.setenv("TIMEZONE", "y")
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert "\n" not in str(error.value)


# -- the command line ---------------------------------------------------------


def run_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PYTHONPATH": str(ROOT), "PATH": os.environ.get("PATH", ""), "DEMO_DATA": "0"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**base, **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_bad_port_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "migrate", PORT="notaport")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "PORT" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "var").exists()  # nothing was created


def test_cli_bad_database_url(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "migrate", DATABASE_URL="mysql://x")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "DATABASE_URL" in result.stderr


def test_cli_bad_pool_size_stops_the_start(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "serve", DATABASE_POOL_SIZE="0")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("Invalid setting DATABASE_POOL_SIZE: ")


def test_cli_help_lists_the_commands(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "--help")
    assert result.returncode == 0
    for command in ("serve", "migrate", "admin"):
        assert command in result.stdout


def test_cli_admin_help_lists_actions(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "admin", "--help")
    assert result.returncode == 0
    for action in (
        "import-buildings",
        "import-staff",
        "invite",
        "export-training",
        "export-duplicate-pairs",
    ):
        assert action in result.stdout


def test_cli_migrate(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/cli.db"
    result = run_bot(tmp_path, "migrate", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "cli.db").exists()


def test_cli_bad_reminder_interval_is_one_line(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "migrate", REMINDER_MAX_MINUTES="10")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "REMINDER_MAX_MINUTES" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_the_reminder_settings_reach_the_back_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Defaults unchanged; the settings decide when a late emergency's reminders go."""
    default = load_sla(load_settings())
    assert default.overdue_interval("emergency") == timedelta(minutes=15)
    assert default.overdue_interval("normal") == timedelta(minutes=120)
    assert default.backoff_cap == timedelta(hours=4)
    monkeypatch.setenv("REMINDER_FIRST_MINUTES_EMERGENCY", "5")
    monkeypatch.setenv("REMINDER_FIRST_MINUTES", "20")
    monkeypatch.setenv("REMINDER_MAX_MINUTES", "20")
    tuned = load_sla(load_settings())
    assert tuned.overdue_interval("urgent") == timedelta(minutes=20)

    filed = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    facts = Facts(1, "water", "emergency", Status.IN_PROGRESS, filed, filed, 7, filed, 1)

    def reminders_in_a_day(sla: SlaPolicy) -> int:
        periods = {
            item.period
            for minute in range(0, 24 * 60, 1)
            for item in due(facts, filed + timedelta(minutes=minute), sla, timedelta(days=3))
            if item.action == "remind_overdue"
        }
        return len(periods)

    # Late from the localisation clock (30 minutes); reminders at 30, 45, 75, 135, 255
    # minutes, then every 4 hours: 9 in the first day.
    assert reminders_in_a_day(default) == 9
    # At 30, 35, 45, then every 20 minutes (65 ... 1425): 3 + 69.
    assert reminders_in_a_day(tuned) == 72
