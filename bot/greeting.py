"""The welcome a channel shows a person who opened its chat before writing a word.

Some messengers let a bot write first only in its answer to the chat being opened: the
welcome carries one button whose reply starts the dialogue with the deep link's payload
(a QR code's building, a staff invite), as a ``/start <payload>`` message does."""

from __future__ import annotations

from bot import texts
from core.channel import Button, OutboundMessage


def greeting(language: str, payload: str) -> OutboundMessage:
    lang = "en" if language.lower().startswith("en") else texts.DEFAULT
    start = f"/start {payload}" if payload else "/start"
    return OutboundMessage(
        texts.t(lang, "welcome"), buttons=((Button(texts.t(lang, "btn_begin"), start),),)
    )
