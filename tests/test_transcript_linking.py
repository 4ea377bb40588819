"""Linking messengers through the web chat: two web identities stand for two messengers."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from core.linking import MAX_FAILURES
from core.storage.tables import Identity, LinkCode, Person, Request
from tests.support.harness import Harness, Message, file_request, web_person

GROUP = "dispatch"
_CODE = re.compile(r"/link ([A-Z0-9]{4}-[A-Z0-9]{4})")


async def link_code(h: Harness, user: str) -> str:
    replies = await h.say(user, "/link")
    match = _CODE.search(replies[-1].text)
    assert match, replies[-1].text
    assert "10 минут" in replies[-1].text
    return match.group(1)


async def comment(h: Harness, number: int, text: str) -> None:
    """A dispatcher's comment on a request: a notice to its resident."""
    shown = await h.say("disp-1", f"/show {number}", chat=GROUP)
    await h.press("disp-1", shown[0].button("Комментарий"), chat=GROUP)
    await h.say("disp-1", text, chat=GROUP)


def told(messages: list[Message], text: str) -> bool:
    return any(text in m.text for m in messages)


async def test_a_linked_messenger_sees_the_requests_and_gets_the_notices(
    any_harness: Harness,
) -> None:
    h = any_harness
    number = (await file_request(h, "res-1")).number
    code = await link_code(h, "res-1")
    async with h.app.db.reading() as session:
        stored = list(await session.scalars(select(LinkCode.code_hash)))
    assert stored and code.replace("-", "") not in " ".join(stored)  # kept hashed only
    # The code typed in lower case with the Cyrillic keyboard's look-alike letters works too.
    typed = code.lower().translate(str.maketrans("abcekmhoptxy", "авсекмнортху"))
    replies = await h.say("phone-1", f"/link {typed}")
    assert "привязан к профилю" in replies[-1].text, replies[-1].text
    assert (await web_person(h, "phone-1")).id == (await web_person(h, "res-1")).id
    assert f"№{number}" in " ".join(m.text for m in await h.say("phone-1", "/my"))
    # Notices go to the messenger used last...
    await comment(h, number, "мастер будет завтра с 9 до 12")
    assert told(await h.read("phone-1"), "с 9 до 12")
    assert not told(await h.read("res-1"), "с 9 до 12")
    # ...which is the first one again once the resident writes there.
    h.clock.advance(minutes=1)
    await h.say("res-1", "/help")
    await comment(h, number, "мастер задерживается")
    assert told(await h.read("res-1"), "задерживается")
    assert not told(await h.read("phone-1"), "задерживается")
    # The code worked once.
    replies = await h.say("phone-2", f"/link {code}")
    assert "Код не подошёл" in replies[-1].text
    assert (await web_person(h, "phone-2")).id != (await web_person(h, "res-1")).id


async def test_linking_a_messenger_that_filed_requests_brings_them_along(
    harness: Harness,
) -> None:
    h = harness
    mine = (await file_request(h, "res-1")).number
    theirs = (
        await file_request(h, "phone-1", "Садовая 12 кв 45 не работает домофон", "Двери и домофон")
    ).number
    await h.say("phone-1", "я тут кое-что начал")  # a half-told new request
    code = await link_code(h, "res-1")
    replies = await h.say("phone-1", f"привязать {code}")
    assert "привязан к профилю" in replies[-1].text
    listing = " ".join(m.text for m in await h.say("res-1", "/my"))
    assert f"№{mine}" in listing and f"№{theirs}" in listing
    async with h.app.db.reading() as session:
        persons = await session.scalar(select(func.count()).select_from(Person))
        authors = set(await session.scalars(select(Request.reporter_id)))
    assert authors == {(await web_person(h, "res-1")).id}
    # The merged-in person is gone, not left behind empty.
    async with h.app.db.reading() as session:
        left = await session.scalar(
            select(func.count())
            .select_from(Person)
            .where(~Person.id.in_(select(Identity.person_id)), Person.role == "resident")
        )
    assert left == 0 and persons
    # The linked messenger starts clean: no half-told request is waiting there.
    replies = await h.say("phone-1", "/cancel")
    assert "нечего отменять" in replies[-1].text, replies[-1].text
    # The resident's status changes reach whichever messenger they use.
    await comment(h, theirs, "домофон починят сегодня")
    assert told(await h.read("phone-1"), "домофон починят")


async def test_wrong_expired_and_replaced_codes_are_refused(harness: Harness) -> None:
    h = harness
    code = await link_code(h, "res-1")
    h.clock.advance(minutes=11)
    replies = await h.say("phone-1", f"/link {code}")
    assert "устарел" in replies[-1].text
    old = await link_code(h, "res-1")
    new = await link_code(h, "res-1")  # asking again replaces the earlier code
    assert "Код не подошёл" in (await h.say("phone-1", f"/link {old}"))[-1].text
    assert "привязан к профилю" in (await h.say("phone-1", f"/link {new}"))[-1].text
    # Garbage is a polite refusal, not a crash.
    for junk in ("/link Ж!", "/link " + "Ж" * 500, "/start lnk-", "/start lnk-" + "9" * 40):
        replies = await h.say("phone-2", junk)
        assert "Код не подошёл" in replies[-1].text, (junk, replies[-1].text)


async def test_guessing_codes_is_cut_short(harness: Harness) -> None:
    h = harness
    code = await link_code(h, "res-1")
    for attempt in range(1, MAX_FAILURES + 1):
        replies = await h.say("guesser", f"/link AAAA-{attempt:04d}".replace("1", "2"))
        wanted = "Слишком много" if attempt == MAX_FAILURES else "Код не подошёл"
        assert wanted in replies[-1].text, (attempt, replies[-1].text)
    # Even the right code is refused while the identity waits.
    replies = await h.say("guesser", f"/link {code}")
    assert "Слишком много" in replies[-1].text and "24.11.2026 10:15" in replies[-1].text
    # Another messenger is not held up by the guesser's lock.
    assert "привязан" in (await h.say("phone-1", f"/link {code}"))[-1].text
    # A used code counts as a wrong one.
    for _ in range(MAX_FAILURES):
        replies = await h.say("reuser", f"/link {code}")
    assert "Слишком много" in replies[-1].text
    h.clock.advance(minutes=16)
    code = await link_code(h, "res-1")
    assert "привязан" in (await h.say("guesser", f"/start lnk-{code}"))[-1].text


async def test_linking_never_moves_or_grants_staff_rights(harness: Harness) -> None:
    h = harness
    await h.say("res-1", "/help")
    resident_code = await link_code(h, "res-1")
    # A technician's messenger cannot be taken over by a resident's code.
    replies = await h.say("tech-1", f"/link {resident_code}")
    assert "учётной записи сотрудника" in replies[-1].text
    assert (await web_person(h, "tech-1")).role == "technician"
    assert "нет открытых заданий" in (await h.say("tech-1", "/jobs"))[-1].text
    # A technician's code does not bind a messenger that filed requests...
    tech_code = await link_code(h, "tech-1")
    await file_request(h, "res-2")
    replies = await h.say("res-2", f"/link {tech_code}")
    assert "не подавали заявок" in replies[-1].text
    assert (await web_person(h, "res-2")).role == "resident"
    # ...but does bind a fresh one, which then works as the technician.
    replies = await h.say("tech-phone", f"/link {tech_code}")
    assert "Сергей Иванов" in replies[-1].text
    assert "нет открытых заданий" in (await h.say("tech-phone", "/jobs"))[-1].text
    # Unlinking gives the messenger back as a plain resident; the technician keeps theirs.
    assert "отвязан" in (await h.say("tech-phone", "/unlink"))[-1].text
    assert (await web_person(h, "tech-phone")).role == "resident"
    assert (await web_person(h, "tech-1")).role == "technician"
    assert "единственный" in (await h.say("tech-phone", "/unlink"))[-1].text


async def test_a_code_links_only_to_the_person_who_asked(harness: Harness) -> None:
    h = harness
    mine = (await file_request(h, "res-1")).number
    theirs = (
        await file_request(h, "res-2", "Садовая 12 кв 45 не работает домофон", "Двери и домофон")
    ).number
    code = await link_code(h, "res-1")
    await h.say("phone-1", f"/link {code}")
    phone = " ".join(m.text for m in await h.say("phone-1", "/my"))
    assert f"№{mine}" in phone and f"№{theirs}" not in phone
    other = " ".join(m.text for m in await h.say("res-2", "/my"))
    assert f"№{theirs}" in other and f"№{mine}" not in other
    assert "не найдена" in (await h.say("res-2", f"/status {mine}"))[-1].text.lower()


async def test_choosing_the_messenger_for_notices(harness: Harness) -> None:
    h = harness
    code = await link_code(h, "res-1")
    await h.say("phone-1", f"/link {code}")
    listing = (await h.say("res-1", "канал"))[-1]
    assert "туда, где вы писали последним" in listing.text and listing.labels == [
        "web",
        "Где писал(а) последним",
    ]
    assert "уведомления будут приходить в web" in (
        (await h.press("res-1", listing.button("web")))[-1].text.lower()
    )
    assert (await web_person(h, "phone-1")).notify_channel == "web"
    assert "не привязан" in (await h.say("res-1", "/channel viber"))[-1].text
    replies = await h.press("res-1", listing.button("последним"))
    assert "где вы писали последним" in replies[-1].text
    assert (await web_person(h, "phone-1")).notify_channel == ""
