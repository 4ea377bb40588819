"""WhatsApp's registry entry: switched on by its own settings, start links on wa.me with
the number the Cloud API reports (unless one is configured), a refused token stops the
start with one line naming the setting and never the token."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.whatsapp.settings import WhatsAppSettings
from bot.app import ConfigProblem, start_links
from bot.settings import SettingsError, load_channel_settings, load_settings
from tests.whatsapp.fake_api import TOKEN, FakeCloudApi
from tests.whatsapp.harness import whatsapp_settings


def service(tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/l.db", _env_file=None)


async def test_the_link_is_wa_me_with_the_number_the_cloud_api_reports(
    tmp_path: Path, fake: FakeCloudApi
) -> None:
    channels = load_channel_settings({"whatsapp": whatsapp_settings(fake.base)}, env_file=None)
    links = await start_links(service(tmp_path), channels, "inv-X")
    assert links["whatsapp"] == "https://wa.me/15550783881?text=%2Fstart%20inv-X"
    configured = whatsapp_settings(fake.base).model_copy(update={"phone_number": "79001234567"})
    channels = load_channel_settings({"whatsapp": configured}, env_file=None)
    links = await start_links(service(tmp_path), channels, "b-sad12-entrance2")
    assert links["whatsapp"] == "https://wa.me/79001234567?text=%2Fstart%20b-sad12-entrance2"


async def test_a_token_the_cloud_api_refuses_stops_the_start(
    tmp_path: Path, fake: FakeCloudApi
) -> None:
    fake.token = "another-token"
    channels = load_channel_settings({"whatsapp": whatsapp_settings(fake.base)}, env_file=None)
    with pytest.raises(ConfigProblem) as caught:
        await start_links(service(tmp_path), channels, "inv-X")
    assert "WHATSAPP_TOKEN" in str(caught.value) and TOKEN not in str(caught.value)


def test_the_channel_is_on_with_its_own_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not load_channel_settings(env_file=None)["whatsapp"].enabled  # type: ignore[attr-defined]
    monkeypatch.setenv("WHATSAPP_TOKEN", "EAAG-secret-token")
    monkeypatch.setenv("WHATSAPP_PHONE_NUMBER_ID", "106540352242922")
    with pytest.raises(SettingsError) as caught:
        load_channel_settings(env_file=None)
    assert "WHATSAPP_APP_SECRET" in str(caught.value) and "EAAG" not in str(caught.value)
    monkeypatch.setenv("WHATSAPP_APP_SECRET", "app-secret")
    monkeypatch.setenv("WHATSAPP_VERIFY_TOKEN", "verify")
    settings = load_channel_settings(env_file=None)["whatsapp"]
    assert isinstance(settings, WhatsAppSettings) and settings.enabled
    assert "EAAG" not in repr(settings)
