"""An inbound event into the intake with its photos, as every messenger adapter hands it
over: a photo that is not taken never loses the event, which is kept as that refusal so
the person is told why."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from core.channel import PHOTO_REFUSED, EventKind, InboundEvent
from core.ports import Accepted, Intake, MediaRefused

log = logging.getLogger(__name__)


def photo_refused(event: InboundEvent, reason: str) -> InboundEvent:
    """The event of a photo that was not taken: the dialogue says why (``reason``)."""
    return replace(
        event, kind=EventKind.UNSUPPORTED, media_group="", payload=f"{PHOTO_REFUSED}{reason}"
    )


async def accept_with_photos(
    intake: Intake, event: InboundEvent, media: Sequence[bytes]
) -> Accepted:
    """The event with its photos; when the intake refuses a photo, the event as that
    refusal.  ``UnstorableEvent`` and ``IntakeUnavailable`` are the caller's to answer."""
    try:
        return await intake.accept(event, media)
    except MediaRefused as exc:
        log.info("%s event %s: photo refused (%s)", event.channel, event.event_id, exc.reason)
        return await intake.accept(photo_refused(event, exc.reason))
