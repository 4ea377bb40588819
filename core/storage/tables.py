"""The relational schema (SQLAlchemy 2 declarative).  Alembic migrations follow it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Sequence,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every engine (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


UTC_TIME = UTCDateTime()
ID = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTC_TIME,
        dict[str, Any]: JSON,
        int: Integer,
    }


class Building(Base):
    __tablename__ = "buildings"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    address: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100), default="")
    complex: Mapped[str] = mapped_column(String(100), default="")
    entrances: Mapped[int] = mapped_column(default=1)
    floors: Mapped[int] = mapped_column(default=1)
    apartments: Mapped[int] = mapped_column(default=0)
    aliases: Mapped[str] = mapped_column(Text, default="")


class Person(Base):
    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), index=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    trade: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(8), default="ru")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    home_building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"))
    home_location: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime]
    #: The messenger the person chose for notices; "" for the one they used last.
    notify_channel: Mapped[str] = mapped_column(String(16), default="", server_default="")


class Identity(Base):
    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    chat: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen_at: Mapped[datetime]
    #: Wrong link codes sent from this identity since its last lock-out or success.
    link_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Until when link codes sent from this identity are refused unread.
    link_blocked_until: Mapped[datetime | None]


class GroupBinding(Base):
    """A group chat bound to a purpose (the dispatchers' group)."""

    __tablename__ = "group_bindings"
    __table_args__ = (UniqueConstraint("channel", "purpose"),)
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(16), default="dispatch")
    created_at: Mapped[datetime]


class Invite(Base):
    __tablename__ = "invites"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))  # "staff" or "group"
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class LinkCode(Base):
    """A one-time code that links another messenger to the person who asked for it;
    only its hash is kept."""

    __tablename__ = "link_codes"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Request(Base):
    __tablename__ = "requests"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    location: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(24))
    urgency: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    deadline: Mapped[datetime | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    postponed_until: Mapped[datetime | None]
    rating: Mapped[int | None]
    rating_comment: Mapped[str] = mapped_column(Text, default="")
    # What the classifier suggested and whether a person confirmed or corrected it,
    # so that `admin export-training` can feed the corrections back into training.
    suggested_category: Mapped[str] = mapped_column(String(24), default="")
    suggested_emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    label_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: ``core.model.EmergencyClaim``: an emergency the resident called, not the classifier.
    emergency_claim: Mapped[str] = mapped_column(String(12), default="", server_default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    #: An emergency's stage (``core.lifecycle.Stage``), "" before it is accepted.
    stage: Mapped[str] = mapped_column(String(12), default="", server_default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


#: Request numbers on PostgreSQL: ``nextval`` never hands one number out twice, whatever
#: the number of processes (a rolled-back filing leaves a gap, which residents can bear).
REQUEST_NUMBERS = Sequence("request_numbers", metadata=Base.metadata)


class RequestCounter(Base):
    """Request numbers on SQLite (which has no sequences): the last number handed out, in
    one row, raised inside the filing transaction, which holds the database's write lock.
    """

    __tablename__ = "request_counter"
    __table_args__ = {"info": {"only_on": "sqlite"}}  # noqa: RUF012
    id: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int]


def on_engine(dialect: str) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """Alembic's ``include_object`` hook: leaves out the tables of another engine."""

    def include(obj: Any, _name: str | None, type_: str, _reflected: bool, _other: Any) -> bool:
        if type_ != "table":
            return True
        only_on = obj.info.get("only_on")
        return only_on is None or only_on == dialect

    return include


class RequestReporter(Base):
    __tablename__ = "request_reporters"
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)


class RequestPhoto(Base):
    __tablename__ = "request_photos"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    media_sha: Mapped[str] = mapped_column(ForeignKey("media.sha256"))
    kind: Mapped[str] = mapped_column(String(16))  # "resident" or "report"
    created_at: Mapped[datetime]


class RequestEvent(Base):
    """The request's history: who did what, when, with which comment."""

    __tablename__ = "request_events"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str] = mapped_column(String(16), default="")
    to_status: Mapped[str] = mapped_column(String(16), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class DuplicateOffer(Base):
    """A resident's answer to the offer to join an open request of the same building and
    type: the labelled pairs of real use.  It keeps ids only; the words are the joined
    event's, or the filed request's."""

    __tablename__ = "duplicate_offers"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    #: The open request offered.
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    #: The offered request's type when answered: a dispatcher may change it later.
    category: Mapped[str] = mapped_column(String(24))
    #: ``core.offers.Answer``: "accepted" or "declined".
    answer: Mapped[str] = mapped_column(String(12))
    #: Accepted: the "joined" event holding the resident's words and place.
    joined_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("request_events.id", ondelete="CASCADE"), index=True
    )
    #: Declined: the request the resident filed instead, once filed (None while they
    #: have not, or if they never did).
    filed_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    #: When the resident answered.
    created_at: Mapped[datetime]


class Media(Base):
    __tablename__ = "media"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    mime: Mapped[str] = mapped_column(String(32))
    size: Mapped[int]
    created_at: Mapped[datetime]


class MediaBlob(Base):
    """The bytes of a medium when ``MEDIA_STORE=database`` (several machines, one database)."""

    __tablename__ = "media_blobs"
    sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class InboxItem(Base):
    """An inbound event, committed before it is acknowledged; unique per channel event id.

    Queries filter on real columns only, never inside ``event``: on PostgreSQL reading a
    field of a ``json`` value parses it, and one body that cannot be parsed as text (a
    NUL or a lone surrogate, stored escaped) would fail the query for every row.  The
    body stays ``json``, not ``jsonb``: ``jsonb`` refuses such a body at the insert, and
    the insert commits a batch of acknowledgements together.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "event_id"),
        Index("ix_inbox_pending", "processed_at", "id"),
        # A chat's messages in a time window (a request's conversation in the console).
        Index("ix_inbox_chat", "channel", "chat", "received_at"),
        Index(
            "ix_inbox_quarantined",
            "id",
            postgresql_where=text("quarantined"),
            sqlite_where=text("quarantined"),
        ),
    )
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(100))
    chat: Mapped[str] = mapped_column(String(64))
    event: Mapped[dict[str, Any]]
    #: The album (media group) the event is part of, "" for none; filled at the insert.
    media_group: Mapped[str] = mapped_column(String(100), default="", server_default="")
    received_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    #: Its handling failed every time it was tried: set aside (``processed_at`` is set
    #: too, so it holds up nothing), the person told, shown to dispatchers by /failed.
    quarantined: Mapped[bool] = mapped_column(default=False, server_default=false())


class OutboxItem(Base):
    """A message to deliver, written in the transaction of the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        # The pending rows in id order (the due query walks them, oldest first).
        Index("ix_outbox_pending", "status", "id"),
        # Each chat's oldest pending message, among the pending rows only.
        Index("ix_outbox_heads", "status", "channel", "chat", "id"),
        # A messenger's receipt names the message by the id it gave at the send.
        Index("ix_outbox_delivery", "channel", "delivery_id"),
        # A chat's messages in a time window (a request's conversation in the console).
        Index("ix_outbox_chat", "channel", "chat", "created_at"),
    )
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str] = mapped_column(Text, default="")
    delivery_id: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    #: The messenger's latest report on the sent message ("delivered", "seen" or
    #: "failed" on the person's device), and when it came; empty while none came.
    receipt: Mapped[str] = mapped_column(String(12), default="", server_default="")
    receipt_at: Mapped[datetime | None]
    #: The answer to a button press (its body has ``answer_to``): not a chat message, so it
    #: never waits behind the chat's messages.  Kept by ``_answer_of`` from the body.
    answer: Mapped[bool] = mapped_column(default=False, server_default=false())

    @validates("body")
    def _answer_of(self, _key: str, body: dict[str, Any]) -> dict[str, Any]:
        self.answer = bool(body.get("answer_to"))
        return body


class MessageRef(Base):
    """Where an editable message (a dispatch card) was delivered, to edit it later."""

    __tablename__ = "message_refs"
    __table_args__ = (UniqueConstraint("channel", "chat", "edit_key"),)
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat: Mapped[str] = mapped_column(String(64))
    edit_key: Mapped[str] = mapped_column(String(64))
    delivery_id: Mapped[str] = mapped_column(String(64))


class ShownMenu(Base):
    """The options a chat was last shown as a numbered text, a list or shortened titles
    (:class:`core.choices.Menu`), so that a typed reply can be mapped to one of them."""

    __tablename__ = "shown_menus"
    __table_args__ = (UniqueConstraint("channel", "chat"),)
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat: Mapped[str] = mapped_column(String(64))
    options: Mapped[dict[str, Any]]
    #: A :class:`core.channel.FreeText` value: what the question takes besides options.
    free_text: Mapped[str] = mapped_column(String(8), default="")
    shown_at: Mapped[datetime]


class Conversation(Base):
    """Dialogue state per (channel, chat, user), with optimistic concurrency."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "chat", "user_ref"),)
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat: Mapped[str] = mapped_column(String(64))
    user_ref: Mapped[str] = mapped_column(String(64))
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class WebMessage(Base):
    """Messages the service sent to web-chat chats (the web channel's own mailbox)."""

    __tablename__ = "web_messages"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    chat: Mapped[str] = mapped_column(String(64), index=True)
    body: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class Incident(Base):
    """A known outage declared by dispatchers ("no hot water, Ленина 5, until 18:00")."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    category: Mapped[str] = mapped_column(String(24))
    entrance: Mapped[int | None]
    description: Mapped[str] = mapped_column(Text)
    until: Mapped[datetime | None]
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"))
    status: Mapped[str] = mapped_column(String(12), default="active")  # active | resolved
    created_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    #: An outage told to the building's residents: "planned" or "unplanned"; "" for an
    #: incident only answered when residents ask.
    kind: Mapped[str] = mapped_column(String(12), default="", server_default="")
    starts_at: Mapped[datetime | None]


class IncidentReporter(Base):
    """Residents who asked about an incident: all are told when it is resolved."""

    __tablename__ = "incident_reporters"
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)


# -- dispatch operations: assignment and reminders --------------------------


class Responsibility(Base):
    """The responsibility matrix: building x category -> technicians in order."""

    __tablename__ = "responsibilities"
    __table_args__ = (UniqueConstraint("building_id", "category", "technician_id"),)
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    #: None: every building.
    building_id: Mapped[int | None] = mapped_column(
        ForeignKey("buildings.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(24))  # a category slug or "*"
    technician_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)


class DutyShift(Base):
    """A working window: weekly (weekday 0=Monday) or on one date (an override)."""

    __tablename__ = "duty_shifts"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    technician_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int | None]
    on_date: Mapped[date | None] = mapped_column(Date)
    start_minute: Mapped[int]
    end_minute: Mapped[int]
    off: Mapped[bool] = mapped_column(Boolean, default=False)
    duty: Mapped[bool] = mapped_column(Boolean, default=False)


class Absence(Base):
    """Vacation, sick leave or a day off, first to last day inclusive."""

    __tablename__ = "absences"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    technician_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class Reminder(Base):
    """A reminder or escalation already sent: one row per (request, kind, period).

    Inserted (or skipped on conflict) in the same transaction as the outbox rows it
    causes, so each reminder goes out once per period whatever restarts or how many
    processes sweep.
    """

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("request_id", "kind", "period"),)
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    period: Mapped[int]
    created_at: Mapped[datetime]


class EscalationStep(Base):
    """One step of an escalation ladder: who is told how long after a job became late.

    A ladder belongs to a building, to an area (the buildings of one complex), or to
    every building (both empty); the most specific ladder a request has is used.
    """

    __tablename__ = "escalation_steps"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    building_id: Mapped[int | None] = mapped_column(
        ForeignKey("buildings.id", ondelete="CASCADE"), index=True
    )
    area: Mapped[str] = mapped_column(String(100), default="")
    after_minutes: Mapped[int]
    title: Mapped[str] = mapped_column(String(100))
    #: None: whoever the duty roster has on call at the time.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))


class Digest(Base):
    """The morning digest of one local day, sent once."""

    __tablename__ = "digests"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    created_at: Mapped[datetime]


# -- the staff console ---------------------------------------------------------


class ConsoleAccount(Base):
    """A sign-in to the staff console: a staff member's (dispatcher, admin) or an
    observer's (the customer's representative, limited to ``buildings``)."""

    __tablename__ = "console_accounts"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # dispatcher | admin | observer
    #: The staff member the actions are done as; None for an observer.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    #: An argon2 hash; "" until the password is set through the invite.
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    #: The TOTP secret once the second factor is enrolled, "" before.
    totp_secret: Mapped[str] = mapped_column(String(64), default="")
    #: Building ids an observer sees (ignored for other roles).
    buildings: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: The invite whose link sets the password.
    invite_id: Mapped[int | None] = mapped_column(ForeignKey("invites.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class ConsoleSession(Base):
    """A signed-in browser: only the token's hash is kept; revoking ends it at once."""

    __tablename__ = "console_sessions"
    id: Mapped[int] = mapped_column(ID, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("console_accounts.id", ondelete="CASCADE"), index=True
    )
    #: False while the password is right but the second factor is still owed.
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The TOTP secret being enrolled, kept here (never in the page) until a code proves
    #: it was scanned; "" when none is.
    totp_pending: Mapped[str] = mapped_column(String(64), default="", server_default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ConsoleThrottle(Base):
    """Failed sign-ins counted per login name and per client address."""

    __tablename__ = "console_throttle"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime]
    blocked_until: Mapped[datetime | None]


class ConsoleRolePolicy(Base):
    """What an admin requires of a console role (a second factor)."""

    __tablename__ = "console_role_policies"
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    totp_required: Mapped[bool] = mapped_column(Boolean, default=False)


# The console's board lists requests newest first or by deadline, and its reports take
# a period of filing: without these each would read the whole table.
Index("ix_requests_created_at", Request.created_at)
Index("ix_requests_deadline", Request.deadline)
# The reports take each request's first acceptance and completion from its history: this
# index answers that per request without reading the whole history table.
Index(
    "ix_request_events_firsts",
    RequestEvent.request_id,
    RequestEvent.action,
    RequestEvent.created_at,
)
