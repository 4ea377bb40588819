"""Telegram's settings: ``TELEGRAM_*`` in the environment or ``.env``."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

CHANNEL = "telegram"
#: The header Telegram sends the webhook secret in, and the webhook's default local path.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
DEFAULT_PATH = "/telegram/webhook"


class TelegramSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TELEGRAM_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    #: The channel is on when a token is set.
    bot_token: str = Field("", repr=False)
    #: Public HTTPS URL of the webhook; empty: long polling.
    webhook_url: str = ""
    webhook_secret: str = Field("", repr=False)
    api_base: str = "https://api.telegram.org"
    #: The bot's @username for start links; empty: asked of Telegram (getMe) at start.
    bot_username: str = Field("", pattern=r"^@?[A-Za-z0-9_]{0,64}$")
    # Telegram's published send limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits).
    max_per_second: int = Field(30, ge=1, le=10_000)
    max_per_chat_second: int = Field(1, ge=1, le=10_000)
    max_per_group_minute: int = Field(20, ge=1, le=100_000)
