"""The shipped norms table and the words that pick its rows, checked clause by clause."""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core import norm_rules
from core.model import Category, Urgency
from core.sla import ANY, SlaPolicy, WorkCalendar, parse_calendar, parse_norms

MSK = ZoneInfo("Europe/Moscow")
DATA = Path(__file__).resolve().parents[2] / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def shipped() -> SlaPolicy:
    days = parse_calendar(_rows("holidays.csv"))
    return SlaPolicy(parse_norms(_rows("norms.csv")), MSK, days.holidays, days=days)


def msk(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


# -- every row rests on a clause, every request finds a row ----------------------


def test_every_row_names_its_source() -> None:
    known = ("ПП РФ №416", "ПП РФ №354", "Госстрой №170", "ГОСТ Р 55964", "Срок УК", "То же")
    for number, row in enumerate(_rows("norms.csv"), start=2):
        assert any(name in row["source"] for name in known), f"row {number}: {row['source']!r}"


#: The clauses of ПП РФ №416 checked against its text; any other would be a guess.
VERIFIED_416 = {"13"}


def test_only_verified_clauses_are_cited() -> None:
    """A row cites a clause of ПП 416 only where its text was read (п.13); the billing
    row names the act and its term, and says the clause is not verified; ГОСТ Р 56192,
    whose text was not found, is cited by no row."""
    for number, row in enumerate(_rows("norms.csv"), start=2):
        source = row["source"]
        cited = set(re.findall(r"(?:№\s?416|ПП 416)\s+(?:п\.\s?|разд\.\s?)(\w+)", source))
        assert cited <= VERIFIED_416, (number, cited)
        assert "56192" not in source, number
    billing = next(r for r in _rows("norms.csv") if r["category"] == "billing")
    assert "не проверен" in billing["source"]


def test_every_category_and_urgency_the_dialogue_can_produce_has_a_row(
    shipped: SlaPolicy,
) -> None:
    for category in Category:
        for urgency in Urgency:
            norm = shipped.norm(category.value, urgency.value)
            assert norm is not None and norm.source, (category, urgency)
            filed = msk(11, 24, 10)
            assert shipped.deadline(category.value, urgency.value, filed) is not None


def test_every_problem_the_rules_name_has_its_own_row() -> None:
    keys = set(parse_norms(_rows("norms.csv")))
    named = {key[2] for key in keys if key[2]}
    assert named == norm_rules.problems()
    for rule in norm_rules.RULES:
        if not rule.problem:
            for category in rule.categories:  # accidents: the category's emergency row
                assert (category.value, rule.urgency.value, "") in keys
            continue
        for problem in norm_rules.problems():
            if problem.startswith(rule.problem):
                urgencies = {key[1] for key in keys if key[2] == problem}
                assert len(urgencies) == 1, problem  # one urgency per problem


# -- message -> problem -> urgency -> time allowed --------------------------------

WINTER_DAY = msk(12, 1, 10)  # Tuesday
SUMMER_DAY = msk(7, 7, 10)  # Tuesday
H = timedelta(hours=1)

# (category, urgency the dialogue gave, words, filed at, problem, urgency, time allowed)
CASES = [
    ("water", "emergency", "прорвало трубу в подвале, хлещет", WINTER_DAY, "", "emergency", H / 2),
    ("water", "emergency", "прорвало стояк, нет горячей воды", WINTER_DAY, "", "emergency", H / 2),
    ("heating", "emergency", "лопнула батарея, кипяток", WINTER_DAY, "", "emergency", H / 2),
    ("electricity", "emergency", "искрит розетка в щите", WINTER_DAY, "", "emergency", H / 2),
    (
        "sewerage",
        "normal",
        "засор канализации в подъезде",
        WINTER_DAY,
        "sewer_blockage",
        "urgent",
        2 * H,
    ),
    ("waste", "normal", "мусоропровод забит", WINTER_DAY, "chute_blockage", "urgent", 2 * H),
    ("waste", "normal", "сломан клапан мусоропровода", WINTER_DAY, "chute_fault", "urgent", 24 * H),
    ("water", "normal", "нет горячей воды с утра", WINTER_DAY, "no_hot_water", "urgent", 4 * H),
    ("water", "normal", "нет воды на кухне", WINTER_DAY, "no_cold_water", "urgent", 4 * H),
    ("water", "normal", "течёт кран на кухне", WINTER_DAY, "tap_leak", "urgent", 24 * H),
    ("water", "normal", "подтекает бачок унитаза", WINTER_DAY, "tap_leak", "urgent", 24 * H),
    # one flat's heating: ПП 354 прил.1 п.14 allows a break by the rooms' temperature
    (
        "heating",
        "urgent",
        "нет отопления, в квартире +14",
        WINTER_DAY,
        "no_heating_12",
        "urgent",
        16 * H,
    ),
    (
        "heating",
        "urgent",
        "не греют батареи, дома 11 градусов",
        WINTER_DAY,
        "no_heating_10",
        "urgent",
        8 * H,
    ),
    ("heating", "urgent", "нет отопления", WINTER_DAY, "no_heating_8", "urgent", 4 * H),
    # a building's heating gone, found an emergency in the dialogue: ПП 416 п.13's accident
    (
        "heating",
        "emergency",
        "во всём подъезде нет отопления, мороз",
        WINTER_DAY,
        "",
        "emergency",
        0.5 * H,
    ),
    ("electricity", "normal", "нет света в квартире", WINTER_DAY, "no_power", "urgent", 2 * H),
    (
        "electricity",
        "normal",
        "выбивает автомат в щите на площадке",
        WINTER_DAY,
        "breaker",
        "urgent",
        3 * H,
    ),
    (
        "electricity",
        "normal",
        "не горит свет на лестнице",
        WINTER_DAY,
        "stair_lighting",
        "normal",
        168 * H,
    ),
    (
        "elevator",
        "emergency",
        "застряли в лифте с ребёнком",
        WINTER_DAY,
        "lift_stuck",
        "emergency",
        H / 2,
    ),
    ("elevator", "urgent", "лифт не едет, кнопки не горят", WINTER_DAY, "", "urgent", 24 * H),
    (
        "roof_facade",
        "emergency",
        "протекает крыша, в дождь течёт с потолка",
        WINTER_DAY,
        "roof_leak",
        "urgent",
        24 * H,
    ),
    ("roof_facade", "urgent", "оторвался водосток", WINTER_DAY, "gutter", "normal", 120 * H),
    (
        "roof_facade",
        "emergency",
        "разбито окно на лестнице",
        WINTER_DAY,
        "window_winter",
        "urgent",
        24 * H,
    ),
    (
        "roof_facade",
        "urgent",
        "разбито окно на лестнице",
        SUMMER_DAY,
        "window_summer",
        "normal",
        72 * H,
    ),
    ("doors_intercom", "urgent", "не работает домофон", WINTER_DAY, "intercom", "urgent", 24 * H),
    (
        "doors_intercom",
        "urgent",
        "сломался доводчик входной двери",
        WINTER_DAY,
        "entrance_door",
        "urgent",
        24 * H,
    ),
    ("gas", "emergency", "пахнет газом в подъезде", WINTER_DAY, "gas_smell", "emergency", H / 2),
    (
        "other",
        "normal",
        "в подъезде чувствуется запах газа",
        WINTER_DAY,
        "gas_smell",
        "emergency",
        H / 2,
    ),
    (
        "other",
        "normal",
        "I can smell gas on the stairs",
        WINTER_DAY,
        "gas_smell",
        "emergency",
        H / 2,
    ),
    (
        "elevator",
        "urgent",
        "we are stuck in the lift",
        WINTER_DAY,
        "lift_stuck",
        "emergency",
        H / 2,
    ),
    ("cleaning", "normal", "давно не мыли пол в подъезде", WINTER_DAY, "", "normal", None),
    # A hissing gas pipe is a gas leak: the gas service's, at once, smell or not.
    (
        "gas",
        "normal",
        "сорвало газовый кран на трубе, шипит",
        WINTER_DAY,
        "gas_smell",
        "emergency",
        H / 2,
    ),
    ("elevator", "urgent", "из шахты лифта идёт дым", WINTER_DAY, "", "emergency", H / 2),
    (
        "roof_facade",
        "urgent",
        "с крыши падает шифер на людей",
        WINTER_DAY,
        "falling_parts",
        "emergency",
        2 * H,
    ),
    (
        "roof_facade",
        "urgent",
        "обрушился козырёк над подъездом",
        WINTER_DAY,
        "falling_parts",
        "emergency",
        2 * H,
    ),
    ("roof_facade", "urgent", "трещина на фасаде дома", WINTER_DAY, "", "urgent", 24 * H),
    (
        "territory",
        "normal",
        "открыт канализационный люк во дворе",
        WINTER_DAY,
        "open_manhole",
        "emergency",
        2 * H,
    ),
    ("territory", "normal", "люк во дворе гремит под машинами", WINTER_DAY, "", "normal", None),
    # «выпустите» holds «пуст» but says people are inside.
    (
        "elevator",
        "urgent",
        "застряли в лифте, выпустите нас",
        WINTER_DAY,
        "lift_stuck",
        "emergency",
        H / 2,
    ),
    # Nobody inside: a stopped lift is a day's repair, not people stuck.
    (
        "elevator",
        "urgent",
        "лифт застрял между этажами, внутри никого",
        WINTER_DAY,
        "",
        "urgent",
        24 * H,
    ),
    (
        "elevator",
        "urgent",
        "the lift is stuck on the 5th floor, nobody inside",
        WINTER_DAY,
        "",
        "urgent",
        24 * H,
    ),
]


@pytest.mark.parametrize(
    ("category", "given", "text", "filed", "problem", "urgency", "allowed"),
    CASES,
    ids=[case[2] for case in CASES],
)
def test_words_pick_the_row_and_the_time_allowed(
    shipped: SlaPolicy,
    category: str,
    given: str,
    text: str,
    filed: datetime,
    problem: str,
    urgency: str,
    allowed: timedelta | None,
) -> None:
    reading = norm_rules.read(category, Urgency(given), text, filed)
    assert reading == norm_rules.Reading(problem, Urgency(urgency))
    deadline = shipped.deadline(category, urgency, filed, problem)
    if allowed is None:  # five working days
        assert deadline == msk(12, 8, 10)
    else:
        assert deadline == filed + allowed


def test_the_cases_cover_every_problem_row() -> None:
    assert {case[4] for case in CASES if case[4]} == norm_rules.problems()


def test_stairwell_light_filed_before_new_year_is_seven_calendar_days(shipped: SlaPolicy) -> None:
    filed = msk(12, 30, 12)
    reading = norm_rules.read("electricity", Urgency.NORMAL, "не горит свет на лестнице", filed)
    deadline = shipped.deadline("electricity", reading.urgency, filed, reading.problem)
    assert deadline == msk(1, 6, 12, year=2027)  # not 15.01 on the work calendar


def test_garbage_chute_is_cleared_only_between_8_and_23(shipped: SlaPolicy) -> None:
    def cleared(filed: datetime) -> datetime | None:
        return shipped.deadline("waste", "urgent", filed, "chute_blockage")

    assert cleared(msk(12, 1, 12)) == msk(12, 1, 14)
    assert cleared(msk(12, 1, 22, 30)) == msk(12, 2, 9, 30)  # half an hour, then from 08:00
    assert cleared(msk(12, 5, 2)) == msk(12, 5, 10)  # a Saturday night: calendar days count


def test_accident_rows_give_three_days_to_repair(shipped: SlaPolicy) -> None:
    filed = msk(12, 1, 10)
    for category in ("water", "sewerage", "heating", "electricity"):
        assert shipped.deadline(category, "emergency", filed) == filed + H / 2
        assert shipped.repair_deadline(category, "emergency", filed) == filed + 72 * H
    assert shipped.repair_deadline("water", "normal", filed) is None


def test_a_dispatchers_urgency_falls_back_to_the_generic_row(shipped: SlaPolicy) -> None:
    # «нет горячей воды» made normal by a dispatcher: the 4-hour row is for urgent only.
    assert shipped.norm("water", "normal", "no_hot_water") == shipped.norm("water", "normal")
    assert shipped.norm("water", "urgent", "no_hot_water") != shipped.norm("water", "urgent")


def test_indoor_temperature_is_not_an_apartment_number_or_the_weather() -> None:
    assert norm_rules.indoor_temperature("в квартире +13") == 13
    assert norm_rules.indoor_temperature("в квартире 12 нет отопления") is None
    assert norm_rules.indoor_temperature("на улице -20 градусов, дома +11") == 11
    assert norm_rules.indoor_temperature("мороз 25 градусов, в комнате 9°") == 9
    assert norm_rules.indoor_temperature("звоните +79161234567") is None


def test_unknown_category_reads_as_other() -> None:
    reading = norm_rules.read("nonsense", Urgency.NORMAL, "пахнет газом", WINTER_DAY)
    assert reading.problem == "gas_smell"


# -- the production calendar -------------------------------------------------------


def test_the_old_holidays_format_still_loads() -> None:
    days = parse_calendar([{"date": "2026-11-04", "name": "День народного единства"}])
    assert days.holidays == frozenset({date(2026, 11, 4)})
    assert not days.working and not days.short and not days.provisional


def test_calendar_kinds_and_errors() -> None:
    days = parse_calendar(
        [
            {"date": "2027-11-03", "kind": "short", "provisional": "yes"},
            {"date": "2027-11-04", "kind": "holiday", "provisional": "yes"},
            {"date": "2027-11-06", "kind": "working", "provisional": "yes"},
        ]
    )
    assert days.short == {date(2027, 11, 3)} and days.working == {date(2027, 11, 6)}
    assert days.provisional == {2027}
    with pytest.raises(ValueError, match=r"^holidays row 2: kind must be"):
        parse_calendar([{"date": "2026-11-04", "kind": "weekend"}])
    with pytest.raises(ValueError, match=r"^holidays row 3: 2026-11-04 is listed twice"):
        parse_calendar([{"date": "2026-11-04"}, {"date": "2026-11-04", "kind": "short"}])


def test_a_transferred_working_saturday_and_a_short_day_count() -> None:
    saturday, friday = date(2027, 11, 6), date(2027, 11, 3)
    cal = WorkCalendar(
        MSK, extra_working_days=frozenset({saturday}), short_days=frozenset({friday})
    )
    assert cal.is_working_day(saturday)
    # A short day closes at 16:00: one hour left at 15:00, the rest next morning.
    assert cal.add(msk(11, 3, 15, year=2027), 2 * H) == msk(11, 4, 9, year=2027)
    assert not cal.is_working_time(msk(11, 3, 16, 30, year=2027))
    # Friday 16:00 + 2 working hours: one on Friday, one on the working Saturday.
    assert cal.add(msk(11, 5, 16, year=2027), 2 * H) == msk(11, 6, 9, year=2027)
    policy = SlaPolicy(
        {
            (ANY, "normal", ""): parse_norms(
                [{"category": "*", "urgency": "normal", "working_days": "1"}]
            )[(ANY, "normal", "")]
        },
        MSK,
        days=parse_calendar([{"date": "2027-11-06", "kind": "working"}]),
    )
    assert policy.deadline("x", "normal", msk(11, 5, 10, year=2027)) == msk(11, 6, 10, year=2027)


def test_the_2026_production_calendar(shipped: SlaPolicy) -> None:
    cal = shipped.calendar
    off = [date(2026, 1, d) for d in range(1, 12)] + [date(2026, 12, 31), date(2026, 3, 9)]
    assert not any(cal.is_working_day(day) for day in off)
    assert cal.is_working_day(date(2026, 1, 12)) and cal.is_working_day(date(2026, 12, 30))
    assert shipped.days.short >= {date(2026, 4, 30), date(2026, 5, 8), date(2026, 11, 3)}
    # 2026 has 247 working days (постановление Правительства РФ от 24.09.2025).
    year = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    assert sum(cal.is_working_day(day) for day in year) == 247
    assert shipped.days.provisional == {2027}


def test_five_working_days_over_the_new_year(shipped: SlaPolicy) -> None:
    filed = msk(12, 29, 10)  # Tuesday; 31.12 and 1-8.01 are off, 9-10.01 a weekend
    assert shipped.deadline("cleaning", "normal", filed) == msk(1, 14, 10, year=2027)
    assert shipped.deadline("billing", "normal", filed) == msk(1, 21, 10, year=2027)


def test_the_season_is_read_in_local_time() -> None:
    filed = datetime(2026, 4, 30, 22, 30, tzinfo=UTC).astimezone(MSK)  # 1 May 01:30: summer
    assert norm_rules.read("roof_facade", Urgency.URGENT, "разбито окно", filed).problem == (
        "window_summer"
    )
