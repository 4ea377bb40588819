"""Turn the notices a use case returns into messages, queued in the same transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import buttons, texts
from bot.views import RequestView, format_location, format_time, load_view, person_name
from core.channel import Button, OutboundMessage
from core.lifecycle import Actor
from core.linking import notice_order
from core.model import Status, Urgency
from core.services import GROUP, Notice
from core.storage.tables import (
    GroupBinding,
    Identity,
    OutboxItem,
    Person,
    Request,
    RequestEvent,
)

log = logging.getLogger(__name__)


async def queue_message(
    session: AsyncSession, now: datetime, channel: str, chat: str, message: OutboundMessage
) -> None:
    session.add(
        OutboxItem(
            channel=channel,
            chat=chat,
            body=message.to_json(),
            next_attempt_at=now,
            created_at=now,
        )
    )


def coalesce(messages: Iterable[OutboundMessage]) -> list[OutboundMessage]:
    """Fewer messages that say the same: a plain text (nothing but text) opens the text
    message after it, so "Please choose a button." and the question it is about arrive
    as one notification, not two."""
    out: list[OutboundMessage] = []
    lead: list[str] = []
    for message in messages:
        if message == OutboundMessage(message.text):
            lead.append(message.text)
            continue
        if lead and message.text and not (message.photos or message.edit_key or message.answer_to):
            message = replace(message, text="\n\n".join([*lead, message.text]))
        elif lead:
            out.append(OutboundMessage("\n\n".join(lead)))
        lead = []
        out.append(message)
    if lead:
        out.append(OutboundMessage("\n\n".join(lead)))
    return out


async def person_targets(session: AsyncSession, person_id: int) -> list[tuple[str, str]]:
    """Where to reach a person: their reachable identity on the messenger they chose for
    notices, else the one they used last (``notice_order`` decides)."""
    person = await session.get(Person, person_id)
    identities = await session.scalars(select(Identity).where(Identity.person_id == person_id))
    order = notice_order(list(identities), person.notify_channel if person else "")
    return [(order[0].channel, order[0].chat)] if order else []


async def group_targets(session: AsyncSession) -> list[tuple[str, str]]:
    rows = await session.scalars(select(GroupBinding).where(GroupBinding.purpose == "dispatch"))
    return [(g.channel, g.chat) for g in rows]


async def deliver_notices(
    session: AsyncSession, now: datetime, tz: tzinfo, notices: Iterable[Notice]
) -> None:
    views: dict[int, RequestView] = {}
    for notice in notices:
        request = await session.get(Request, notice.request_id)
        if request is None:
            continue
        if notice.request_id not in views:
            views[notice.request_id] = await load_view(session, request)
        view = views[notice.request_id]
        actors: frozenset[Actor] = frozenset()
        if notice.to == GROUP:
            targets = await group_targets(session)
            lang = texts.DEFAULT
        else:
            targets = await person_targets(session, notice.to)
            person = await session.get(Person, notice.to)
            lang = person.language if person else texts.DEFAULT
            actors = view.actors(person) if person else actors
        if not targets:
            log.warning("notice %s for request %s has nowhere to go", notice.event, request.number)
            continue
        message = await render(session, notice, view, lang, tz, actors)
        if message is None:
            continue
        for channel, chat in targets:
            await queue_message(session, now, channel, chat, message)


def _common(view: RequestView, lang: str, tz: tzinfo) -> dict[str, object]:
    r = view.request
    return {
        "number": r.number,
        "category": texts.category(lang, r.category),
        "urgency": texts.urgency(lang, r.urgency),
        "address": view.building.address,
        "location": format_location(lang, r.location, r.category),
        "description": r.description,
        "deadline": format_time(lang, r.deadline, tz),
        "status": texts.status(lang, r.status),
        "technician": person_name(view.assignee, lang),
    }


def card(
    view: RequestView,
    lang: str,
    tz: tzinfo,
    event_line: str = "",
    was_emergency: bool = False,
    live: bool = True,
) -> OutboundMessage:
    """The dispatchers' card of a request, kept current on every change.

    ``live`` cards are edited in place and pinned while an emergency waits; a copy shown
    for a command (``live=False``) is a plain new message."""
    r = view.request
    photos = view.resident_photos if not event_line else []
    if event_line and r.status == Status.DONE.value:
        photos = view.report_photos
    return OutboundMessage(
        text=texts.t(
            lang,
            "card",
            marker="🚨 " if r.urgency == "emergency" else "",
            reporter=person_name(view.reporter, lang),
            phone=f", {r.contact_phone}" if r.contact_phone else "",
            assignee=_reachable(view.assignee, lang),
            reporters=(
                texts.t(
                    lang,
                    "card_reporters",
                    count=texts.count(lang, "n_residents", view.reporter_count),
                )
                if view.reporter_count > 1
                else ""
            )
            + _claim_line(r, lang)
            + _stage_line(r, lang)
            + "".join(
                texts.t(lang, "card_escalated", title=title, names=names)
                for title, names in view.escalations
            ),
            event=f"\n— {event_line}" if event_line else "",
            **_common(view, lang, tz),
        ),
        buttons=buttons.card_keyboard(lang, r),
        photos=tuple(photos),
        edit_key=f"card:{r.id}" if live else "",
        pin=_pin(r, was_emergency) if live else None,
    )


def _reachable(person: Person | None, lang: str) -> str:
    """A name and, where the person has one, the phone to call when a tap does not come."""
    name = person_name(person, lang)
    if person is None or not person.phone:
        return name
    return texts.t(lang, "with_phone", name=name, phone=person.phone)


def _claim_line(request: Request, lang: str) -> str:
    """Whose word the emergency rests on, when it is the resident's, not the classifier's."""
    if request.urgency != Urgency.EMERGENCY.value or not request.emergency_claim:
        return ""
    return texts.t(lang, f"card_claim_{request.emergency_claim}")


def _stage_line(request: Request, lang: str) -> str:
    if request.urgency != "emergency" or not request.stage:
        return ""
    return texts.t(lang, "card_stage", stage=texts.t(lang, f"stage_{request.stage}"))


#: An emergency card stays pinned in the group until a technician takes the job.
_UNTAKEN = frozenset({Status.NEW, Status.ASSIGNED, Status.CANNOT_DO, Status.REOPENED})


def _pin(request: Request, was_emergency: bool) -> bool | None:
    if request.urgency == "emergency":
        return Status(request.status) in _UNTAKEN
    return False if was_emergency else None


def job_card(view: RequestView, lang: str, tz: tzinfo, extra: str = "") -> OutboundMessage:
    """The technician's card of a job, with the buttons the lifecycle allows now."""
    r = view.request
    return OutboundMessage(
        text=texts.t(
            lang,
            "job_card",
            marker="🚨 " if r.urgency == "emergency" else "",
            phone=texts.t(lang, "job_phone", phone=r.contact_phone) if r.contact_phone else "",
            extra=_stage_line(r, lang) + extra,
            **_common(view, lang, tz),
        ),
        buttons=buttons.technician_keyboard(lang, r),
        photos=tuple(view.resident_photos),
    )


async def _event_line(
    session: AsyncSession, notice: Notice, view: RequestView, lang: str, tz: tzinfo
) -> str:
    data = notice.data
    event = str(data.get("event", ""))
    if not event:
        return ""
    values: dict[str, object] = {
        "reason": data.get("reason", ""),
        "technician": person_name(view.assignee, lang),
        "stars": data.get("rating", ""),
        "text": data.get("text", ""),
        "who": "",
        "into": data.get("into", ""),
        "source": data.get("source", ""),
    }
    if event == "decline":
        values["technician"] = person_name(await session.get(Person, data.get("technician")), lang)
    if event == "postpone":
        values["until"] = format_time(lang, datetime.fromisoformat(data["until"]), tz)
    if event == "auto_assign":
        values["why"] = texts.t(lang, f"why_{data.get('after', 'filed')}") + (
            texts.t(lang, "why_on_duty") if data.get("on_duty") else ""
        )
    if event == "needs_manual":
        values["why"] = texts.t(lang, f"nobody_{data.get('reason', 'no_matrix')}")
    if event == "autoclose":
        values["hours"] = data.get("hours", "")
    if event == "deadline":
        values["deadline"] = format_time(lang, view.request.deadline, tz)
    if event == "escalated":
        values.update(title=data.get("title", ""), names=data.get("names", ""))
    if event == "joined" and values["text"]:
        event = "joined_said"
    return texts.t(lang, f"ev_{event}", **values)


async def render(
    session: AsyncSession,
    notice: Notice,
    view: RequestView,
    lang: str,
    tz: tzinfo,
    actors: frozenset[Actor],
) -> OutboundMessage | None:
    """The message one recipient gets for one notice (None: nothing to say).

    ``actors`` says how the recipient relates to the request; the lifecycle decides which
    buttons they get, and whoever has nothing to decide (a co-reporter) is told the
    outcome only."""
    r = view.request
    values = _common(view, lang, tz)
    event = notice.event
    reason = str(notice.data.get("reason", ""))
    to_assignee = notice.to == r.assignee_id and notice.to != GROUP
    if event == "card":
        urgency_change = notice.data.get("urgency") or ["", ""]
        return card(
            view,
            lang,
            tz,
            await _event_line(session, notice, view, lang, tz),
            was_emergency=urgency_change[0] == "emergency",
        )
    if event == "job":
        return job_card(view, lang, tz)
    if event == "filed":
        return OutboundMessage(texts.t(lang, "filed_auto" if r.assignee_id else "filed", **values))
    if event == "joined":
        return OutboundMessage(texts.t(lang, "n_joined", **values))
    if event == "merged":
        return OutboundMessage(
            texts.t(lang, "n_merged", source=notice.data.get("source", ""), **values)
        )
    if event == "unassigned":
        return OutboundMessage(texts.t(lang, "n_job_unassigned", **values))
    if event == "reopen":
        return job_card(view, lang, tz, texts.t(lang, "job_reopened", reason=reason))
    if event == "comment":
        return await _comment(session, notice, view, lang, values)
    if event == "rated":
        stars = notice.data.get("rating")
        if notice.to == GROUP and isinstance(stars, int) and stars <= 2:
            return OutboundMessage(texts.t(lang, "group_low_rating", stars=stars, **values))
        return OutboundMessage(texts.t(lang, "n_rated", stars=stars, **values))
    if event in _OPERATIONS:
        return await _operations(session, notice, view, lang, tz, values, actors)
    if event == "reclassify":
        return OutboundMessage(texts.t(lang, "n_reclassify", **values))
    if event == "deadline":
        return OutboundMessage(texts.t(lang, "n_deadline", **values))
    if to_assignee:
        key = {
            "close": "n_job_closed",
            "confirm": "n_job_confirmed",
            "cancel": "n_job_cancelled",
            "reject": "n_job_rejected",
        }.get(event)
        return OutboundMessage(texts.t(lang, key, reason=reason, **values)) if key else None
    return _resident_update(notice, view, lang, tz, values, reason, actors)


async def _comment(
    session: AsyncSession, notice: Notice, view: RequestView, lang: str, values: dict[str, object]
) -> OutboundMessage:
    author = await session.get(Person, notice.data.get("by"))
    role = author.role if author else "resident"
    reply: tuple[tuple[Button, ...], ...] = ()
    if notice.to == GROUP:
        key = "group_comment"
    else:
        key = {"resident": "n_comment_from_resident", "technician": "n_comment_from_tech"}.get(
            role, "n_comment_from_dispatcher"
        )
        # The other side answers with one tap, without either seeing the other's account.
        r = view.request
        if notice.to == r.assignee_id:
            reply = ((buttons.request_button(lang, "reply_btn", r, buttons.WRITE_RESIDENT),),)
        elif Status(r.status).is_open:
            reply = ((buttons.request_button(lang, "reply_btn", r, buttons.RESIDENT_COMMENT),),)
    shown = {k: v for k, v in values.items() if k != "text"}
    return OutboundMessage(
        texts.t(
            lang, key, text=notice.data.get("text", ""), who=person_name(author, lang), **shown
        ),
        buttons=reply,
        photos=tuple(str(p) for p in notice.data.get("photos", ())),
    )


def _resident_update(
    notice: Notice,
    view: RequestView,
    lang: str,
    tz: tzinfo,
    values: dict[str, object],
    reason: str,
    actors: frozenset[Actor],
) -> OutboundMessage | None:
    r = view.request
    event = notice.event
    if event == "postpone":
        until = format_time(lang, datetime.fromisoformat(notice.data["until"]), tz)
        return OutboundMessage(texts.t(lang, "n_postpone", until=until, reason=reason, **values))
    if event == "done":
        comment = texts.t(lang, "n_done_comment", text=reason) if reason else ""
        keyboard = buttons.resident_keyboard(lang, r, actors)
        if not keyboard:
            # The technician's words and photos are the author's business (her home).
            return OutboundMessage(texts.t(lang, "n_done_follower", **values))
        return OutboundMessage(
            texts.t(lang, "n_done", comment=comment, **values),
            buttons=keyboard,
            photos=tuple(view.report_photos),
        )
    if event == "confirm":
        stars = buttons.rating_keyboard(r, actors)
        key = "n_confirm" if stars else "n_confirm_follower"
        return OutboundMessage(texts.t(lang, key, **values), buttons=stars)
    if event == "close":
        suffix = texts.t(lang, "reason_suffix", reason=reason) if reason else ""
        return OutboundMessage(texts.t(lang, "n_close", **{**values, "reason": suffix}))
    if event in ("reject", "cancel"):
        return OutboundMessage(texts.t(lang, f"n_{event}", reason=reason, **values))
    if event in ("localise", "restore") or (event == "start" and r.urgency == "emergency"):
        return OutboundMessage(texts.t(lang, f"n_stage_{notice.data.get('stage')}", **values))
    if event in ("assign", "accept", "start", "cannot_do"):
        key = "n_assigned" if event == "assign" else f"n_{event}"
        return OutboundMessage(texts.t(lang, key, reason=reason, **values))
    return None


_OPERATIONS = frozenset(
    {
        "remind_accept",
        "remind_due",
        "remind_overdue",
        "raise_unassigned",
        "raise_emergency",
        "raise_not_accepted",
        "raise_overdue",
        "escalate",
        "ladder",
        "autoclose",
    }
)


async def _operations(
    session: AsyncSession,
    notice: Notice,
    view: RequestView,
    lang: str,
    tz: tzinfo,
    values: dict[str, object],
    actors: frozenset[Actor],
) -> OutboundMessage | None:
    """Reminders, raises in the group, escalation and auto-close (bot/scheduler.py)."""
    r = view.request
    event = notice.event
    stage = str(notice.data.get("stage", ""))
    if stage:
        # An emergency's stage is due: its own clock, not the request's deadline.
        values = {
            **values,
            "stage": texts.t(lang, f"stage_{stage}"),
            "deadline": _stage_due(notice, lang, tz),
        }
        if event in ("remind_due", "remind_overdue"):
            return job_card(view, lang, tz, texts.t(lang, f"{event}_stage", **values))
        if event == "raise_overdue":
            return OutboundMessage(
                texts.t(lang, "raise_overdue_stage", **values),
                buttons=buttons.card_keyboard(lang, r),
            )
    if event.startswith("remind_"):
        return job_card(view, lang, tz, texts.t(lang, event, deadline=values["deadline"]))
    if event == "ladder":
        return OutboundMessage(
            texts.t(
                lang,
                "ladder",
                title=notice.data.get("title", ""),
                call=_reachable(view.assignee, lang),
                resident=_resident_contact(view, lang),
                history=await history_text(session, r, lang, tz),
                **values,
            )
        )
    if event.startswith("raise_"):
        if event == "raise_not_accepted":
            who = await session.get(Person, notice.data.get("technician"))
            values = {**values, "technician": person_name(who, lang)}
        if notice.to != GROUP:  # the technician on duty, woken for an untaken emergency
            return OutboundMessage(texts.t(lang, "raise_emergency_duty", **values))
        return OutboundMessage(
            texts.t(lang, event, **values), buttons=buttons.card_keyboard(lang, r)
        )
    if event == "escalate":
        return OutboundMessage(
            texts.t(lang, "escalate", history=await history_text(session, r, lang, tz), **values)
        )
    hours = notice.data.get("hours", "")
    if notice.to == r.assignee_id:
        return OutboundMessage(texts.t(lang, "n_job_autoclosed", hours=hours, **values))
    stars = buttons.rating_keyboard(r, actors)
    key = "n_autoclose" if stars else "n_autoclose_follower"
    return OutboundMessage(texts.t(lang, key, hours=hours, **values), buttons=stars)


def _stage_due(notice: Notice, lang: str, tz: tzinfo) -> str:
    """When the stage was due, as the sweep computed it from the norms table."""
    return format_time(lang, datetime.fromisoformat(str(notice.data["due"])), tz)


def _resident_contact(view: RequestView, lang: str) -> str:
    phone = view.request.contact_phone or view.reporter.phone
    name = person_name(view.reporter, lang)
    return texts.t(lang, "with_phone", name=name, phone=phone) if phone else name


async def history_text(
    session: AsyncSession,
    request: Request,
    lang: str,
    tz: tzinfo,
    *,
    for_staff: bool = True,
) -> str:
    """A request's history as lines of text (for /show and escalations).

    ``for_staff=False`` (for someone outside the service) names no resident and leaves
    out what people wrote."""
    events = await session.scalars(
        select(RequestEvent).where(RequestEvent.request_id == request.id).order_by(RequestEvent.id)
    )
    lines = [texts.t(lang, "history", number=request.number)]
    for event in events:
        who = await session.get(Person, event.person_id) if event.person_id else None
        action = texts.status(lang, event.to_status) if event.to_status else event.action
        if event.action == "comment":
            action = "💬"
        elif event.action in ("reclassify", "emergency_kept"):
            action = texts.t(lang, f"ev_{event.action}")
        elif event.action in ("merged_into", "merged_from"):
            action = texts.t(lang, f"ev_{event.action}", **event.data)
        elif event.action == "deadline":
            moment = datetime.fromisoformat(event.data["deadline"][1])
            action = texts.t(lang, "ev_deadline", deadline=format_time(lang, moment, tz))
        elif event.action == "rated":
            action = "★" * int(event.data.get("rating", 0))
        elif event.action == "needs_manual":
            action = texts.t(
                lang, "ev_needs_manual", why=texts.t(lang, f"nobody_{event.data.get('reason')}")
            )
        elif event.action == "not_accepted":
            action = texts.t(lang, "ev_not_accepted")
        elif event.action == "held":
            action = texts.t(lang, "ev_held")
        elif event.action == "escalated":
            action = texts.t(
                lang,
                "ev_escalated",
                title=event.data.get("title", ""),
                names=event.data.get("names", ""),
            )
        if event.data.get("emergency_claim"):
            action += texts.t(lang, "history_claim")
        if event.data.get("stage") and event.to_status:
            action += texts.t(
                lang, "card_stage", stage=texts.t(lang, f"stage_{event.data['stage']}")
            )
        lines.append(
            texts.t(
                lang,
                "history_line",
                at=format_time(lang, event.created_at, tz),
                who=_author(who, lang, for_staff),
                action=action,
                comment=f": {event.comment}" if event.comment and for_staff else "",
            )
        )
    return "\n".join(lines)


def _author(person: Person | None, lang: str, for_staff: bool) -> str:
    if person is None:
        return texts.t(lang, "system_name")
    if not for_staff and person.role == "resident":
        return texts.t(lang, "a_resident")
    return person_name(person, lang)
