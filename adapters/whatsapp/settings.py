"""WhatsApp's settings: ``WHATSAPP_*`` in the environment or ``.env``."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.whatsapp.api import DEFAULT_BASE


class WhatsAppSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WHATSAPP_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    #: A system user's access token with whatsapp_business_messaging; with the phone
    #: number id it switches the channel on.
    token: str = Field("", repr=False)
    phone_number_id: str = Field("", pattern=r"^[0-9]{0,30}$")
    #: The Meta app's secret: every webhook POST must be signed with it.
    app_secret: str = Field("", repr=False)
    #: What Meta must send to verify the webhook (chosen by you, entered in the app).
    verify_token: str = Field("", repr=False)
    api_base: str = DEFAULT_BASE
    #: The approved template a notice goes as outside the 24-hour window, its language.
    template: str = Field("request_update", pattern=r"^[a-z0-9_]{1,512}$")
    template_language: str = Field("ru", pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")
    #: The number people write to, digits with the country code (for wa.me links);
    #: empty: asked of the Cloud API at start.
    phone_number: str = Field("", pattern=r"^[0-9]{0,20}$")
    #: Messages per second the number may send (the Cloud API's default throughput).
    max_per_second: int = Field(80, ge=1, le=1000)

    @field_validator("api_base")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("use an http:// or https:// URL")
        return value

    @model_validator(mode="after")
    def _complete(self) -> WhatsAppSettings:
        if self.token or self.phone_number_id:
            for name in ("token", "phone_number_id", "app_secret", "verify_token"):
                if not getattr(self, name):
                    raise ValueError(
                        f"WHATSAPP_{name.upper()} is needed with WHATSAPP_TOKEN and "
                        "WHATSAPP_PHONE_NUMBER_ID"
                    )
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.token and self.phone_number_id)
