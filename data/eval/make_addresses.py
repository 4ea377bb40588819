"""Writes the frozen address and place evaluation set (run once; the CSVs are the record).

Each line joins a way of writing one of the demo buildings, a way of writing the place
inside it and a problem, in a random order a resident might use.  The two halves use
different place phrasings (alternate templates), so the held-out half also measures how
the parser copes with wordings it was never looked at against.

    python data/eval/make_addresses.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

FROZEN_ON = "2026-12-02"
HERE = Path(__file__).resolve().parent

BUILDINGS = {
    "len5": [
        "ул. Ленина, д. 5",
        "ул Ленина д5",
        "Ленина 5",
        "ленина д.5",
        "улица Ленина, дом 5",
        "Ленина, 5",
        "ul. Lenina 5",
        "Lenina d5",
        "ЛЕНИНА 5",
        "ул.Ленина,д.5",
        "Ленина д 5",
        "ул. Ленина дом №5",
        "Ленина дом 5",
        "lenina 5",
        "ул Ленина 5",
    ],
    "sad12": [
        "ул. Садовая, д. 12",
        "Садовая 12",
        "Садовой 12",
        "Садовая д12",
        "Sadovaya 12",
        "ул Садовая д 12",
        "Садовая, дом №12",
        "улица Садовая 12",
        "садовая д.12",
        "ул.Садовая,12",
        "Sadovaya ul. 12",
        "САДОВАЯ 12",
    ],
    "mir101": [
        "пр. Мира, д. 101, корп. 2",
        "Мира 101 к2",
        "Мира 101к2",
        "пр-т Мира 101 корпус 2",
        "проспект Мира, дом 101, корп.2",
        "Mira 101 k2",
        "пр Мира д101 к2",
        "Мира д. 101 к. 2",
        "Мира 101 корп 2",
        "проспект Мира 101, корпус 2",
        "prospekt Mira 101 korp 2",
        "пр.Мира,д.101,к.2",
    ],
    "zar7": [
        "Заречная 7",
        "ул. Заречная д.7",
        "Заречная, 7",
        "Zarechnaya 7",
        "улица Заречная дом 7",
        "ул Заречная д7",
        "заречная дом 7",
        "Заречная д. 7",
    ],
}
#: Addresses that are none of the demo buildings: the parser must not pick one.
NOT_DEMO = [
    "Ленина 7",
    "ул. Садовая, д. 14",
    "Мира 101 корп. 3",
    "пр. Мира 99",
    "Заречная 17",
    "ул. Пушкина, д. 5",
    "Гагарина 12",
    "Lenina 15",
    "Садовая 21",
    "Мира 105 к2",
]

# (text, flat, entrance, floor, common area); "{n}" placeholders are filled below.
PLACES: list[tuple[str, bool, bool, bool, str]] = [
    # flat only
    ("кв. {f}", True, False, False, ""),
    ("кв{f}", True, False, False, ""),
    ("квартира {f}", True, False, False, ""),
    ("кв.{f}", True, False, False, ""),
    ("квартира №{f}", True, False, False, ""),
    ("в квартире {f}", True, False, False, ""),
    ("кв {f}", True, False, False, ""),
    ("apt {f}", True, False, False, ""),
    ("kv {f}", True, False, False, ""),
    ("kv. {f}", True, False, False, ""),
    ("кв-ра {f}", True, False, False, ""),
    ("из квартиры {f}", True, False, False, ""),
    ("кв № {f}", True, False, False, ""),
    ("flat {f}", True, False, False, ""),
    # flat with entrance and floor
    ("кв. {f}, подъезд {e}, этаж {l}", True, True, True, ""),
    ("{e} подъезд {l} этаж кв {f}", True, True, True, ""),
    ("кв {f} ({e}-й подъезд, {l}-й этаж)", True, True, True, ""),
    ("квартира {f}, {ew_acc} подъезд, {lw_acc} этаж", True, True, True, ""),
    ("под. {e}, эт. {l}, кв. {f}", True, True, True, ""),
    ("в {ew_prep} подъезде на {lw_prep} этаже, кв {f}", True, True, True, ""),
    ("подъезд №{e} кв.{f}", True, True, False, ""),
    ("кв {f}, {l} эт.", True, False, True, ""),
    # entrance only
    ("{e} подъезд", False, True, False, ""),
    ("{e}-й подъезд", False, True, False, ""),
    ("подъезд {e}", False, True, False, ""),
    ("подъезд №{e}", False, True, False, ""),
    ("в {ew_prep} подъезде", False, True, False, ""),
    ("{ew_acc} подъезд", False, True, False, ""),
    ("{e}й подъезд", False, True, False, ""),
    ("в {e} подъезде", False, True, False, ""),
    ("во {e}-м подъезде", False, True, False, ""),
    ("парадная {e}", False, True, False, ""),
    ("в {e}-й парадной", False, True, False, ""),
    ("под. {e}", False, True, False, ""),
    ("entrance {e}", False, True, False, ""),
    ("podezd {e}", False, True, False, ""),
    ("у {ew_gen} подъезда", False, True, False, ""),
    ("{e}-ий подъезд", False, True, False, ""),
    # entrance and floor
    ("{e} подъезд, {l} этаж", False, True, True, ""),
    ("подъезд {e} этаж {l}", False, True, True, ""),
    ("в {ew_prep} подъезде на {lw_prep} этаже", False, True, True, ""),
    ("{e}-й подъезд, {l}-й этаж", False, True, True, ""),
    ("подъезд №{e}, {l} эт.", False, True, True, ""),
    ("на {l} этаже в {e} подъезде", False, True, True, ""),
    ("{ew_acc} подъезд {lw_acc} этаж", False, True, True, ""),
    ("под.{e} эт.{l}", False, True, True, ""),
    ("на {lw_prep} этаже {ew_gen} подъезда", False, True, True, ""),
    ("entrance {e}, floor {l}", False, True, True, ""),
    ("{e} парадная {l} этаж", False, True, True, ""),
    ("во {e}-м подъезде на {l}-м этаже", False, True, True, ""),
    ("podezd {e} etazh {l}", False, True, True, ""),
    ("эт. {l}, подъезд {e}", False, True, True, ""),
    # common areas, with and without the entrance
    ("лифт в {e} подъезде", False, True, False, "elevator"),
    ("в {ew_prep} подъезде лифт", False, True, False, "elevator"),
    ("лифт, подъезд №{e}", False, True, False, "elevator"),
    ("лифт {ew_gen} подъезда", False, True, False, "elevator"),
    ("лифт", False, False, False, "elevator"),
    ("в подвале", False, False, False, "basement"),
    ("на крыше", False, False, False, "roof"),
    ("подвал под {ew_inst} подъездом", False, True, False, "basement"),
    ("на чердаке", False, False, False, "attic"),
    ("во дворе", False, False, False, "yard"),
    ("на лестничной площадке {lw_gen} этажа в {e} подъезде", False, True, True, "stairwell"),
    ("на лестнице в {e} подъезде", False, True, False, "stairwell"),
    ("на площадке {l} этажа, подъезд {e}", False, True, True, "stairwell"),
    ("lift in entrance {e}", False, True, False, "elevator"),
    ("лифт во {e}-м подъезде", False, True, False, "elevator"),
    ("пассажирский лифт {e} подъезд", False, True, False, "elevator"),
    # nothing about the place
    ("", False, False, False, ""),
]

PROBLEMS = [
    "не горит свет",
    "течёт кран",
    "не работает лифт",
    "нет горячей воды",
    "холодные батареи",
    "протечка с потолка",
    "сломан домофон",
    "мусор не вывозят",
    "искрит розетка",
    "засор канализации",
    "разбито окно",
    "капает с крыши",
]

ORD = {
    # n: (accusative/nominative masc., prepositional, genitive, instrumental)
    1: ("первый", "первом", "первого", "первым"),
    2: ("второй", "втором", "второго", "вторым"),
    3: ("третий", "третьем", "третьего", "третьим"),
    4: ("четвёртый", "четвертом", "четвёртого", "четвертым"),
    5: ("пятый", "пятом", "пятого", "пятым"),
    6: ("шестой", "шестом", "шестого", "шестым"),
    7: ("седьмой", "седьмом", "седьмого", "седьмым"),
    8: ("восьмой", "восьмом", "восьмого", "восьмым"),
    9: ("девятый", "девятом", "девятого", "девятым"),
    10: ("десятый", "десятом", "десятого", "десятым"),
    11: ("одиннадцатый", "одиннадцатом", "одиннадцатого", "одиннадцатым"),
    12: ("двенадцатый", "двенадцатом", "двенадцатого", "двенадцатым"),
}
LIMITS = {"len5": (4, 9, 144), "sad12": (6, 12, 288), "mir101": (3, 17, 204), "zar7": (2, 5, 40)}
PREP = {"в": "во"}


def _fill(template: str, rng: random.Random, code: str) -> tuple[str, int, int, int]:
    entrances, floors, flats = LIMITS[code]
    e = rng.randint(1, entrances)
    floor = rng.randint(1, min(floors, 12))
    f = rng.randint(1, flats)
    text = template.format(
        f=f,
        e=e,
        l=floor,
        ew_acc=ORD[e][0],
        ew_prep=ORD[e][1],
        ew_gen=ORD[e][2],
        ew_inst=ORD[e][3],
        lw_acc=ORD[floor][0],
        lw_prep=ORD[floor][1],
        lw_gen=ORD[floor][2],
    )
    # "в втором" is written "во втором"
    text = text.replace("в втором", "во втором").replace("в вторым", "во вторым")
    return text, f, e, floor


def _line(
    rng: random.Random, place: tuple[str, bool, bool, bool, str], code: str, address: str
) -> dict[str, str]:
    template, has_flat, has_entrance, has_floor, common = place
    text, f, e, floor = _fill(template, rng, code)
    # a common area's line names no other place in its problem
    problem = rng.choice([p for p in PROBLEMS if not common or not ("лифт" in p or "крыш" in p)])
    parts = [address, text] if rng.random() < 0.7 else [text, address]
    parts = [p for p in parts if p]
    joiner = rng.choice([", ", " ", " — ", ". "])
    body = joiner.join(parts)
    message = f"{body} {problem}" if rng.random() < 0.6 else f"{problem.capitalize()}, {body}"
    return {
        "text": message,
        "building": code if code in LIMITS and address not in NOT_DEMO else "",
        "flat": str(f) if has_flat else "",
        "entrance": str(e) if has_entrance else "",
        "floor": str(floor) if has_floor else "",
        "common": common,
    }


def main() -> None:
    rng = random.Random(20261202)
    halves: dict[str, list[dict[str, str]]] = {"dev": [], "heldout": []}
    for index, place in enumerate(PLACES):
        half = "dev" if index % 2 == 0 else "heldout"
        if place[0] == "":
            half = "dev"  # both halves get address-only lines below
        for _ in range(6):
            code = rng.choice(list(BUILDINGS))
            address = rng.choice(BUILDINGS[code])
            halves[half].append(_line(rng, place, code, address))
    for half in ("dev", "heldout"):
        for _ in range(20):  # every address form, no place
            code = rng.choice(list(BUILDINGS))
            address = rng.choice(BUILDINGS[code])
            halves[half].append(_line(rng, ("", False, False, False, ""), code, address))
        for address in NOT_DEMO[::2] if half == "dev" else NOT_DEMO[1::2]:
            place = rng.choice(PLACES)
            line = _line(rng, place, rng.choice(list(LIMITS)), address)
            line["building"] = ""
            halves[half].append(line)
    for half, lines in halves.items():
        with (HERE / f"addresses_{half}.csv").open("w", newline="", encoding="utf-8") as out:
            out.write(f"# frozen {FROZEN_ON}; {half} half; never edit to fit the parser\n")
            writer = csv.DictWriter(
                out, ["text", "building", "flat", "entrance", "floor", "common"]
            )
            writer.writeheader()
            writer.writerows(lines)
        print(half, len(lines))


if __name__ == "__main__":
    main()
