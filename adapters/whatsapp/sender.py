"""Outbound messages -> Cloud API ``/messages`` bodies, every limit checked before a send.

A message becomes, in order: its photos (image messages by uploaded media id; the only
photo carries the text as its caption when it fits), then its text, then its buttons
as reply buttons, or as a list where the choices renderer (:mod:`core.choices`) made
one.  A message that cannot be shown within WhatsApp's limits raises
:class:`core.channel.DeliveryError` with ``refused`` before anything is sent: the outbox
then tries its simpler forms.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from core.channel import Button, DeliveryError, OutboundMessage

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_BUTTON_BODY = 1024
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_ID = 200
MAX_LIST_BODY = 4096
#: The body of buttons whose question went before them as a text of its own.
BELOW = "⬇️"
#: The label of the button that opens a list: a sign, so it needs no language.
LIST_LABEL = "☰"
#: What a template parameter may not hold (Meta refuses line breaks, tabs and runs of
#: more than four spaces in one), and how much of a notice one carries.
_NOT_IN_PARAMETER = re.compile(r"\s*[\n\r\t]+\s*| {5,}")
MAX_PARAMETER = 700
#: A request's number in the service's notices ("№12", "#12").
_REQUEST_NUMBER = re.compile(r"[№#]\s?(\d{1,9})")


@dataclass(frozen=True, slots=True)
class Template:
    """The approved template a notice goes as outside the 24-hour window."""

    name: str
    language: str


def refused(why: str) -> DeliveryError:
    return DeliveryError(f"whatsapp: {why}", refused=True)


def buttons_of(message: OutboundMessage) -> list[Button]:
    return [button for row in message.buttons for button in row]


def fits_buttons(buttons: Sequence[Button]) -> bool:
    titles = [b.text for b in buttons]
    return (
        len(buttons) <= MAX_BUTTONS
        and len(set(titles)) == len(titles)
        and all(1 <= len(t) <= MAX_BUTTON_TITLE for t in titles)
        and all(1 <= len(b.payload) <= MAX_BUTTON_ID for b in buttons)
    )


def fits_list(buttons: Sequence[Button]) -> bool:
    titles = [b.text for b in buttons]
    return (
        len(buttons) <= MAX_ROWS
        and len(set(titles)) == len(titles)
        and all(1 <= len(t) <= MAX_ROW_TITLE for t in titles)
        and all(1 <= len(b.payload) <= MAX_ROW_ID for b in buttons)
    )


def interactive(text: str, buttons: Sequence[Button], as_list: bool) -> dict[str, Any]:
    """Reply buttons, or a list (where the renderer chose one)."""
    if not as_list:
        if not fits_buttons(buttons):
            raise refused(
                f"{len(buttons)} buttons over {MAX_BUTTONS} of {MAX_BUTTON_TITLE} characters"
            )
        if len(text) > MAX_BUTTON_BODY:
            raise refused(f"a body of {len(text)} characters over buttons")
        return {
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": text},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": b.payload, "title": b.text}}
                        for b in buttons
                    ]
                },
            },
        }
    if not fits_list(buttons):
        raise refused(f"{len(buttons)} rows over {MAX_ROWS} of {MAX_ROW_TITLE} characters")
    if len(text) > MAX_LIST_BODY:
        raise refused(f"a body of {len(text)} characters over a list")
    return {
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": text},
            "action": {
                "button": LIST_LABEL,
                "sections": [
                    {"rows": [{"id": b.payload, "title": b.text} for b in buttons]},
                ],
            },
        },
    }


def text_body(text: str) -> dict[str, Any]:
    if len(text) > MAX_TEXT:
        raise refused(f"a text of {len(text)} characters (at most {MAX_TEXT})")
    return {"type": "text", "text": {"body": text, "preview_url": False}}


def image_body(media_id: str, caption: str) -> dict[str, Any]:
    image: dict[str, Any] = {"id": media_id}
    if caption:
        image["caption"] = caption
    return {"type": "image", "image": image}


async def bodies(
    message: OutboundMessage, upload: Callable[[str], Awaitable[str | None]]
) -> list[dict[str, Any]]:
    """The calls that show ``message``, in order (``upload(sha)`` gives a photo's media
    id, None when the photo is gone).  Raises a refusal before any upload when the
    message cannot be shown."""
    buttons = buttons_of(message)
    text = message.text
    # Checked before anything is uploaded: a refused message costs no call.
    tail: list[dict[str, Any]] = []
    caption_fits = len(message.photos) == 1 and not buttons and len(text) <= MAX_CAPTION
    if buttons:
        limit = MAX_LIST_BODY if message.as_list else MAX_BUTTON_BODY
        if len(text) > limit:
            tail.append(text_body(text))
            text = ""
        tail.append(interactive(text or BELOW, buttons, message.as_list))
    elif text and not caption_fits:
        tail.append(text_body(text))
    images: list[dict[str, Any]] = []
    for sha in message.photos:
        media_id = await upload(sha)
        if media_id is not None:
            images.append(image_body(media_id, text if caption_fits else ""))
    if caption_fits and not images and text:
        tail.append(text_body(text))
    result = images + tail
    if not result:
        raise refused("nothing to show")
    return result


def template_body(template: Template, message: OutboundMessage) -> dict[str, Any]:
    """The approved template carrying the notice (as one parameter) and a quick-reply
    button whose press asks for the request's status, which opens the window again."""
    notice = _NOT_IN_PARAMETER.sub(" · ", message.text.strip()) or BELOW
    if len(notice) > MAX_PARAMETER:
        notice = notice[: MAX_PARAMETER - 1] + "…"
    number = _REQUEST_NUMBER.search(message.text)
    press = f"/status {number.group(1)}" if number else "/my"
    return {
        "type": "template",
        "template": {
            "name": template.name,
            "language": {"code": template.language},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": notice}]},
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": "0",
                    "parameters": [{"type": "payload", "payload": press}],
                },
            ],
        },
    }
