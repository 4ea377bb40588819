"""Residents' answers to duplicate offers, kept as labelled pairs.

A resident filing a request may be offered to join an open request of the same building
and type (``core.incidents.open_duplicates``).  Their answer is kept, one row per offered
request: accepted (they joined it; their words and place are in the "joined" event) or
declined (they filed a request of their own, linked once filed).  Only ids are kept: the
words stay where they already are.

``labelled_pairs`` reads the answers back as pairs of a new message and an open request,
the shape of ``data/eval/duplicate_pairs.csv``: a join is the same problem unless a
dispatcher split the resident off that request later; a decline is a different one unless
a dispatcher merged the request filed instead into the offered one.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.incidents import join_request
from core.services import Outcome
from core.storage.tables import DuplicateOffer, Person, Request, RequestEvent


class Answer(enum.StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


async def accept(
    session: AsyncSession,
    now: datetime,
    person: Person,
    request_id: int,
    note: str = "",
    photos: Sequence[str] = (),
    location: str = "",
) -> Outcome:
    """The resident joins the offered request (``join_request``); their answer is kept
    with the "joined" event that holds their words and place."""
    outcome = await join_request(session, now, person, request_id, note, photos, location)
    # join_request refuses a reporter already there, so the newest join is this one.
    event_id = await session.scalar(
        select(RequestEvent.id)
        .where(
            RequestEvent.request_id == request_id,
            RequestEvent.person_id == person.id,
            RequestEvent.action == "joined",
        )
        .order_by(RequestEvent.id.desc())
        .limit(1)
    )
    session.add(
        DuplicateOffer(
            request_id=request_id,
            person_id=person.id,
            category=outcome.request.category,
            answer=Answer.ACCEPTED.value,
            joined_event_id=event_id,
            created_at=now,
        )
    )
    await session.flush()
    return outcome


async def decline(
    session: AsyncSession, now: datetime, person: Person, request_ids: Sequence[int]
) -> list[int]:
    """The resident said none of the offered requests is their problem: one row for each
    that still exists.  Returns the rows' ids, for ``filed`` to link the request the
    resident files instead."""
    offered = await session.scalars(select(Request).where(Request.id.in_(request_ids)))
    rows = [
        DuplicateOffer(
            request_id=request.id,
            person_id=person.id,
            category=request.category,
            answer=Answer.DECLINED.value,
            created_at=now,
        )
        for request in offered
    ]
    session.add_all(rows)
    await session.flush()
    return [row.id for row in rows]


async def filed(
    session: AsyncSession, person: Person, offer_ids: Sequence[int], request_id: int
) -> None:
    """The resident who declined these offers filed ``request_id`` instead."""
    if not offer_ids:
        return
    await session.execute(
        update(DuplicateOffer)
        .where(
            DuplicateOffer.id.in_(offer_ids),
            DuplicateOffer.person_id == person.id,
            DuplicateOffer.answer == Answer.DECLINED.value,
            DuplicateOffer.filed_request_id.is_(None),
        )
        .values(filed_request_id=request_id)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True, slots=True)
class Pair:
    """A new message and the open request it was offered, and whether they are one problem."""

    category: str
    new_location: str
    new_text: str
    open_location: str
    open_text: str
    same: bool


async def labelled_pairs(session: AsyncSession) -> list[Pair]:
    """Every answered offer with both sides known, in the order answered.

    Accepted: the words and place the resident joined with; the same problem unless a
    dispatcher split them off that request after they joined.  Declined: the request they
    filed instead, a different problem unless a dispatcher merged it into the offered one;
    left out while they have filed none, or when they filed it for another building or type
    (a pair the decision never sees)."""
    offered = aliased(Request)
    accepted = (
        await session.execute(
            select(DuplicateOffer, offered, RequestEvent)
            .join(offered, offered.id == DuplicateOffer.request_id)
            .join(RequestEvent, RequestEvent.id == DuplicateOffer.joined_event_id)
            .where(DuplicateOffer.answer == Answer.ACCEPTED.value)
        )
    ).all()
    split_off = await _split_off(session, {offer.request_id for offer, _, _ in accepted})
    pairs: list[tuple[int, Pair]] = []
    for offer, request, joined in accepted:
        split = any(
            event_id > joined.id and reporter == offer.person_id
            for event_id, reporter in split_off.get(offer.request_id, ())
        )
        new_location = str(joined.data.get("location") or "")
        pairs.append(
            (offer.id, _pair(offer, request, new_location, joined.comment, same=not split))
        )
    new = aliased(Request)
    declined = await session.execute(
        select(DuplicateOffer, offered, new)
        .join(offered, offered.id == DuplicateOffer.request_id)
        .join(new, new.id == DuplicateOffer.filed_request_id)
        .where(
            DuplicateOffer.answer == Answer.DECLINED.value,
            new.building_id == offered.building_id,
            new.category == DuplicateOffer.category,
        )
    )
    declined_rows = declined.all()
    merged = await _merged_into(session, {mine.id for _, _, mine in declined_rows})
    for offer, request, mine in declined_rows:
        same = merged.get(mine.id) == request.number
        pairs.append((offer.id, _pair(offer, request, mine.location, mine.description, same)))
    return [pair for _, pair in sorted(pairs, key=lambda item: item[0])]


async def _merged_into(session: AsyncSession, request_ids: set[int]) -> dict[int, int]:
    """For each request a dispatcher merged into another, the other's number."""
    if not request_ids:
        return {}
    events = await session.execute(
        select(RequestEvent.request_id, RequestEvent.data).where(
            RequestEvent.request_id.in_(request_ids), RequestEvent.action == "merged_into"
        )
    )
    return {request_id: data["into"] for request_id, data in events.all() if "into" in data}


def _pair(offer: DuplicateOffer, request: Request, location: str, text: str, same: bool) -> Pair:
    return Pair(offer.category, location, text, request.location, request.description, same)


async def _split_off(
    session: AsyncSession, request_ids: set[int]
) -> dict[int, list[tuple[int, int]]]:
    """For each request, its splits: the event's id and the person split off (the author
    of the request the split filed)."""
    if not request_ids:
        return {}
    events = (
        await session.execute(
            select(RequestEvent.request_id, RequestEvent.id, RequestEvent.data).where(
                RequestEvent.request_id.in_(request_ids), RequestEvent.action == "split"
            )
        )
    ).all()
    numbers = {data.get("into") for _, _, data in events} - {None}
    authors = dict(
        (
            await session.execute(
                select(Request.number, Request.reporter_id).where(Request.number.in_(numbers))
            )
        ).all()
    )
    found: dict[int, list[tuple[int, int]]] = {}
    for request_id, event_id, data in events:
        reporter = authors.get(data.get("into"))
        if reporter is not None:
            found.setdefault(request_id, []).append((event_id, reporter))
    return found
