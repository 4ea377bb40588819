"""A turn's plain texts open the message after them instead of arriving on their own."""

from __future__ import annotations

from bot.notices import coalesce
from core.channel import Button, OutboundMessage

YES = ((Button("Да", "v1:q:confirm:yes"),),)


def test_a_plain_text_opens_the_question_after_it() -> None:
    merged = coalesce([OutboundMessage("Выберите кнопкой."), OutboundMessage("Верно?", YES)])
    assert merged == [OutboundMessage("Выберите кнопкой.\n\nВерно?", YES)]


def test_plain_texts_in_a_row_become_one() -> None:
    merged = coalesce([OutboundMessage("раз"), OutboundMessage("два")])
    assert merged == [OutboundMessage("раз\n\nдва")]


def test_photos_cards_and_answers_keep_their_own_message() -> None:
    photo = OutboundMessage("фото", photos=("sha",))
    card = OutboundMessage("карточка", edit_key="card-1")
    toast = OutboundMessage("", answer_to="cb")
    for other in (photo, card, toast):
        assert coalesce([OutboundMessage("текст"), other]) == [OutboundMessage("текст"), other]


def test_order_and_everything_else_is_kept() -> None:
    first = OutboundMessage("Вопрос?", YES)
    messages = [first, OutboundMessage("пояснение"), OutboundMessage("Ещё?", YES)]
    assert coalesce(messages) == [first, OutboundMessage("пояснение\n\nЕщё?", YES)]
    assert coalesce([]) == []
    assert coalesce([first]) == [first]
