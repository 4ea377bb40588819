"""The web chat's settings: ``WEB_*`` in the environment or ``.env``."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WEB_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    #: WEB_CHAT: the page and its API on or off.
    chat: bool = True
    posts_per_user_minute: int = Field(30, ge=1, le=100_000)
    posts_per_address_minute: int = Field(120, ge=1, le=1_000_000)
