"""The renderer lays choices out within a channel's limits, losing nothing; the
recogniser maps typed replies back, and never a number meant as an answer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.telegram.channel import TELEGRAM_CAPABILITIES
from adapters.web.channel import WEB_CAPABILITIES
from bot.replies import wording
from bot.texts import en, ru
from core.channel import Button, Capabilities, FreeText, OutboundMessage
from core.choices import Menu, Option, fits, recognise, render, shorten, split_text

NARROW = Capabilities(max_buttons=3, max_button_text=20, max_text=300, window_hours=24)
LISTS = Capabilities(max_buttons=3, max_button_text=20, list_rows=10, list_title=24)
WORDS = wording("ru")
ORDINALS = {**ru.ORDINALS, **en.ORDINALS}
CARDINALS = {**ru.CARDINALS, **en.CARDINALS}

titles = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=70,
).filter(str.strip)
payloads = st.text("abcdefghijklmnopqrstuvwxyz0123456789:", min_size=1, max_size=64)
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")) | st.just("\n") | st.just(" "),
    max_size=1200,
)


@st.composite
def messages(draw: st.DrawFn, max_title: int = 70, max_buttons: int = 14) -> OutboundMessage:
    buttons = draw(
        st.lists(
            st.builds(Button, titles.map(lambda t: t[:max_title]), payloads),
            max_size=max_buttons,
            unique_by=lambda b: b.payload,
        )
    )
    per_row = draw(st.integers(1, 4))
    rows = tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
    return OutboundMessage(
        draw(texts),
        rows,
        request_contact=draw(st.booleans()),
        free_text=draw(st.sampled_from(FreeText)),
    )


def _payloads(message: OutboundMessage) -> list[str]:
    return [b.payload for row in message.buttons for b in row]


def _solid(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=300, deadline=None)
@given(messages(max_title=64, max_buttons=14))
def test_keyboards_that_fit_today_are_sent_unchanged(message: OutboundMessage) -> None:
    for capabilities in (WEB_CAPABILITIES, TELEGRAM_CAPABILITIES):
        if len(message.text) > capabilities.max_text:
            continue
        if message.request_contact and not capabilities.contact_request:
            continue
        rendered = render(message, capabilities, WORDS)
        assert rendered.parts == (message,) and rendered.menu is None


@settings(max_examples=300, deadline=None)
@given(messages(), st.sampled_from([NARROW, LISTS]))
def test_every_part_fits_and_every_option_stays_reachable(
    message: OutboundMessage, capabilities: Capabilities
) -> None:
    rendered = render(message, capabilities, WORDS)
    for part in rendered.parts:
        assert fits(part, capabilities), part
    # Nothing of the text is lost, and only the last part has buttons.
    shown = "".join(_solid(p.text) for p in rendered.parts)
    assert shown.startswith(_solid(message.text))
    assert all(not p.buttons for p in rendered.parts[:-1])
    original = _payloads(message)
    if not original:
        assert rendered.menu is None
        return
    last = rendered.parts[-1]
    if last.buttons:  # as buttons (or a list), each option a button with its own payload
        assert _payloads(last) == original
    else:  # as text: each option with its full title, and remembered
        assert rendered.menu is not None
        for button in (b for row in message.buttons for b in row):
            assert _solid(button.text) in shown
    if rendered.menu is not None:
        assert [o.payload for o in rendered.menu.options] == original
        assert [o.title for o in rendered.menu.options] == [
            b.text for row in message.buttons for b in row
        ]


def test_titles_are_shortened_where_they_stay_distinct() -> None:
    long = OutboundMessage(
        "Кого назначить?",
        (
            (Button("Сергей Иванов · Сантехник · 0", "a"),),
            (Button("Алексей Смирнов · Электрик", "b"),),
        ),
    )
    rendered = render(long, NARROW, WORDS)
    (part,) = rendered.parts
    assert [b.text for row in part.buttons for b in row] == [
        "Сергей Иванов ·…",
        "Алексей Смирнов ·…",
    ]
    assert rendered.menu is not None
    assert rendered.menu.options[0] == Option(
        "a", "Сергей Иванов · Сантехник · 0", "Сергей Иванов ·…"
    )


def test_titles_alike_once_shortened_go_as_a_numbered_text_in_full() -> None:
    alike = OutboundMessage(
        "Какой дом?",
        ((Button("ул. Ленина, д. 5, корпус 1", "a"), Button("ул. Ленина, д. 5, корпус 2", "b")),),
    )
    rendered = render(alike, NARROW, WORDS)
    (part,) = rendered.parts
    assert not part.buttons
    assert part.text == (
        "Какой дом?\n\n1. ул. Ленина, д. 5, корпус 1\n2. ул. Ленина, д. 5, корпус 2\n"
        + ru.TEXTS["choose_number"]
    )


def test_a_list_where_the_channel_has_lists() -> None:
    many = OutboundMessage("Тип?", tuple((Button(f"Вариант {i}", f"p{i}"),) for i in range(8)))
    (part,) = render(many, LISTS, WORDS).parts
    assert part.as_list and len(part.buttons) == 8
    assert not render(many, NARROW, WORDS).parts[0].as_list


def test_numbers_welcome_make_a_lettered_list() -> None:
    place = OutboundMessage(
        "Где именно?",
        (
            (Button("Квартира", "apt"), Button("Подъезд", "ent")),
            (Button("Подвал", "bas"), Button("Крыша", "roof")),
        ),
        free_text=FreeText.NUMBERS,
    )
    rendered = render(place, NARROW, WORDS)
    assert "а) Квартира\nб) Подъезд\nв) Подвал\nг) Крыша" in rendered.parts[0].text
    assert rendered.parts[0].text.endswith(ru.TEXTS["choose_letter"])


def test_a_contact_request_becomes_a_line_asking_to_type_it() -> None:
    ask = OutboundMessage("Телефон?", ((Button("Пропустить", "skip"),),), request_contact=True)
    (part,) = render(ask, NARROW, WORDS).parts
    assert part.text == "Телефон?\n\n" + ru.TEXTS["type_phone"]
    assert not part.request_contact and part.buttons == ask.buttons
    assert render(ask, TELEGRAM_CAPABILITIES, WORDS).parts == (ask,)


def test_a_long_text_is_split_with_the_buttons_on_its_last_part() -> None:
    text = "\n\n".join(f"Абзац {i}. " + "слово " * 30 for i in range(5))
    message = OutboundMessage(text, ((Button("Да", "y"),),), photos=("sha",))
    parts = render(message, NARROW, WORDS).parts
    assert len(parts) > 1 and all(len(p.text) <= NARROW.max_text for p in parts)
    assert parts[0].photos == ("sha",) and all(not p.photos for p in parts[1:])
    assert parts[-1].buttons == message.buttons and all(not p.buttons for p in parts[:-1])
    assert all(p.text.startswith("Абзац") for p in parts[1:])  # cut between paragraphs


def test_a_payload_too_long_for_the_channel_goes_by_number() -> None:
    message = OutboundMessage("?", ((Button("Да", "y" * 65),),))
    rendered = render(message, NARROW, WORDS)
    assert not rendered.parts[0].buttons and "1. Да" in rendered.parts[0].text
    assert rendered.menu is not None and rendered.menu.options[0].payload == "y" * 65


@given(texts, st.integers(5, 200))
def test_split_keeps_every_character_within_the_limit(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(len(p) <= limit for p in parts)
    assert "".join(_solid(p) for p in parts) == _solid(text)


@given(titles, st.integers(2, 40))
def test_shorten_stays_within_the_limit(title: str, limit: int) -> None:
    short = shorten(title, limit)
    assert len(short) <= limit
    assert short == title or short.endswith("…")


# -- the recogniser ------------------------------------------------------------------

CATEGORIES = Menu(
    tuple(
        Option(f"cat:{i}", title, title, str(i + 1))
        for i, title in enumerate(["Водоснабжение", "Канализация", "Отопление"])
    )
)
PLACES = Menu(
    tuple(
        Option(f"loc:{i}", title, title, letter)
        for i, (title, letter) in enumerate(
            zip(["Квартира", "Подъезд", "Подвал"], "абв", strict=True)
        )
    ),
    FreeText.NUMBERS,
)
BUILDINGS = Menu(
    (
        Option("b1", "ул. Ленина, д. 5", "ул. Ленина, д. 5", "1"),
        Option("b2", "ул. Ленина, д. 7", "ул. Ленина, д. 7", "2"),
        Option("b3", "ул. Садовая, д. 12, Квартира 45", "ул. Садовая, д. 12, Квартира 45", "3"),
    ),
    FreeText.TEXT,
)


def _said(reply: str, menu: Menu) -> str | None:
    return recognise(reply, menu, ORDINALS, CARDINALS)


def test_an_option_by_its_number_in_every_form() -> None:
    for reply in ("2", "2.", "2)", "№2", " 2 ", "второй", "Вторая", "second", "2nd", "два", "two"):
        assert _said(reply, CATEGORIES) == "cat:1", reply
    assert _said("4", CATEGORIES) is None  # no fourth option
    assert _said("12", CATEGORIES) is None


def test_an_option_by_its_words() -> None:
    assert _said("отопление", CATEGORIES) == "cat:2"
    assert _said("Отоплени", CATEGORIES) == "cat:2"  # a typo
    assert _said("канализацию", CATEGORIES) == "cat:1"
    assert _said("✅ Водоснабжение!", CATEGORIES) == "cat:0"
    assert _said("Ленина 7", BUILDINGS) == "b2"
    assert _said("Ленина", BUILDINGS) is None  # two buildings on Lenina: ambiguous


def test_free_text_that_names_no_option_passes() -> None:
    assert _said("течёт кран на кухне", CATEGORIES) is None
    # Digits the title does not hold: a description, not the building's button.
    assert _said("Ленина 5, кв 12 — течёт кран", BUILDINGS) is None
    assert _said("да", CATEGORIES) is None


def test_where_numbers_are_answers_a_number_is_never_an_option() -> None:
    for reply in ("1", "2", "12", "кв 12", "№ 2", "2.", "квартира 12", "два"):
        assert _said(reply, PLACES) is None, reply
    assert _said("б", PLACES) == "loc:1"
    assert _said("Б)", PLACES) == "loc:1"
    assert _said("второй", PLACES) == "loc:1"
    assert _said("подвал", PLACES) == "loc:2"


@given(st.integers(0, 100_000), st.text("кв№# .", max_size=4))
def test_no_number_ever_picks_a_place(number: int, prefix: str) -> None:
    assert _said(f"{prefix}{number}", PLACES) is None


@given(
    st.lists(titles, min_size=1, max_size=12, unique_by=lambda t: " ".join(t.casefold().split()))
)
def test_every_option_is_reachable_by_its_number(options: list[str]) -> None:
    menu = Menu(tuple(Option(f"p{i}", t, t, str(i + 1)) for i, t in enumerate(options)))
    for i in range(len(options)):
        assert _said(str(i + 1), menu) == f"p{i}"


def test_where_people_type_buttons_shown_as_they_are_are_remembered_too() -> None:
    typed = Capabilities(max_buttons=3, max_button_text=20, max_text=40, typed_choices=True)
    short = OutboundMessage("Принять?", ((Button("✅ Принять", "a"), Button("Отказаться", "d")),))
    rendered = render(short, typed, WORDS)
    assert rendered.parts == (short,)
    assert rendered.menu == Menu(
        (Option("a", "✅ Принять", "✅ Принять"), Option("d", "Отказаться", "Отказаться"))
    )
    # Split for its length, the buttons are still a menu.
    long = OutboundMessage("слово " * 20, short.buttons)
    rendered = render(long, typed, WORDS)
    assert len(rendered.parts) > 1 and rendered.menu is not None
    assert render(short, NARROW, WORDS).menu is None  # a channel where people tap
