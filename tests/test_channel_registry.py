"""The channel registry: adapters found by their folders, settings under each channel's
own prefix, start links, and a new messenger plugged in without a line of bot/ or core/."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

import adapters
from adapters.registry import plugins
from adapters.telegram.settings import TelegramSettings
from adapters.web.settings import WebSettings
from bot import admin
from bot.app import start_links
from bot.settings import SettingsError, load_channel_settings, load_settings
from core.storage.tables import InboxItem
from tests.support.harness import FakeClock, make_harness

CHANNEL_ENV = [
    f"{prefix}{name}".upper()
    for prefix, model in (("TELEGRAM_", TelegramSettings), ("WEB_", WebSettings))
    for name in model.model_fields
]

FAKECHAT = '''
"""A messenger that exists only in this test: an inbound route and a recording channel."""

from aiohttp import web
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.plugin import BuiltChannel, ChannelPlugin, Ports
from core.channel import Capabilities, Delivered, EventKind, InboundEvent, OutboundMessage


class FakechatSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FAKECHAT_", extra="ignore")
    token: str = ""


class FakechatChannel:
    name = "fakechat"
    capabilities = Capabilities(max_buttons=3, max_button_text=20)

    def __init__(self) -> None:
        self.sent: list[tuple[str, OutboundMessage]] = []

    async def send(self, chat: str, message: OutboundMessage, *, edit_of: str = "") -> Delivered:
        self.sent.append((chat, message))
        return Delivered(str(len(self.sent)))


def build(settings: FakechatSettings, ports: Ports) -> BuiltChannel:
    channel = FakechatChannel()

    async def hook(request: web.Request) -> web.Response:
        body = await request.json()
        user = str(body["from"])
        event = InboundEvent(
            "fakechat", str(body["id"]), user, user, EventKind.TEXT, ports.clock(),
            text=str(body["text"]),
        )
        accepted = await ports.intake.accept(event)
        return web.json_response({"new": accepted.new})

    return BuiltChannel(
        channel,
        start_link=lambda payload: f"fakechat://bot?start={payload}",
        routes=[web.post("/fakechat/hook", hook)],
    )


PLUGIN = ChannelPlugin(
    name="fakechat",
    settings=FakechatSettings,
    enabled=lambda settings: bool(settings.token),
    build=build,
)
'''


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in CHANNEL_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def fakechat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A new adapter folder, ``adapters/fakechat/``, and nothing else changed."""
    folder = tmp_path / "extra_adapters" / "fakechat"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("", encoding="utf-8")
    (folder / "plugin.py").write_text(textwrap.dedent(FAKECHAT), encoding="utf-8")
    monkeypatch.setattr(adapters, "__path__", [*adapters.__path__, str(folder.parent)])
    plugins.cache_clear()
    try:
        yield
    finally:
        plugins.cache_clear()
        for name in [m for m in sys.modules if m.startswith("adapters.fakechat")]:
            del sys.modules[name]


def test_the_registry_finds_every_adapter_folder() -> None:
    assert list(plugins()) == ["telegram", "viber", "web", "whatsapp"]
    messengers = ("telegram", "viber", "whatsapp")
    assert all(plugins()[name].reaches_strangers for name in messengers)
    assert not plugins()["web"].reaches_strangers


def test_channel_settings_keep_their_environment_names(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:SECRET")
    monkeypatch.setenv("TELEGRAM_MAX_PER_SECOND", "7")
    monkeypatch.setenv("WEB_CHAT", "0")
    monkeypatch.setenv("WEB_POSTS_PER_USER_MINUTE", "3")
    (tmp_path / ".env").write_text(
        "TELEGRAM_WEBHOOK_URL=https://x.test/hook\nWEB_POSTS_PER_ADDRESS_MINUTE=9\n",
        encoding="utf-8",
    )
    channels = load_channel_settings()
    telegram, web = channels["telegram"], channels["web"]
    assert isinstance(telegram, TelegramSettings) and isinstance(web, WebSettings)
    assert (telegram.bot_token, telegram.max_per_second) == ("123:SECRET", 7)
    assert telegram.webhook_url == "https://x.test/hook"
    assert (web.chat, web.posts_per_user_minute, web.posts_per_address_minute) == (False, 3, 9)
    assert "SECRET" not in repr(telegram) and "SECRET" not in str(channels)
    assert load_channel_settings(env_file=None)["web"].posts_per_address_minute == 120


@pytest.mark.parametrize(
    ("name", "value"),
    [("TELEGRAM_MAX_PER_SECOND", "0"), ("WEB_CHAT", "maybe"), ("TELEGRAM_BOT_USERNAME", "a b")],
)
def test_a_bad_channel_setting_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=rf"^Invalid setting {name}: [^\n]+$"):
        load_channel_settings()


def test_real_data_when_a_channel_reaches_strangers(monkeypatch: pytest.MonkeyPatch) -> None:
    demo = load_settings(demo_data=True, _env_file=None)
    assert not demo.real_data(load_channel_settings())
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:ABC")
    assert demo.real_data(load_channel_settings())
    assert load_settings(demo_data=False, _env_file=None).real_data(load_channel_settings())


async def test_web_chat_off_serves_no_page_and_no_api(tmp_path: Path, clock: FakeClock) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/svc.db"
    off = {"web": WebSettings(chat=False, _env_file=None)}
    async with make_harness(url, tmp_path, clock, channels=off) as h:
        assert h.app.built["web"].start_link("inv-1") == ""
        assert (await h.client.get("/")).status == 404
        assert (await h.client.post("/api/web/messages", json={})).status == 404
        assert (await h.client.get("/healthz")).status == 200


async def test_start_links_of_the_enabled_channels(tmp_path: Path) -> None:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/links.db",
        public_url="https://dispatch.example.org/",
        _env_file=None,
    )
    telegram = TelegramSettings(
        bot_token="1:A", bot_username="@uk_bot", api_base="http://127.0.0.1:9", _env_file=None
    )
    channels = load_channel_settings({"telegram": telegram}, env_file=None)
    links = await start_links(settings, channels, "inv-A_b")
    # Telegram's check (getMe) cannot reach its server here: the start goes on, and the
    # configured username makes the link.
    assert links == {
        "telegram": "https://t.me/uk_bot?start=inv-A_b",
        "web": "https://dispatch.example.org/?start=inv-A_b",
    }


async def test_groups_bind_only_in_channels_the_registry_knows(
    tmp_path: Path, clock: FakeClock
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/svc.db"
    async with make_harness(url, tmp_path, clock) as h:
        await admin.bind_group(h.app.db, "telegram", "-100", clock())
        with pytest.raises(admin.ImportProblem, match="unknown channel 'max'"):
            await admin.bind_group(h.app.db, "max", "-100", clock())


async def test_staff_bind_an_identity_in_each_channel_column(
    tmp_path: Path, clock: FakeClock
) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "code,name,role,trade,phone,web_id,telegram_id\n"
        "t9,Пётр Орлов,technician,сантехник,,tech-9,5551\n",
        encoding="utf-8",
    )
    url = f"sqlite+aiosqlite:///{tmp_path}/svc.db"
    async with make_harness(url, tmp_path, clock) as h:
        await admin.import_staff(h.app.db, staff, clock())
        listing = "\n".join(await admin.list_staff(h.app.db))
    assert "web:tech-9" in listing and "telegram:5551" in listing


async def test_a_new_messenger_is_a_folder_and_nothing_else(
    fakechat: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, clock: FakeClock
) -> None:
    assert "fakechat" in plugins()
    monkeypatch.setenv("FAKECHAT_TOKEN", "on")
    url = f"sqlite+aiosqlite:///{tmp_path}/svc.db"
    async with make_harness(url, tmp_path, clock) as h:
        channel = h.app.channels["fakechat"]
        for _ in range(2):  # delivered twice: stored once
            response = await h.client.post(
                "/fakechat/hook", json={"id": 1, "from": "u-77", "text": "Здравствуйте"}
            )
            assert response.status == 200
        await h.settle()
        sent = channel.sent  # type: ignore[attr-defined]
        assert sent and all(chat == "u-77" for chat, _ in sent)
        async with h.app.db.reading() as session:
            stored = await session.scalar(
                select(func.count()).where(InboxItem.channel == "fakechat")
            )
        assert stored == 1
        assert h.app.built["fakechat"].start_link("inv-1") == "fakechat://bot?start=inv-1"
    demo = load_settings(demo_data=True, _env_file=None)
    assert demo.real_data(load_channel_settings(env_file=None))  # it reaches strangers
