"""Service settings from the environment and `.env` (pydantic-settings)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from adapters.plugin import env_prefix
from adapters.registry import plugins


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///var/dispatch.db"
    # PostgreSQL: connections each process keeps open, and how many more it may open at
    # a peak (SQLAlchemy's defaults); all processes together stay under max_connections.
    database_pool_size: int = Field(5, ge=1, le=1000)
    database_max_overflow: int = Field(10, ge=0, le=1000)
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    timezone: str = "Europe/Moscow"
    demo_data: bool = True
    media_dir: Path = Path("var/media")
    # files: under MEDIA_DIR (one machine); database: in PostgreSQL, shared by every machine.
    media_store: Literal["files", "database"] = "files"
    max_photo_bytes: int = Field(10 * 1024 * 1024, ge=1024, le=50 * 1024 * 1024)
    max_photos_per_request: int = Field(10, ge=1, le=50)
    max_text_chars: int = Field(4096, ge=100, le=100_000)
    # Pillow's own guard warns above 89,478,485 decoded pixels; a higher limit would meet it first.
    max_photo_pixels: int = Field(50_000_000, ge=1_000_000, le=89_000_000)
    run_workers: bool = True
    secret_key: str = Field("", repr=False)
    classifier_model: str = ""
    classifier_threshold: float = Field(0.6, ge=0.0, le=1.0)
    delivery_max_attempts: int = Field(8, ge=1, le=100)
    inbox_max_attempts: int = Field(3, ge=1, le=100)
    # Outside a messenger's window (WhatsApp: 24 hours after the person last wrote), a
    # notice goes as the channel's template, else to the person's other messenger
    # ("template"), or to the other messenger first ("linked").
    window_fallback: Literal["template", "linked"] = "template"
    log_level: str = "INFO"
    public_url: str = ""
    # Dispatch operations: deadlines, assignment, reminders.
    norms_file: Path | None = None
    holidays_file: Path | None = None
    work_hours: str = "08:00-17:00"
    auto_assign: bool = True
    max_open_jobs: int = Field(15, ge=1, le=1000)
    sweep_interval_seconds: int = Field(60, ge=5, le=3600)
    digest_time: str = "08:00"
    autoclose_hours: int = Field(72, ge=1, le=24 * 60)
    # Reminders about a late job (and raises of an emergency nobody took) back off: the
    # first interval (emergencies around the clock, the others in working minutes), then
    # doubling up to the longest interval.
    reminder_first_minutes_emergency: int = Field(15, ge=1, le=24 * 60)
    reminder_first_minutes: int = Field(120, ge=1, le=7 * 24 * 60)
    reminder_max_minutes: int = Field(240, ge=1, le=7 * 24 * 60)
    # The digest lists as "nearly late" the requests due within this many hours.
    digest_nearly_late_hours: int = Field(4, ge=1, le=7 * 24)
    # Processed inbox rows, delivered or dead outbox rows and web chat messages older than
    # this are deleted by a sweep; 0 keeps them for ever.
    retention_days: int = Field(90, ge=0, le=36_500)
    # The staff console under /console: on or off, and how long a sign-in lasts.
    console: bool = True
    console_session_hours: int = Field(12, ge=1, le=24 * 30)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB")
        # The message never repeats the URL: it may hold a password.
        try:
            port = make_url(value).port
        except ValueError:
            raise ValueError("the URL cannot be parsed (a port that is not a number?)") from None
        if port is not None and not 1 <= port <= 65535:
            raise ValueError(f"port {port} is out of range")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("use DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @field_validator("work_hours")
    @classmethod
    def _work_hours(cls, value: str) -> str:
        from core.sla import parse_hours

        parse_hours(value)
        return value

    @field_validator("digest_time")
    @classmethod
    def _digest_time(cls, value: str) -> str:
        try:
            time.fromisoformat(value)
        except ValueError:
            raise ValueError(f"use HH:MM, got {value!r}") from None
        return value

    @field_validator("reminder_max_minutes")
    @classmethod
    def _longest_interval(cls, value: int, info: ValidationInfo) -> int:
        firsts = [
            info.data[name]
            for name in ("reminder_first_minutes_emergency", "reminder_first_minutes")
            if name in info.data
        ]
        if firsts and value < max(firsts):
            raise ValueError(
                f"the longest interval ({value}) is shorter than a first one ({max(firsts)})"
            )
        return value

    @field_validator("norms_file", "holidays_file", mode="before")
    @classmethod
    def _empty_path(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def real_data(self, channels: Mapping[str, BaseSettings]) -> bool:
        """Real residents' data: no demo, or a channel strangers can reach is on."""
        return not self.demo_data or any(
            plugin.reaches_strangers and plugin.enabled_by(channels[name])
            for name, plugin in plugins().items()
        )


class SettingsError(Exception):
    """Settings are invalid; the message is one line that names the setting."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise _one_line(exc, "") from None


def load_channel_settings(
    given: Mapping[str, BaseSettings] | None = None, *, env_file: str | None = ".env"
) -> dict[str, BaseSettings]:
    """Each registered channel's settings: those ``given`` as they are, the others read
    from the environment and ``env_file`` under the channel's own prefix."""
    given = given or {}
    known = plugins()
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise SettingsError(f"Unknown channel {unknown[0]!r}: known are {', '.join(known)}")
    loaded: dict[str, BaseSettings] = {}
    for name, plugin in known.items():
        if name in given:
            loaded[name] = given[name]
            continue
        try:
            loaded[name] = plugin.settings(_env_file=env_file)
        except ValidationError as exc:
            raise _one_line(exc, env_prefix(plugin.settings)) from None
    return loaded


def _one_line(exc: ValidationError, prefix: str) -> SettingsError:
    first = exc.errors()[0]
    name = f"{prefix}{first['loc'][0]}".upper() if first["loc"] else "settings"
    return SettingsError(f"Invalid setting {name}: {first['msg']}")
