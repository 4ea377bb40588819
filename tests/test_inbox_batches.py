"""Events handled many to a transaction give the same dialogue as one by one.

The inbox worker reads who and where a batch's events concern once for the whole
batch (bot.dialogue.look_up); what an earlier event of the batch changes (a newcomer
enrolled, a group bound by an invite) must be what a later one sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from bot import admin, workers
from core.storage.tables import Building, Conversation, GroupBinding, Identity, OutboxItem, Person
from tests.support.harness import FakeClock, Harness, make_harness

#: (user, chat, text) in the order they arrive; "{invite}" is a fresh group invite.
SCRIPT = (
    ("newcomer", "newcomer", "Ленина 5, кв 12 — течёт кран на кухне"),
    ("newcomer", "newcomer", "когда придёте?"),
    ("other", "other", "Привет"),
    ("stranger", "dispatch", "кто тут главный?"),
    ("disp-2", "new-group", "/start inv-{invite}"),
    ("disp-2", "new-group", "/open"),
    ("newcomer", "newcomer", "Водоснабжение"),
    ("other", "other", "/my"),
)
CHATS = ("newcomer", "other", "dispatch", "new-group")


async def _run(h: Harness, together: bool, unbound: bool) -> dict[str, list[str]]:
    """Play the script, all queued before the worker runs (and then handled in one
    transaction) or one message at a time; return what each chat was sent.
    ``unbound``: the channel has no dispatchers' group yet (the invite makes one rather
    than moving it)."""
    if unbound:
        async with h.app.db.transaction() as session:
            await session.execute(delete(GroupBinding))
    invite = await admin.create_invite(h.app.db, h.clock(), person_code=None, group=True)
    await h.skip(*CHATS)
    for user, chat, text in SCRIPT:
        response = await h.post({"chat": chat, "user": user, "text": text.format(invite=invite)})
        assert response.status == 202
        if not together:
            await h.settle()
    if together:
        commits: list[Session] = []
        committed = commits.append
        event.listen(Session, "after_commit", committed)
        try:
            assert await h.app.inbox.drain() == len(SCRIPT)
        finally:
            event.remove(Session, "after_commit", committed)
        assert len(commits) == 1, "the whole script is one batch: one transaction"
    await h.settle()
    return {chat: [m.text for m in await h.read(chat)] for chat in CHATS}


@pytest.mark.parametrize("unbound", [False, True], ids=["group-moved", "group-made"])
async def test_one_batch_answers_as_one_by_one(
    any_harness: Harness, tmp_path: Path, unbound: bool
) -> None:
    # However slow the machine, the whole script is one batch (one transaction).
    any_harness.app.inbox.batch_budget = 60.0
    batched = await _run(any_harness, together=True, unbound=unbound)

    alone_db = f"sqlite+aiosqlite:///{tmp_path}/alone.db"
    async with make_harness(alone_db, tmp_path / "alone", FakeClock()) as alone:
        one_by_one = await _run(alone, together=False, unbound=unbound)
    assert batched == one_by_one
    # The script says what it is meant to: the newcomer was greeted once and asked the
    # type, the invite bound the new group and /open was answered there, the stranger
    # in the dispatchers' group got nothing.
    assert sum("Здравствуйте" in t for t in batched["newcomer"]) == 1
    assert any("группа диспетчеров" in t for t in batched["new-group"])
    assert len(batched["new-group"]) == 2
    assert batched["dispatch"] == []


async def test_newcomers_of_a_batch_are_enrolled_once(any_harness: Harness) -> None:
    h = any_harness
    h.app.inbox.batch_budget = 60.0
    for user, chat, text in SCRIPT:
        await h.post({"chat": chat, "user": user, "text": text.format(invite="none")})
    await h.settle()
    async with h.app.db.reading() as session:
        for user in ("newcomer", "other"):
            identity = await session.scalar(select(Identity).where(Identity.external_id == user))
            assert identity is not None and identity.chat == user
            person = await session.get(Person, identity.person_id)
            assert person is not None and person.role == "resident"
            conversations = await session.scalar(
                select(func.count()).select_from(Conversation).where(Conversation.user_ref == user)
            )
            assert conversations == 1
        # Writing in a group never makes anyone a resident.
        stranger = select(Identity).where(Identity.external_id == "stranger")
        assert await session.scalar(stranger) is None


async def test_a_batch_reads_the_buildings_once_and_the_next_sees_edits(
    any_harness: Harness,
) -> None:
    h = any_harness
    h.app.inbox.batch_budget = 60.0
    reads: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "FROM buildings" in statement:
            reads.append(statement)

    async def drafts() -> dict[str, object]:
        async with h.app.db.reading() as session:
            rows = await session.scalars(select(Conversation))
            return {c.user_ref: c.state.get("draft", {}).get("building_id") for c in rows}

    async with h.app.db.reading() as session:
        ids = {b.code: b.id for b in await session.scalars(select(Building))}
    engine = h.app.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for user, text in (
            ("r1", "Ленина 5, кв 12 — течёт кран на кухне"),
            ("r2", "Садовая 12, подъезд 2: не горит свет на площадке"),
            ("r3", "Ленина 5 кв 3, нет горячей воды"),
        ):
            await h.post({"chat": user, "user": user, "text": text})
        await h.settle()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(reads) == 1
    assert {u: b for u, b in (await drafts()).items() if u.startswith("r")} == {
        "r1": ids["len5"],
        "r2": ids["sad12"],
        "r3": ids["len5"],
    }
    # A building edited since (an import, by another process) is what the next batch sees.
    async with h.app.db.transaction() as session:
        building = await session.get(Building, ids["sad12"])
        assert building is not None
        building.aliases += ";Парковая 3"
    await h.post({"chat": "r4", "user": "r4", "text": "Парковая 3, кв 7: течёт потолок"})
    await h.settle()
    assert (await drafts())["r4"] == ids["sad12"]


async def test_a_long_batch_writes_as_it_goes(any_harness: Harness) -> None:
    """An acknowledgement arriving mid-batch waits for the last few turns' writes only."""
    h = any_harness
    h.app.inbox.batch_budget = 60.0
    writes: list[int] = []

    def wrote(session: Session, _context: object, _instances: object) -> None:
        changed = [o for o in session.new if isinstance(o, OutboxItem)]
        if changed:
            writes.append(len(changed))

    users = [f"w{n}" for n in range(2 * workers.FLUSH_EVERY + 1)]
    event.listen(Session, "before_flush", wrote)
    try:
        for user in users:
            await h.post({"chat": user, "user": user, "text": "Привет"})
        await h.settle()
    finally:
        event.remove(Session, "before_flush", wrote)
    # Each greeting is one message, written at most FLUSH_EVERY turns after its turn:
    # on SQLite exactly then, on PostgreSQL sooner (its turns flush on their own reads).
    assert sum(writes) == len(users)
    if h.app.db.sqlite:
        assert writes == [workers.FLUSH_EVERY, workers.FLUSH_EVERY, 1]
    else:
        assert max(writes) <= workers.FLUSH_EVERY
    for user in users:
        assert len(await h.read(user)) == 1
