"""Choices laid out by what a channel can show, and a typed reply mapped back to one.

:func:`render` turns an :class:`~core.channel.OutboundMessage` into the messages a
channel with given :class:`~core.channel.Capabilities` can take: its buttons as they
are where they fit, shortened titles where those stay distinct, a list where the
channel has lists, otherwise a numbered text.  Whatever is not shown as the original
keyboard comes back as a :class:`Menu` to remember, so that :func:`recognise` can map
a typed reply (a number, an ordinal word, the option's words) to the option's payload.
Every option stays reachable in every layout.  Pure: the words shown (hints, the lines
that ask to type a phone) are handed in, in the person's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz import fuzz, utils

from core.channel import Button, Capabilities, FreeText, OutboundMessage

ELLIPSIS = "…"
#: Scores (0-100) a typed reply needs to be taken as an option's title, and the lead it
#: needs over the next option: higher where typed words are welcome as answers too.
CLOSE_ENOUGH = 80
CLOSE_ENOUGH_WITH_FREE_TEXT = 85
CLEAR_LEAD = 10
#: Replies shorter than this match titles only exactly ("да" is in too many titles).
MIN_FUZZY = 4


@dataclass(frozen=True, slots=True)
class Wording:
    """The words a rendering may add, in the reader's language."""

    numbers_hint: str  #: under a numbered list: "reply with the number"
    letters_hint: str  #: under a lettered list (numbers are answers there)
    letters: str  #: the letters that mark options of a lettered list, in order
    type_phone: str  #: where the channel cannot ask for the contact
    type_location: str  #: where the channel cannot ask for the location


@dataclass(frozen=True, slots=True)
class Option:
    payload: str
    title: str  #: the full title
    shown: str  #: as shown (shortened), the same when it fitted
    marker: str = ""  #: "2" or "б" in a numbered or lettered text; "" as buttons/list


@dataclass(frozen=True, slots=True)
class Menu:
    """The options a chat was shown in another form than the original keyboard."""

    options: tuple[Option, ...]
    free_text: FreeText = FreeText.NONE

    def to_json(self) -> dict[str, Any]:
        return {"options": [[o.payload, o.title, o.shown, o.marker] for o in self.options]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], free_text: str) -> Menu:
        options = tuple(
            Option(str(p), str(t), str(s), str(m)) for p, t, s, m in data.get("options", ())
        )
        return cls(options, FreeText(free_text))


@dataclass(frozen=True, slots=True)
class Rendered:
    parts: tuple[OutboundMessage, ...]
    menu: Menu | None = None


def _payload_fits(button: Button, capabilities: Capabilities) -> bool:
    return 1 <= len(button.payload.encode()) <= capabilities.max_payload_bytes


def _flat(message: OutboundMessage) -> list[Button]:
    return [button for row in message.buttons for button in row]


def fits(message: OutboundMessage, capabilities: Capabilities) -> bool:
    """True when the channel shows the message exactly as it is."""
    buttons = _flat(message)
    count, title = (
        (capabilities.list_rows, capabilities.list_title)
        if message.as_list
        else (capabilities.max_buttons, capabilities.max_button_text)
    )
    return (
        len(buttons) <= count
        and all(len(b.text) <= title and _payload_fits(b, capabilities) for b in buttons)
        and len(message.text) <= capabilities.max_text
        and (not message.request_contact or capabilities.contact_request)
        and (not message.request_location or capabilities.location_request)
    )


def as_is(message: OutboundMessage, capabilities: Capabilities) -> bool:
    """True when :func:`render` returns the message unchanged, with no menu to remember."""
    if message.answer_to:
        return True
    return fits(message, capabilities) and not (capabilities.typed_choices and message.buttons)


def shorten(title: str, limit: int) -> str:
    """``title`` in at most ``limit`` characters: cut at a word boundary where one is
    near, the cut marked with an ellipsis."""
    if len(title) <= limit:
        return title
    head = title[: limit - 1]
    space = head.rfind(" ")
    if space >= limit // 2:
        head = head[:space]
    return head.rstrip(" ,.;:-–—") + ELLIPSIS


def _shortened(buttons: Sequence[Button], limit: int) -> list[str] | None:
    """The titles within ``limit``, or None when shortening makes two of them alike."""
    if limit < 2:
        return None
    titles = [shorten(b.text, limit) for b in buttons]
    if len({_normal(t) for t in titles}) < len(titles):
        return None
    return titles


def _marker(index: int, letters: str) -> str:
    if not letters:
        return str(index + 1)
    return letters[index % len(letters)] * (index // len(letters) + 1)


def render(message: OutboundMessage, capabilities: Capabilities, wording: Wording) -> Rendered:
    """The messages that show ``message`` within ``capabilities`` (see the module)."""
    if as_is(message, capabilities):
        return Rendered((message,))
    buttons = _flat(message)
    # Where people type their answers, buttons shown as they are are a menu too.
    menu = (
        Menu(tuple(Option(b.payload, b.text, b.text) for b in buttons), message.free_text)
        if buttons and capabilities.typed_choices
        else None
    )
    if fits(message, capabilities):
        return Rendered((message,), menu)
    blocks = [message.text] if message.text else []
    if message.request_contact and not capabilities.contact_request:
        blocks.append(wording.type_phone)
    if message.request_location and not capabilities.location_request:
        blocks.append(wording.type_location)
    rows = message.buttons
    as_list = False
    payloads_fit = all(_payload_fits(b, capabilities) for b in buttons)
    if buttons and not fits(
        replace(message, text="", request_contact=False, request_location=False), capabilities
    ):
        short = _shortened(buttons, capabilities.max_button_text)
        listed = _shortened(buttons, capabilities.list_title)
        if short is not None and len(buttons) <= capabilities.max_buttons and payloads_fit:
            rows, menu = _relabelled(message.buttons, short, message.free_text)
        elif listed is not None and 0 < len(buttons) <= capabilities.list_rows and payloads_fit:
            rows, menu = _relabelled(tuple((b,) for b in buttons), listed, message.free_text)
            as_list = True
        else:
            letters = wording.letters if message.free_text is FreeText.NUMBERS else ""
            options = tuple(
                Option(b.payload, b.text, b.text, _marker(i, letters))
                for i, b in enumerate(buttons)
            )
            dot = ")" if letters else "."
            lines = [f"{o.marker}{dot} {o.title}" for o in options]
            lines.append(wording.letters_hint if letters else wording.numbers_hint)
            blocks.append("\n".join(lines))
            rows = ()
            menu = Menu(options, message.free_text)
    texts = split_text("\n\n".join(blocks), capabilities.max_text)
    last = replace(
        message,
        text=texts[-1],
        buttons=rows,
        as_list=as_list,
        request_contact=message.request_contact and capabilities.contact_request,
        request_location=message.request_location and capabilities.location_request,
    )
    if len(texts) == 1:
        return Rendered((last,), menu)
    first = OutboundMessage(texts[0], photos=message.photos)
    middle = tuple(OutboundMessage(t) for t in texts[1:-1])
    return Rendered((first, *middle, replace(last, photos=())), menu)


def _relabelled(
    rows: tuple[tuple[Button, ...], ...], titles: Sequence[str], free_text: FreeText
) -> tuple[tuple[tuple[Button, ...], ...], Menu]:
    flat = [b for row in rows for b in row]
    shown = iter(titles)
    new_rows = tuple(tuple(Button(next(shown), b.payload) for b in row) for row in rows)
    options = tuple(Option(b.payload, b.text, t) for b, t in zip(flat, titles, strict=True))
    return new_rows, Menu(options, free_text)


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in parts of at most ``limit`` characters, cut between paragraphs, else
    lines, else words (inside a word only when one is longer than ``limit``)."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = next((i for i in (window.rfind(sep) for sep in ("\n\n", "\n", " ")) if i > 0), limit)
        part = rest[:cut].rstrip()
        if part:
            parts.append(part)
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


_ENDS = re.compile(r"^[\W_]+|[\W_]+$")


def _normal(text: str) -> str:
    """Case, ё, repeated spaces and what is no letter or digit at the ends (punctuation,
    an emoji before a title, "№" before a number) do not matter in a reply."""
    return _ENDS.sub("", " ".join(text.casefold().replace("ё", "е").split()))


def _likeness(said: str, title: str) -> float:
    return float(fuzz.WRatio(said, _normal(title), processor=utils.default_process))


def _digits(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def recognise(
    reply: str,
    menu: Menu,
    ordinals: Mapping[str, int],
    cardinals: Mapping[str, int],
) -> str | None:
    """The payload of the option ``reply`` names, or None when it names none clearly.

    An option is named by its marker ("2", "2.", "№2" in a numbered text; "б" in a
    lettered one), an ordinal word ("второй", "second"), a number word ("два", where
    the options were numbered), or its title: exactly, or close enough and clearly
    closer than any other.  Where numbers are welcome as answers (an apartment), the
    options were lettered, so a bare number or "кв 12" is never an option: a reply with
    digits only matches a title that holds those digits.
    """
    said = _normal(reply)
    if not said:
        return None
    options = menu.options
    by_marker = [o for o in options if o.marker and o.marker == said]
    if by_marker:
        return by_marker[0].payload
    numbered = bool(options) and options[0].marker == "1"
    if said in cardinals and not numbered:
        return None  # a number, in words, where numbers are answers
    index = ordinals.get(said) or cardinals.get(said)
    if index is not None:
        return options[index - 1].payload if 1 <= index <= len(options) else None
    exact = [o for o in options if said in (_normal(o.title), _normal(o.shown))]
    if exact:
        return exact[0].payload if len({o.payload for o in exact}) == 1 else None
    if len(said) < MIN_FUZZY:
        return None
    digits = _digits(said)
    scores = sorted(
        (
            (max(_likeness(said, o.title), _likeness(said, o.shown)), i)
            for i, o in enumerate(options)
            if digits <= _digits(o.title)
        ),
        reverse=True,
    )
    if not scores:
        return None
    cutoff = CLOSE_ENOUGH if menu.free_text is FreeText.NONE else CLOSE_ENOUGH_WITH_FREE_TEXT
    best, chosen = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best >= cutoff and best - runner_up >= CLEAR_LEAD:
        return options[chosen].payload
    return None
