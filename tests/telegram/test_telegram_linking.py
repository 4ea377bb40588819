"""A resident of the web chat links Telegram: notices follow them there, or to the
messenger they chose, and fall back when the chosen one is unreachable."""

from __future__ import annotations

from sqlalchemy import update

from core.storage.tables import Identity
from tests.support.harness import Harness, file_request, web_person
from tests.telegram.harness import TgHarness
from tests.test_transcript_linking import comment, link_code, told

RESIDENT = 1001


def tg_told(h: TgHarness, text: str) -> bool:
    return any(text in m.text for m in h.fake.read(RESIDENT))


async def test_telegram_linked_by_deep_link_gets_the_notices(tg_webhook: TgHarness) -> None:
    h, fake = tg_webhook, tg_webhook.fake
    web = Harness(h.app, h.client, h.clock)
    number = (await file_request(web, "res-1")).number
    code = await link_code(web, "res-1")
    await h.send(fake.text(RESIDENT, f"/start lnk-{code}"))
    assert tg_told(h, "привязан к профилю")
    await h.send(fake.text(RESIDENT, "/my"))
    assert tg_told(h, f"№{number}")
    # Telegram was used last: the notice goes there, not to the web chat.
    await comment(web, number, "мастер будет завтра")
    assert tg_told(h, "мастер будет завтра")
    assert not told(await web.read("res-1"), "мастер будет завтра")
    # The resident chooses the web chat: notices go there though Telegram is used later.
    listing = (await web.say("res-1", "/channel"))[-1]
    assert sorted(listing.labels[:2]) == ["telegram", "web"], listing.labels
    await web.press("res-1", listing.button("web"))
    h.clock.advance(minutes=5)
    await h.send(fake.text(RESIDENT, "/help"))
    fake.read(RESIDENT)
    await comment(web, number, "мастер задерживается")
    assert told(await web.read("res-1"), "мастер задерживается")
    assert not tg_told(h, "мастер задерживается")
    # Telegram chosen but unreachable (the bot was blocked): the web chat gets the notice.
    await web.press("res-1", listing.button("telegram"))
    await comment(web, number, "будем через час")
    assert tg_told(h, "будем через час")
    async with h.app.db.transaction() as session:
        await session.execute(
            update(Identity).where(Identity.channel == "telegram").values(unreachable=True)
        )
    await comment(web, number, "мастер на месте")
    assert told(await web.read("res-1"), "мастер на месте")
    assert not tg_told(h, "мастер на месте")
    # Telegram unlinked: the choice of it is forgotten, notices stay in the web chat.
    async with h.app.db.transaction() as session:
        await session.execute(
            update(Identity).where(Identity.channel == "telegram").values(unreachable=False)
        )
    await h.send(fake.text(RESIDENT, "/unlink"))
    assert tg_told(h, "отвязан")
    assert (await web_person(web, "res-1")).notify_channel == ""
    await comment(web, number, "работа выполнена")
    assert told(await web.read("res-1"), "работа выполнена")
    assert not tg_told(h, "работа выполнена")
