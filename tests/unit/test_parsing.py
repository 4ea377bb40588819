"""Free-text extraction on the demo buildings: address, place, phone, date, leftovers."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.parsing import (
    AddressKey,
    address_keys,
    address_words,
    date_example,
    find_location,
    find_phone,
    leftover_description,
    match_buildings,
    normalize_phone,
    parse_date,
    without_address,
)
from core.model import Location, LocationKind

BUILDINGS_CSV = Path(__file__).resolve().parents[2] / "data" / "demo" / "buildings.csv"
MSK = ZoneInfo("Europe/Moscow")
L = LocationKind


def _load() -> tuple[dict[int, str], list[AddressKey]]:
    codes: dict[int, str] = {}
    keys: list[AddressKey] = []
    with BUILDINGS_CSV.open(encoding="utf-8", newline="") as handle:
        for building_id, row in enumerate(csv.DictReader(handle), start=1):
            codes[building_id] = row["code"]
            keys += address_keys(building_id, row["address"], row["aliases"])
    return codes, keys


CODES, KEYS = _load()


def best(text: str) -> str | None:
    found = match_buildings(text, KEYS)
    return CODES[found[0][0]] if found else None


# -- address_keys -------------------------------------------------------------


def cyrillic(keys: list[AddressKey]) -> list[AddressKey]:
    return [k for k in keys if not k.street[0].isascii()]


def test_address_keys_of_a_plain_address() -> None:
    keys = address_keys(1, "ул. Ленина, д. 5", "")
    assert keys == [AddressKey(1, ("ленина",), "5"), AddressKey(1, ("lenina",), "5")]


def test_latin_spelling_finds_the_building() -> None:
    keys = address_keys(1, "ул. Ленина, д. 5", "")
    assert match_buildings("Lenina 5, apt 3: no hot water", keys)[0][0] == 1


def test_address_keys_include_aliases() -> None:
    keys = cyrillic(address_keys(2, "ул. Садовая, д. 12", "Садовая 12;Садовой 12"))
    assert {k.street for k in keys} == {("садовая",), ("садовой",)}
    assert {k.house for k in keys} == {"12"}
    assert {k.building_id for k in keys} == {2}


def test_address_keys_number_before_street() -> None:
    assert cyrillic(address_keys(9, "5 Ленина", "")) == [AddressKey(9, ("ленина",), "5")]


def test_address_keys_skip_variants_without_a_number_or_street() -> None:
    assert address_keys(1, "ул. Ленина", "") == []
    assert address_keys(1, "д. 5", " ; ") == []


def test_address_keys_multiword_street_and_letter_house() -> None:
    (key,) = cyrillic(address_keys(4, "пр. Маршала Жукова, д. 3/1", ""))
    assert key == AddressKey(4, ("маршала", "жукова"), "3/1")


def test_address_keys_of_every_demo_building() -> None:
    assert {(CODES[k.building_id], k.street[0], k.house) for k in KEYS} >= {
        ("len5", "ленина", "5"),
        ("sad12", "садовая", "12"),
        ("sad12", "садовой", "12"),
        ("mir101", "мира", "101"),
        ("zar7", "заречная", "7"),
    }


# -- match_buildings ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ленина 5, 3 подъезд, 7 этаж — не горит свет", "len5"),
        ("садовой 12 кв 45", "sad12"),
        ("Садовая 12", "sad12"),
        ("Мира 101 корпус 2", "mir101"),
        ("мира 101 к2", "mir101"),
        ("ул. Ленина, д.5", "len5"),
        ("Ленина д 5 кв 12", "len5"),
        ("ЛЕНИНА 5", "len5"),
        ("5 ленина", "len5"),
        ("заречной 7, подвал затопило", "zar7"),
        ("течёт крыша на заречная 7", "zar7"),
    ],
)
def test_match_buildings(text: str, code: str) -> None:
    assert best(text) == code


@pytest.mark.parametrize("text", ["ленна 5", "ленинна 5", "линина 5", "садова 12", "заречая 7"])
def test_match_buildings_with_typos(text: str) -> None:
    found = match_buildings(text, KEYS)
    assert found
    assert CODES[found[0][0]] in {"len5", "sad12", "zar7"}
    assert CODES[found[0][0]][:3] == {"л": "len", "с": "sad", "з": "zar"}[text[0]]


@pytest.mark.parametrize("text", ["ленина 7", "Ленина 55", "Мира 102", "садовая 1", "заречная 77"])
def test_another_house_on_a_known_street_is_no_match(text: str) -> None:
    assert match_buildings(text, KEYS) == []


@pytest.mark.parametrize("text", ["", "течёт кран", "Пушкина 5", "12345", "кв 5"])
def test_no_address_no_match(text: str) -> None:
    assert match_buildings(text, KEYS) == []


def test_exact_house_scores_above_street_only() -> None:
    with_house = dict(match_buildings("ленина 5", KEYS))
    street_only = dict(match_buildings("на ленина опять нет света", KEYS))
    (building_id,) = street_only
    assert CODES[building_id] == "len5"
    assert with_house[building_id] > street_only[building_id]


def test_results_are_sorted_best_first() -> None:
    found = match_buildings("садовая 12 или ленина", KEYS)
    assert [CODES[i] for i, _ in found] == ["sad12", "len5"]
    assert found[0][1] > found[1][1]


# -- find_location ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ленина 5, 3 подъезд, 7 этаж — не горит свет", Location(L.FLOOR, 7, 3)),
        ("садовой 12 кв 45", Location(L.APARTMENT, 45)),
        ("кв. 12", Location(L.APARTMENT, 12)),
        ("квартира 7", Location(L.APARTMENT, 7)),
        ("в квартире 88 нет воды", Location(L.APARTMENT, 88)),
        ("кв. №15", Location(L.APARTMENT, 15)),
        ("квартира 12, 3 подъезд", Location(L.APARTMENT, 12, 3)),
        ("apt 5", Location(L.APARTMENT, 5)),
        ("apartment #7", Location(L.APARTMENT, 7)),
        ("flat 9", Location(L.APARTMENT, 9)),
        ("3-й подъезд", Location(L.ENTRANCE, 3)),
        ("подъезд 4", Location(L.ENTRANCE, 4)),
        ("подъезд №2", Location(L.ENTRANCE, 2)),
        ("entrance 2", Location(L.ENTRANCE, 2)),
        ("entrance 2 floor 3", Location(L.FLOOR, 3, 2)),
        ("entrance 2, 3rd floor", Location(L.FLOOR, 3, 2)),
        ("2 подъезд, этаж 7", Location(L.FLOOR, 7, 2)),
        ("подъезд 2, этаж 5", Location(L.FLOOR, 5, 2)),
        ("в 3м подъезде на 4-м этаже", Location(L.FLOOR, 4, 3)),
        ("в подвале течёт", Location(L.BASEMENT)),
        ("на чердаке голуби", Location(L.ATTIC)),
        ("крыша течёт", Location(L.ROOF)),
        ("течёт с крыши", Location(L.ROOF)),
        ("во дворе яма", Location(L.YARD)),
        ("детская площадка сломана", Location(L.YARD)),
        ("лифт не работает", Location(L.ELEVATOR)),
        ("застряли в лифте", Location(L.ELEVATOR)),
        ("на лестнице грязно", Location(L.STAIRWELL)),
        ("в подъезде грязно", Location(L.STAIRWELL)),
        ("парковка не освещена", Location(L.PARKING)),
        ("basement is flooded", Location(L.BASEMENT)),
        ("the lift is stuck", Location(L.ELEVATOR)),
        ("water on the stairs", Location(L.STAIRWELL)),
    ],
)
def test_find_location(text: str, expected: Location) -> None:
    assert find_location(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("подъезд 2 этаж 5", Location(L.FLOOR, 5, 2)),
        ("подъезд №2 этаж 5", Location(L.FLOOR, 5, 2)),
        ("этаж 5 подъезд 2", Location(L.FLOOR, 5, 2)),
    ],
    ids=["entrance-N-floor-M", "entrance-No-N-floor-M", "floor-M-entrance-N"],
)
def test_find_location_does_not_read_one_number_twice(text: str, expected: Location) -> None:
    """The number after "подъезд" is the entrance, not also the floor (and vice versa)."""
    assert find_location(text) == expected


@pytest.mark.parametrize("text", ["", "не горит свет", "Ленина 5", "кв 0", "квартал"])
def test_no_location(text: str) -> None:
    assert find_location(text) is None


def test_found_locations_encode_and_decode() -> None:
    for text in ["кв 12", "подъезд 3", "3 подъезд 7 этаж", "подвал"]:
        location = find_location(text)
        assert location is not None
        assert Location.decode(location.encode()) == location


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("в третьем подъезде на седьмом этаже", Location(L.FLOOR, 7, 3)),
        ("во втором подъезде", Location(L.ENTRANCE, 2)),
        ("ул Ленина д5 кв12", Location(L.APARTMENT, 12)),
        ("Ленина 5 подъезд 2", Location(L.ENTRANCE, 2)),
        ("д. 5, подъезд 2", Location(L.ENTRANCE, 2)),
        ("кв. 11, подъезд 2, этаж 6", Location(L.APARTMENT, 11, 2, 6)),
        ("кв 124 (4-й подъезд, 8-й этаж)", Location(L.APARTMENT, 124, 4, 8)),
        ("под. 2, эт. 3, кв. 119", Location(L.APARTMENT, 119, 2, 3)),
        ("подъезд №1, 8 эт.", Location(L.FLOOR, 8, 1)),
        ("на седьмом этаже третьего подъезда", Location(L.FLOOR, 7, 3)),
        ("четвёртый подъезд четвёртый этаж", Location(L.FLOOR, 4, 4)),
        ("у первого подъезда", Location(L.ENTRANCE, 1)),
        ("в 2-й парадной", Location(L.ENTRANCE, 2)),
        ("podezd 1 etazh 4", Location(L.FLOOR, 4, 1)),
        ("kv 58", Location(L.APARTMENT, 58)),
        ("кв-ра 20", Location(L.APARTMENT, 20)),
        ("second floor, entrance 3", Location(L.FLOOR, 2, 3)),
        ("лифт во 2-м подъезде", Location(L.ELEVATOR, None, 2)),
        ("в третьем подъезде лифт застрял", Location(L.ELEVATOR, None, 3)),
        ("на лестничной площадке пятого этажа в 4 подъезде", Location(L.STAIRWELL, None, 4, 5)),
        ("подвал под первым подъездом", Location(L.BASEMENT, None, 1)),
        ("пятно на потолке в подъезде", Location(L.STAIRWELL)),
        ("звоните 8 916 123-45-67, 3 подъезд", Location(L.ENTRANCE, 3)),
        ("протекает кровля", Location(L.ROOF)),
    ],
)
def test_find_location_as_residents_write(text: str, expected: Location) -> None:
    assert find_location(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ул Ленина д5 кв12", "len5"),
        ("пр Мира д101 к2", "mir101"),
        ("Мира 101к2", "mir101"),
        ("пр.Мира,д.101,к.2", "mir101"),
        ("Садовая д12", "sad12"),
        ("Lenina d5", "len5"),
    ],
)
def test_glued_house_numbers_find_the_building(text: str, code: str) -> None:
    assert best(text) == code


@pytest.mark.parametrize("text", ["Мира 101 корп. 3", "Мира 101к3", "пр. Мира, д. 101, стр. 2"])
def test_another_block_of_a_known_house_is_no_match(text: str) -> None:
    assert match_buildings(text, KEYS) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("пр. Мира, д. 101, корп. 2", ["пр", "мира", "д", "101к2"]),
        ("Ленина 5 лит. А", ["ленина", "5а"]),
        ("Заречная 7 стр. 1", ["заречная", "7с1"]),
        ("Mira 101 k2", ["mira", "101к2"]),
    ],
)
def test_address_words_join_a_house_and_its_parts(text: str, words: list[str]) -> None:
    assert address_words(text) == words


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("дом 5 по улице Ленина, 4 подъезд", "len5"),
        ("ДОМ 12 ПО УЛИЦЕ САДОВОЙ", "sad12"),
        ("ленина5 кв55", "len5"),
        ("Мира 101/2 кв 150", "mir101"),
        ("Zarechnaya str. 7, flat 19", "zar7"),
        ("ул.Ленина,5 с 8.00 во дворе", "len5"),
        ("на садовой 12, с 7 вечера", "sad12"),
        ("Заречная 7 с 1 декабря нет воды", "zar7"),
        ("Мира д.101 к.2 - с 9 утра", "mir101"),
        ("Mira 101 bldg 2", "mir101"),
    ],
)
def test_the_house_is_found_however_it_is_worded(text: str, code: str) -> None:
    assert best(text) == code


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Ленина 5 с 8.00", ["ленина", "5", "since", "8", "00"]),
        ("Ленина 5 с 7 вечера", ["ленина", "5", "since", "7", "вечера"]),
        ("ленина5", ["ленина", "5"]),
    ],
)
def test_a_time_is_no_building_part(text: str, words: list[str]) -> None:
    assert address_words(text) == words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("шестнадцатый этаж лампочка", Location(L.FLOOR, 16)),
        ("грязно, этаж 2", Location(L.FLOOR, 2)),
        ("Ул Заречная д7 - грязно - 3 эт", Location(L.FLOOR, 3)),
        ("2 под. четвёртый этаж грязно", Location(L.FLOOR, 4, 2)),
        ("Мира 101к2, 2 под. домофон", Location(L.ENTRANCE, 2)),
        ("Ленина 5 4 под лифт не работает", Location(L.ELEVATOR, None, 4)),
        ("ленина 5 падъезд 4 грязно", Location(L.ENTRANCE, 4)),
        ("Садовая 12 квартра 123 нет воды", Location(L.APARTMENT, 123)),
        ("Садовая 12 квартира номер 44", Location(L.APARTMENT, 44)),
        ("ленина 5 квартира двадцать один", Location(L.APARTMENT, 21)),
        ("квартира сто двадцать три", Location(L.APARTMENT, 123)),
        ("в сорок пятой квартире", Location(L.APARTMENT, 45)),
        ("в двадцать третьем подъезде", Location(L.ENTRANCE, 23)),
        ("на лестнице в 3-м подъезде", Location(L.STAIRWELL, None, 3)),
        ("грязно в подъезде", Location(L.STAIRWELL)),
        ("стоянка не убрана", Location(L.PARKING)),
        ("Lenina 5, pod. 3, lift", Location(L.ELEVATOR, None, 3)),
        ("под'езд 2, этаж 3", Location(L.FLOOR, 3, 2)),
        ("pod'ezd 4", Location(L.ENTRANCE, 4)),
        ("п-д 3 грязно", Location(L.ENTRANCE, 3)),
        ("кв 12, пятно на потолке 2 кв м", Location(L.APARTMENT, 12)),
    ],
)
def test_place_words_as_residents_type_them(text: str, expected: Location) -> None:
    assert find_location(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "течёт под раковиной",
        "под ванной лужа",
        "ЖК Садовый квартал",
        "пять минут назад",
        "мокрое пятно 3 кв м",
        "отвалилась штукатурка, 2 кв.м.",
    ],
)
def test_words_that_are_no_place(text: str) -> None:
    assert find_location(text) is None


@pytest.mark.parametrize(
    "location",
    [
        Location(L.APARTMENT, 12),
        Location(L.APARTMENT, 12, 1, 3),
        Location(L.APARTMENT, 12, None, 3),
        Location(L.ENTRANCE, 3),
        Location(L.FLOOR, 7, 3),
        Location(L.FLOOR, 7),
        Location(L.ELEVATOR),
        Location(L.ELEVATOR, None, 2),
        Location(L.STAIRWELL, None, 4, 5),
    ],
)
def test_every_location_shape_encodes_and_decodes(location: Location) -> None:
    assert Location.decode(location.encode()) == location


@pytest.mark.parametrize("raw", ["apartment", "entrance:1;entrance:2", "elevator;basement", "x:1"])
def test_malformed_locations_do_not_decode(raw: str) -> None:
    with pytest.raises(ValueError):
        Location.decode(raw)


# -- phones -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "+79161234567",
        "+7 916 123-45-67",
        "+7 (916) 123-45-67",
        "+7(916)1234567",
        "8 (916) 123-45-67",
        "89161234567",
        "8-916-123-45-67",
        "звоните 8 916 123 45 67 вечером",
        "мой телефон +7 916 123 45 67, кв 12",
    ],
)
def test_find_phone(text: str) -> None:
    assert find_phone(text) == "+79161234567"


@pytest.mark.parametrize("text", ["", "123", "abc", "+7 916", "кв 45", "дом 89161", "8 916 123"])
def test_find_phone_nothing(text: str) -> None:
    assert find_phone(text) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+7 (916) 123-45-67", "+79161234567"),
        ("8 916 123 45 67", "+79161234567"),
        ("79161234567", "+79161234567"),
        ("9161234567", "+79161234567"),
        ("+44 20 7946 0958", "+442079460958"),
        ("", ""),
        ("junk", ""),
        ("12345", ""),
        ("1234567890", ""),  # ten digits that are not a Russian mobile
        ("+123", ""),
        ("+1234567890123456", ""),  # 16 digits: too long for E.164
    ],
)
def test_normalize_phone(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


# -- parse_date ---------------------------------------------------------------

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # Tuesday 10:00 in Moscow


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28.11 10:00", datetime(2026, 11, 28, 10, 0, tzinfo=MSK)),
        ("28.11 14:30", datetime(2026, 11, 28, 14, 30, tzinfo=MSK)),
        ("28/11 в 9.15", datetime(2026, 11, 28, 9, 15, tzinfo=MSK)),
        ("28.11", datetime(2026, 11, 28, 10, 0, tzinfo=MSK)),  # default 10:00
        ("  1.12  ", datetime(2026, 12, 1, 10, 0, tzinfo=MSK)),
        ("28.11.2027 10:00", datetime(2027, 11, 28, 10, 0, tzinfo=MSK)),
        ("28.11.27", datetime(2027, 11, 28, 10, 0, tzinfo=MSK)),
        ("24.11 08:00", datetime(2026, 11, 24, 8, 0, tzinfo=MSK)),  # earlier today stays today
        ("01.01", datetime(2027, 1, 1, 10, 0, tzinfo=MSK)),  # past date rolls to next year
        ("20.11", datetime(2027, 11, 20, 10, 0, tzinfo=MSK)),
    ],
)
def test_parse_date(text: str, expected: datetime) -> None:
    assert parse_date(text, NOW, MSK) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("завтра в 14", datetime(2026, 11, 25, 14, 0, tzinfo=MSK)),
        ("Завтра в 14:30", datetime(2026, 11, 25, 14, 30, tzinfo=MSK)),
        ("завтра", datetime(2026, 11, 25, 10, 0, tzinfo=MSK)),
        ("послезавтра к 9", datetime(2026, 11, 26, 9, 0, tzinfo=MSK)),
        ("в понедельник утром", datetime(2026, 11, 30, 9, 0, tzinfo=MSK)),
        ("в пятницу в 16:30", datetime(2026, 11, 27, 16, 30, tzinfo=MSK)),
        ("после обеда", datetime(2026, 11, 24, 14, 0, tzinfo=MSK)),
        ("сегодня вечером", datetime(2026, 11, 24, 18, 0, tzinfo=MSK)),
        ("вечером в 7", datetime(2026, 11, 24, 19, 0, tzinfo=MSK)),
        ("в 3 часа дня", datetime(2026, 11, 24, 15, 0, tzinfo=MSK)),
        ("через 2 дня", datetime(2026, 11, 26, 10, 0, tzinfo=MSK)),
        ("28 ноября в 10", datetime(2026, 11, 28, 10, 0, tzinfo=MSK)),
        ("tomorrow at 2 pm", datetime(2026, 11, 25, 14, 0, tzinfo=MSK)),
        ("next monday morning", datetime(2026, 11, 30, 9, 0, tzinfo=MSK)),
        ("on friday at 10am", datetime(2026, 11, 27, 10, 0, tzinfo=MSK)),
        ("вчера в 10", datetime(2026, 11, 23, 10, 0, tzinfo=MSK)),  # past: the caller says so
        ("28.11 в 14", datetime(2026, 11, 28, 14, 0, tzinfo=MSK)),
        ("10.12 к 9.30", datetime(2026, 12, 10, 9, 30, tzinfo=MSK)),
        ("в среду в 8 вечера", datetime(2026, 11, 25, 20, 0, tzinfo=MSK)),
    ],
)
def test_parse_date_as_staff_say_it(text: str, expected: datetime) -> None:
    assert parse_date(text, NOW, MSK) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The clock stands at Tuesday 24.11.2026 10:00 in Moscow.
        ("в следующий вторник", datetime(2026, 12, 1, 10, 0, tzinfo=MSK)),
        ("в следующую пятницу в 15:00", datetime(2026, 12, 4, 15, 0, tzinfo=MSK)),
        ("в следующий понедельник", datetime(2026, 11, 30, 10, 0, tzinfo=MSK)),
        ("на следующей неделе", datetime(2026, 11, 30, 9, 0, tzinfo=MSK)),
        ("на следующей неделе в 14", datetime(2026, 11, 30, 14, 0, tzinfo=MSK)),
        ("12 ночи", datetime(2026, 11, 25, 0, 0, tzinfo=MSK)),
        ("завтра в 12 ночи", datetime(2026, 11, 26, 0, 0, tzinfo=MSK)),
        ("в 2 ночи", datetime(2026, 11, 25, 2, 0, tzinfo=MSK)),
        ("в полночь", datetime(2026, 11, 25, 0, 0, tzinfo=MSK)),
        ("в полдень", datetime(2026, 11, 24, 12, 0, tzinfo=MSK)),
        ("завтра в полдень", datetime(2026, 11, 25, 12, 0, tzinfo=MSK)),
        ("вечером", datetime(2026, 11, 24, 18, 0, tzinfo=MSK)),
        ("через 2 часа", datetime(2026, 11, 24, 12, 0, tzinfo=MSK)),
        ("через час", datetime(2026, 11, 24, 11, 0, tzinfo=MSK)),
        ("через полчаса", datetime(2026, 11, 24, 10, 30, tzinfo=MSK)),
        ("через 90 минут", datetime(2026, 11, 24, 11, 30, tzinfo=MSK)),
        ("послезавтра", datetime(2026, 11, 26, 10, 0, tzinfo=MSK)),
        ("next Tuesday", datetime(2026, 12, 1, 10, 0, tzinfo=MSK)),
        ("next Tuesday at 3 pm", datetime(2026, 12, 1, 15, 0, tzinfo=MSK)),
        ("next week", datetime(2026, 11, 30, 9, 0, tzinfo=MSK)),
        ("at noon", datetime(2026, 11, 24, 12, 0, tzinfo=MSK)),
        ("tomorrow at noon", datetime(2026, 11, 25, 12, 0, tzinfo=MSK)),
        ("at midnight", datetime(2026, 11, 25, 0, 0, tzinfo=MSK)),
        ("at 9pm", datetime(2026, 11, 24, 21, 0, tzinfo=MSK)),
        ("in 2 hours", datetime(2026, 11, 24, 12, 0, tzinfo=MSK)),
        ("in an hour", datetime(2026, 11, 24, 11, 0, tzinfo=MSK)),
        ("in half an hour", datetime(2026, 11, 24, 10, 30, tzinfo=MSK)),
        ("the day after tomorrow", datetime(2026, 11, 26, 10, 0, tzinfo=MSK)),
        ("в 9", datetime(2026, 11, 24, 9, 0, tzinfo=MSK)),  # past: the caller asks again
    ],
)
def test_parse_date_relative_and_next(text: str, expected: datetime) -> None:
    assert parse_date(text, NOW, MSK) == expected


def test_in_two_hours_counts_from_the_minute_now() -> None:
    now = datetime(2026, 11, 24, 7, 41, 37, tzinfo=UTC)
    assert parse_date("через 2 часа", now, MSK) == datetime(2026, 11, 24, 12, 41, tzinfo=MSK)


def test_date_example_is_tomorrow_whatever_the_day() -> None:
    assert date_example(NOW, MSK) == "25.11 10:00"
    assert date_example(datetime(2026, 12, 31, 20, 59, tzinfo=UTC), MSK) == "01.01 10:00"


@pytest.mark.parametrize(
    "text",
    [
        "31.02",
        "30.02 10:00",
        "32.01",
        "13.13",
        "00.05",
        "28.11 25:00",
        "28.11 10:60",
        "abc",
        "",
        "28.11 завтра",
        "ноябрь",
        "в мае",
        "28",
        "да",
        "хз",
        "в 25:00",
        "next week wednesday",
        "через",
        "in",
    ],
)
def test_parse_date_invalid(text: str) -> None:
    assert parse_date(text, NOW, MSK) is None


def test_parse_date_is_in_the_given_time_zone() -> None:
    moment = parse_date("28.11 10:00", NOW, MSK)
    assert moment is not None
    assert moment.astimezone(UTC) == datetime(2026, 11, 28, 7, 0, tzinfo=UTC)


def test_parse_date_uses_the_local_year_at_new_year() -> None:
    # 31 Dec 22:00 UTC is already 1 January in Moscow: "02.01" is tomorrow, not next year.
    now = datetime(2026, 12, 31, 22, 0, tzinfo=UTC)
    assert parse_date("02.01", now, MSK) == datetime(2027, 1, 2, 10, 0, tzinfo=MSK)


def test_parse_date_explicit_year_is_kept_even_in_the_past() -> None:
    assert parse_date("01.01.2020", NOW, MSK) == datetime(2020, 1, 1, 10, 0, tzinfo=MSK)


def test_parse_date_29_february_rolls_to_the_next_leap_year_day() -> None:
    # In March 2027 "29.02" can only mean 29 February 2028.
    now = datetime(2027, 3, 5, 9, 0, tzinfo=UTC)
    assert parse_date("29.02", now, MSK) == datetime(2028, 2, 29, 10, 0, tzinfo=MSK)


def test_parse_date_past_29_february_does_not_crash() -> None:
    # In March 2028, 29.02 is past; next year has no 29 February. Must not raise.
    now = datetime(2028, 3, 5, 9, 0, tzinfo=UTC)
    assert parse_date("29.02", now, MSK) is None


# -- leftover_description -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("Ленина 5, 3 подъезд, 7 этаж — не горит свет", "не горит свет"),
        ("садовой 12 кв 45", ""),
        ("Садовая 12 кв 45 течёт кран", "течет кран"),
        ("течёт кран, Садовая 12, кв. 45, тел +7 916 123-45-67", "течет кран тел"),
        ("заречной 7: в подвале вода", "подвале вода"),
        ("Мира 101 корпус 2 лифт стоит", "лифт стоит"),
        ("не горит свет", "не горит свет"),
        ("", ""),
    ],
)
def test_leftover_description(text: str, left: str) -> None:
    assert leftover_description(text, KEYS) == left


def test_leftover_description_without_keys_keeps_street_words() -> None:
    assert leftover_description("Ленина 5 кв 3 течёт", []) == "ленина течет"


def test_without_address_keeps_the_place_and_the_problem() -> None:
    """Two residents of one house both name its street: compared as the problem, it
    would make any two of their messages alike."""
    keys = address_keys(1, "ул. Мира, д. 101", "")
    text = "Мира 101, 2 подъезд, на 5 этаже не горит свет. Иван, +7 999 111-22-33"
    plain = without_address(text, keys)
    assert "мира" not in plain and "999" not in plain
    assert "101, 2 подъезд, на 5 этаже не горит свет. иван," in plain
    latin = without_address("Lenina 5: lift stuck", address_keys(2, "Ленина 5", ""))
    assert latin.split() == ["5:", "lift", "stuck"]
