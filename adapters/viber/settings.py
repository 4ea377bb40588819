"""Viber's settings: ``VIBER_*`` in the environment or ``.env``."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.viber.api import DEFAULT_BASE


class ViberSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VIBER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    #: The bot's token (its "app key"); the channel is on when it is set.
    auth_token: str = Field("", repr=False)
    #: The sender name shown on every message (Viber allows 28 characters); empty: the
    #: bot's name from get_account_info.
    bot_name: str = Field("", max_length=28)
    #: URL of the sender's avatar (at most 100 KB); empty: none.
    bot_avatar: str = ""
    #: The public URL Viber calls (it ends in /viber/webhook); empty: PUBLIC_URL's.
    webhook_url: str = ""
    #: The bot's URI for deep links (viber://pa?chatURI=...); empty: get_account_info's.
    uri: str = Field("", pattern=r"^[A-Za-z0-9_.\-]{0,100}$")
    api_base: str = DEFAULT_BASE

    @field_validator("webhook_url", "bot_avatar", "api_base")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and (
            urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc
        ):
            raise ValueError("use an http:// or https:// URL")
        return value
