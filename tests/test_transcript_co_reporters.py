"""A neighbour who joins a request follows it; they never own it, nor read its author's words.

Resident A files a request in her words (name and phone included); resident B reports the
same problem from another flat and joins it; resident C has nothing to do with it.  B and C
try every decision that belongs to A, through the buttons they were shown and through
payloads forged with the codec, and nothing changes; A still decides.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core import services
from core.lifecycle import Action
from core.model import Status
from core.payloads import RequestAction, decode
from core.storage.tables import Person, Request
from tests.support.harness import Harness, Message, number_in, web_person

GROUP = "dispatch"
A, B, C = "guest-a", "guest-b", "guest-c"

A_SAYS = (
    "Садовая 12, кв 45 — нет горячей воды, у соседей по стояку тоже, смеситель в ванной "
    "только шипит. Петрова Анна, тел 8 999 123-45-67"
)
B_SAYS = "Садовая 12, кв 2 — нет горячей воды во всём доме"
TECH_SAYS = "заменил смеситель у Петровой, проверил стояк"
#: Anything that would tell B about A: her words, name, phone, flat, or the technician's
#: words to her.
A_FRAGMENTS = ("шипит", "ванн", "Петров", "Анна", "кв 45", "артира 45", "смесител")
A_DIGITS = ("9991234567", "1234567")

NOT_AUTHOR = "Это решает житель, который подал заявку"
NOT_ALLOWED = "Это действие вам недоступно"


async def everything(h: Harness, chat: str) -> list[Message]:
    """Every message the service ever sent to ``chat`` (independent of what was read)."""
    out: list[Message] = []
    while True:
        after = out[-1].id if out else 0
        response = await h.client.get(f"/api/web/messages?chat={chat}&after={after}")
        assert response.status == 200
        page = (await response.json())["messages"]
        if not page:
            return out
        out += [Message(m["id"], m["text"], m["buttons"], m["photos"]) for m in page]


def assert_nothing_of_a(messages: list[Message]) -> None:
    for message in messages:
        words = " ".join([message.text, *message.labels])
        digits = re.sub(r"\D", "", words)
        for fragment in A_FRAGMENTS:
            assert fragment not in words, (fragment, message.text)
        for number in A_DIGITS:
            assert number not in digits, (number, message.text)
        assert not message.photos, message.text


def request_ops(messages: list[Message]) -> set[str]:
    """The op codes of every request button in these messages."""
    ops = set()
    for message in messages:
        for row in message.buttons:
            for button in row:
                payload = decode(button["payload"])
                if isinstance(payload, RequestAction):
                    ops.add(payload.op)
    return ops


async def attempt(h: Harness, user: str, payload: str) -> list[Message]:
    """Press a button as an attacker would, answering the question it may lead to."""
    replies = await h.press(user, payload)
    if "Почему" in replies[-1].text or "Что осталось не так" in replies[-1].text:
        replies += await h.say(user, "у меня уже всё в порядке, закрывайте")
    return replies


async def refused_to_b_and_c(h: Harness, payloads: tuple[str, ...]) -> list[Message]:
    """Each payload pressed by B and by C: B is told the decision is the author's, C that
    it is not theirs.  Every reply they got."""
    heard: list[Message] = []
    for user, answer in ((B, NOT_AUTHOR), (C, NOT_ALLOWED)):
        for payload in payloads:
            replies = await attempt(h, user, payload)
            assert any(answer in m.text for m in replies), [m.text for m in replies]
            heard += replies
    return heard


async def status_of(h: Harness, number: int) -> str:
    """The status line A gets for her request."""
    return (await h.say(A, f"/status {number}"))[-1].text


async def file_for_a(h: Harness, with_photo: bool = True) -> int:
    replies = await h.say(A, A_SAYS)
    replies = await h.press(A, replies[-1].button("Водоснабжение"))
    if with_photo:
        replies = await h.photo(A)
        replies = await h.press(A, replies[-1].button("Готово"))
    else:
        replies = await h.press(A, replies[-1].button("Пропустить"))
    summary = replies[-1]
    assert "Петрова" in summary.text  # her own words, shown to her
    return number_in(await h.press(A, summary.button("Подтвердить")))


async def b_joins(h: Harness, number: int) -> Message:
    replies = await h.say(B, B_SAYS)
    offer = (await h.press(B, replies[-1].button("Водоснабжение")))[-1]
    # Number, type, place and time: enough to recognise the problem, nothing of A.
    assert f"заявка №{number}" in offer.text
    assert "Водоснабжение" in offer.text and "ул. Садовая, д. 12" in offer.text
    assert "подана 24.11.2026 10:00" in offer.text
    joined = await h.press(B, offer.button(f"№{number}"))
    assert f"уже известно: заявка №{number}" in joined[-1].text
    return offer


async def assign_and_finish(h: Harness, card: Message) -> None:
    """The dispatcher assigns the job; the technician does it and reports with a photo
    and words about A's flat.  Both reporters hear of the assignment."""
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP)
    for user in (A, B):
        assert "назначен техник" in (await h.read(user))[-1].text
    job = (await h.read("tech-1"))[-1]
    job = (await h.press("tech-1", job.button("Принять")))[-1]
    job = (await h.press("tech-1", job.button("Начать")))[-1]
    await h.press("tech-1", job.button("Выполнено"))
    await h.photo("tech-1")
    await h.say("tech-1", TECH_SAYS)
    assert "выполнена" in (await h.say("tech-1", "готово"))[-1].text
    await h.skip(GROUP, "tech-1")


async def a_files_b_joins(h: Harness, *, with_photo: bool = True) -> int:
    """A's request, which B has joined: its number."""
    number = await file_for_a(h, with_photo)
    await b_joins(h, number)
    return number


def forged(request_id: int, version: int, op: str, arg: str = "") -> str:
    return RequestAction(op, request_id, version, arg).encode()


async def test_a_co_reporter_and_a_stranger_can_decide_nothing_the_author_can(
    harness: Harness,
) -> None:
    h = harness
    number = await a_files_b_joins(h)
    card = (await h.read(GROUP))[-1]
    assert "Сообщили: 2 жителя" in card.text
    # B's own words reach the staff, and only them.
    assert f"Ещё один житель сообщил об этой проблеме: {B_SAYS}" in card.text
    await h.skip(A, GROUP)

    # -- new: cancel ------------------------------------------------------------
    mine = (await h.say(B, "/my"))[-1]
    assert f"№{number}" in mine.text
    assert not any("Отменить" in label for label in mine.labels)
    a_list = (await h.say(A, "/my"))[-1]
    cancel = a_list.button(f"Отменить №{number}")
    ident = decode(cancel)
    assert isinstance(ident, RequestAction)
    rid, version = ident.request_id, ident.version
    payloads = (cancel, forged(rid, version, "cx"), forged(rid, version + 1, "cx"))
    replies = await refused_to_b_and_c(h, payloads)
    assert not any("Почему отменяете" in m.text for m in replies)
    assert "новая" in await status_of(h, number)
    assert await h.read(GROUP) == []
    # B may ask how it goes: the status and the building, not A's flat.
    status = (await h.say(B, f"/status {number}"))[-1].text
    assert f"Заявка №{number}: новая" in status and "ул. Садовая, д. 12" in status

    # A stranger may neither look at it nor add to it.
    assert "не найдена" in (await h.say(C, f"/status {number}"))[-1].text
    replies = await h.press(C, forged(rid, version, "ad"))
    assert NOT_ALLOWED in replies[-1].text
    assert "Напишите комментарий" not in " ".join(m.text for m in replies)

    # A co-reporter adds a word: the staff see it, the author does not.
    comment = (await h.say(B, "/my"))[-1].button(f"Комментарий / фото к №{number}")
    await h.press(B, comment)
    added = await h.say(B, "у нас во второй квартире тоже капает")
    assert f"Добавлено к заявке №{number}" in added[-1].text
    assert "во второй квартире тоже капает" in (await h.read(GROUP))[-1].text
    assert not any("второй квартире" in m.text for m in await h.read(A))

    # -- assigned, accepted, in progress, done ----------------------------------
    await assign_and_finish(h, card)

    a_done = (await h.read(A))[-1]
    assert "Проблема решена?" in a_done.text and TECH_SAYS in a_done.text
    assert len(a_done.photos) == 1
    b_done = (await h.read(B))[-1]
    assert f"Работы по заявке №{number} выполнены" in b_done.text
    assert b_done.buttons == [] and b_done.photos == []

    confirm, reopen = a_done.button("Да"), a_done.button("Нет")
    ident = decode(confirm)
    assert isinstance(ident, RequestAction)
    version = ident.version
    await refused_to_b_and_c(
        h,
        (
            confirm,
            reopen,
            forged(rid, version, "ok"),
            forged(rid, version, "no"),
            forged(rid, version, "cx"),
            forged(rid, 0, "rt", "1"),
        ),
    )
    assert "выполнена, ждёт подтверждения" in await status_of(h, number)
    assert await h.read(GROUP) == [] and await h.read("tech-1") == []

    # Adding a word leaves the request as it is, so a co-reporter cannot make the
    # author's buttons stale by commenting.
    h.clock.advance(minutes=5)
    await h.press(B, (await h.say(B, "/my"))[-1].button(f"Комментарий / фото к №{number}"))
    assert "Добавлено" in (await h.say(B, "у меня тоже всё сухо"))[-1].text
    await h.skip(GROUP, "tech-1")
    # The author still decides: her buttons are not stale, whatever the others did.
    closed = (await h.press(A, confirm))[-1]
    assert "закрыта" in closed.text and len(closed.buttons[0]) == 5
    b_closed = (await h.read(B))[-1]
    assert f"Заявка №{number} закрыта" in b_closed.text and b_closed.buttons == []
    await h.skip(GROUP, "tech-1")

    # -- closed: rate -----------------------------------------------------------
    await refused_to_b_and_c(h, (closed.button("★"), forged(rid, 0, "rt", "1")))
    assert await h.read(GROUP) == [] and await h.read("tech-1") == []
    thanks = await h.press(A, closed.button("★★★★★"))
    assert "Спасибо за оценку ★★★★★" in thanks[-1].text
    assert f"Оценка по заявке №{number}: 5" in (await h.read("tech-1"))[-1].text

    # Over the whole conversation: no word, name, phone, flat or photo of A reached B, and
    # the only request button B ever held adds a comment.
    heard = await everything(h, B)
    assert_nothing_of_a(heard)
    assert_nothing_of_a(await everything(h, C))
    assert request_ops(heard) == {"ad"}


async def test_a_co_reporter_is_told_of_a_cancellation_and_cannot_undo_it(
    any_harness: Harness,
) -> None:
    h = any_harness
    number = await a_files_b_joins(h, with_photo=False)
    a_list = (await h.say(A, "/my"))[-1]
    asked = await h.press(A, a_list.button(f"Отменить №{number}"))
    assert "Почему отменяете" in asked[-1].text
    done = await h.say(A, "сосед Петров всё починил сам")
    assert f"Заявка №{number} отменена" in done[-1].text
    told = (await h.read(B))[-1]
    assert "отменена жителем, который её подал" in told.text
    assert "Петров" not in told.text and told.buttons == []
    assert "отменена" in await status_of(h, number)
    assert_nothing_of_a(await everything(h, B))


async def test_an_outage_declared_from_a_request_shows_its_type_not_the_words(
    harness: Harness,
) -> None:
    h = harness
    await a_files_b_joins(h)
    card = (await h.read(GROUP))[-1]
    declared = (await h.press("disp-1", card.button("Авария по дому"), chat=GROUP))[-1]
    assert "Объявлена авария" in declared.text

    replies = await h.say(C, "Садовая 12 кв 7 течёт вода с потолка")
    replies = await h.press(C, replies[-1].button("Водоснабжение"))
    assert "Об этом уже известно: Водоснабжение (ул. Садовая, д. 12)" in replies[-1].text

    await h.press("disp-2", declared.button("Устранено"), chat=GROUP)
    for user in (B, C):
        assert "Устранено: Водоснабжение" in (await h.read(user))[-1].text
        assert_nothing_of_a(await everything(h, user))


async def test_a_co_reporter_split_off_gets_a_request_in_their_own_words(
    harness: Harness,
) -> None:
    h = harness
    number = await a_files_b_joins(h)
    await h.skip(GROUP)
    picker = (await h.say("disp-1", f"/split {number}", chat=GROUP))[-1]
    replies = await h.press("disp-1", picker.button(picker.labels[0]), chat=GROUP)
    own = number_in(await h.read(B))
    assert own != number
    cards = [m.text for m in replies + await h.read(GROUP) if f"№{own}" in m.text]
    assert any(B_SAYS in text and "Петрова" not in text for text in cards), cards
    # Now the author of a request of their own, B decides for it.
    mine = (await h.say(B, "/my"))[-1]
    assert f"Отменить №{own}" in " ".join(mine.labels)
    assert f"Отменить №{number}" not in " ".join(mine.labels)
    assert_nothing_of_a(await everything(h, B))


async def test_the_use_cases_refuse_a_co_reporter_and_a_stranger_whatever_the_channel(
    any_harness: Harness,
) -> None:
    """Below every dialogue: the use cases themselves tell the author from the others."""
    h = any_harness
    number = await a_files_b_joins(h, with_photo=False)
    await h.say(C, "Здравствуйте")
    author, joined, stranger = [await web_person(h, u) for u in (A, B, C)]
    async with h.app.db.reading() as session:
        request = await session.scalar(select(Request).where(Request.number == number))
    assert request is not None and request.reporter_id == author.id
    rid = request.id

    async def refused(person: Person, action: Action, reason: str) -> None:
        async with h.app.db.transaction() as session:
            with pytest.raises(services.Refused) as exc:
                await services.transition(
                    session, h.clock.now, person, rid, None, action, reason="закрывайте"
                )
        assert exc.value.reason == reason, (person.id, action)

    for action in (Action.CANCEL, Action.CONFIRM, Action.REOPEN):
        await refused(joined, action, "not_author")
        await refused(stranger, action, "not_allowed")
    for person, reason in ((joined, "not_author"), (stranger, "not_allowed")):
        async with h.app.db.transaction() as session:
            with pytest.raises(services.Refused) as exc:
                await services.rate(session, h.clock.now, person, rid, 1)
        assert exc.value.reason == reason
    async with h.app.db.transaction() as session:
        with pytest.raises(services.Refused, match="not_allowed"):
            await services.comment(session, h.clock.now, stranger, rid, "посмотрите")
        # Following means adding: the co-reporter's comment is taken.
        await services.comment(session, h.clock.now, joined, rid, "у меня тоже")
        # And the author still decides.
        outcome = await services.transition(
            session, h.clock.now, author, rid, None, Action.CANCEL, reason="починили"
        )
    assert outcome.request.status == Status.CANCELLED.value


async def test_closed_for_silence_the_author_may_rate_a_co_reporter_is_told(
    harness: Harness,
) -> None:
    h = harness
    number = await a_files_b_joins(h, with_photo=False)
    await assign_and_finish(h, (await h.read(GROUP))[-1])
    await h.skip(A, B)

    h.clock.advance(hours=h.app.settings.autoclose_hours + 1)
    assert h.app.sweeper is not None
    await h.app.sweeper.run_once(h.clock.now)
    await h.settle()
    a_closed = (await h.read(A))[-1]
    assert "закрыта автоматически" in a_closed.text and len(a_closed.buttons[0]) == 5
    b_closed = (await h.read(B))[-1]
    assert f"Заявка №{number} закрыта" in b_closed.text and b_closed.buttons == []
    stars = await h.press(B, a_closed.button("★"))
    assert NOT_AUTHOR in stars[-1].text
    assert "Спасибо за оценку ★★★★" in (await h.press(A, a_closed.button("★★★★")))[-1].text
    heard = await everything(h, B)
    assert_nothing_of_a(heard)
    assert request_ops(heard) == set()
