"""The demo's SECRET_KEY: generated once beside MEDIA_DIR, so a photo link one process
signed opens in another process and after a restart."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path

from bot.app import with_signing_key
from bot.settings import Settings, load_settings
from tests.support.harness import FakeClock, Harness, serve


def demo_settings(tmp_path: Path, **overrides: object) -> Settings:
    return load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/svc.db",
        media_dir=tmp_path / "var" / "media",
        demo_data=True,
        _env_file=None,
        **overrides,
    )


def process(settings: Settings, clock: FakeClock) -> AbstractAsyncContextManager[Harness]:
    """One service process's app, as ``python -m bot`` builds it."""
    return serve(with_signing_key(settings), clock)


async def photo_link(h: Harness) -> str:
    """A resident files with a photo; the summary shows it through a signed link."""
    replies = await h.photo("res-2")
    replies = await h.press("res-2", replies[-1].button("Садовая"))
    replies = await h.say("res-2", "на балконе трещина в плите, кусок бетона упал вниз")
    replies = await h.press("res-2", replies[-1].button("Крыша и фасад"))
    replies = await h.press("res-2", replies[-1].button("Готово"))
    [link] = replies[-1].photos
    return link


async def test_a_link_opens_in_another_process_and_after_a_restart(
    tmp_path: Path, clock: FakeClock
) -> None:
    settings = demo_settings(tmp_path)
    async with process(settings, clock) as first:
        link = await photo_link(first)
        served = await first.client.get(link)
        assert served.status == 200
        photo = await served.read()
        assert photo.startswith(b"\xff\xd8")  # stored re-encoded as JPEG
        async with process(settings, clock) as second:
            response = await second.client.get(link)
            assert response.status == 200
            assert await response.read() == photo
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    async with process(settings, clock) as restarted:
        assert (await restarted.client.get(link)).status == 200
    other_key = demo_settings(tmp_path, secret_key="another-key-" + "x" * 30)
    async with process(other_key, clock) as stranger:
        assert (await stranger.client.get(link)).status == 403
