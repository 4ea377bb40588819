"""Telegram's start links name the bot Telegram reports (getMe) unless one is configured."""

from __future__ import annotations

from pathlib import Path

from adapters.telegram.settings import TelegramSettings
from bot.app import start_links
from bot.settings import load_channel_settings, load_settings
from tests.telegram.fake_api import TOKEN, FakeTelegram


async def test_the_link_names_the_bot_getme_reports(tmp_path: Path, fake: FakeTelegram) -> None:
    assert fake.server is not None
    settings = load_settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/l.db", _env_file=None)
    api = str(fake.server.make_url("")).rstrip("/")
    telegram = TelegramSettings(bot_token=TOKEN, api_base=api, _env_file=None)
    links = await start_links(
        settings, load_channel_settings({"telegram": telegram}, env_file=None), "inv-X"
    )
    assert links["telegram"] == "https://t.me/uk_test_bot?start=inv-X"
    assert [c.method for c in fake.calls] == ["getMe"]
