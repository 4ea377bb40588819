"""Residents' answers to duplicate offers are remembered and exported as labelled pairs.

Resident A files a roof leak; B, writing of the same roof in other words, is offered A's
request.  A join is the same problem until a dispatcher splits B off; a decline is
another problem, paired with the request B files instead, until a dispatcher merges that
request into the offered one.  A forged or stale answer is
remembered as nothing.  The export is what ``benchmarks/duplicates_bench.py --data`` scores.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from bot.admin import export_duplicate_pairs
from core.payloads import Answer
from core.storage.tables import DuplicateOffer
from tests.support.harness import Harness, Message, file_request, number_in

ROOT = Path(__file__).resolve().parents[1]
GROUP = "dispatch"
A, B = "guest-a", "guest-b"
A_SAYS = "Ленина 5, течёт крыша, Иван Петров 8 999 111-22-33"
B_SAYS = "Ленина 5, протекает кровля"
ROOF = "Крыша и фасад"
HEADER = ["category", "new_location", "new_text", "open_location", "open_text", "same"]


async def offered_to_b(h: Harness) -> tuple[int, Message]:
    """A files; B is offered A's request.  Its number and the offer."""
    number = (await file_request(h, A, A_SAYS, ROOF)).number
    replies = await h.say(B, B_SAYS)
    offer = (await h.press(B, replies[-1].button(ROOF)))[-1]
    assert f"заявка №{number}" in offer.text and "Это та же проблема" in offer.text
    return number, offer


async def answers(h: Harness) -> int:
    async with h.app.db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(DuplicateOffer)) or 0)


async def exported(h: Harness, out: Path) -> list[list[str]]:
    """The export's lines after its comment, which must say what the labels mean."""
    count = await export_duplicate_pairs(h.app.db, out)
    with out.open(encoding="utf-8", newline="") as handle:
        note = handle.readline()
        rows = list(csv.reader(handle))
    assert note.startswith("# ") and "split" in note and "decline" in note, note
    assert rows[0] == HEADER and count == len(rows) - 1
    return rows[1:]


async def finish_filing(h: Harness, user: str, question: Message) -> int:
    """Skip the photos and the phone, confirm: the number filed."""
    for _ in range(4):
        if "Подтвердить" in " ".join(question.labels):
            return number_in(await h.press(user, question.button("Подтвердить")))
        question = (await h.press(user, question.button("Пропустить")))[-1]
    raise AssertionError(question.text)


async def test_a_join_is_the_same_problem_until_a_dispatcher_splits_it_off(
    any_harness: Harness, tmp_path: Path
) -> None:
    h = any_harness
    number, offer = await offered_to_b(h)
    joined = await h.press(B, offer.button(f"№{number}"))
    assert f"уже известно: заявка №{number}" in joined[-1].text
    assert await answers(h) == 1
    pair = ["roof_facade", "roof", B_SAYS, "roof", A_SAYS]
    assert await exported(h, tmp_path / "joined.csv") == [[*pair, "1"]]

    await h.skip(GROUP)
    picker = (await h.say("disp-1", f"/split {number}", chat=GROUP))[-1]
    await h.press("disp-1", picker.button(picker.labels[0]), chat=GROUP)
    assert number_in(await h.read(B)) != number
    assert await exported(h, tmp_path / "split.csv") == [[*pair, "0"]]


async def test_a_decline_pairs_the_offer_with_the_request_filed_instead(
    any_harness: Harness, tmp_path: Path
) -> None:
    h = any_harness
    number, offer = await offered_to_b(h)
    question = (await h.press(B, offer.button("Нет, другая проблема")))[-1]
    # Declined, not yet filed: remembered, but no pair without B's request.
    assert await answers(h) == 1
    assert await exported(h, tmp_path / "declined.csv") == []
    own = await finish_filing(h, B, question)
    assert own != number
    pair = ["roof_facade", "roof", B_SAYS, "roof", A_SAYS]
    assert await exported(h, tmp_path / "filed.csv") == [[*pair, "0"]]

    # A dispatcher merging B's request into the offered one says it was the same problem.
    await h.skip(GROUP)
    replies = await h.say("disp-1", f"/merge {number} {own}", chat=GROUP)
    assert f"№{own} объединена с №{number}" in replies[-1].text
    assert await exported(h, tmp_path / "merged.csv") == [[*pair, "1"]]


async def test_forged_and_stale_answers_are_remembered_as_nothing(harness: Harness) -> None:
    h = harness
    number, offer = await offered_to_b(h)
    forged = await h.press(B, Answer("duplicate", str(number + 1000)).encode())
    assert "кнопка устарела" in forged[-1].text
    assert await answers(h) == 0
    # Declined once; the same button again, now stale, adds nothing.
    await h.press(B, offer.button("Нет, другая проблема"))
    assert await answers(h) == 1
    await h.press(B, offer.button("Нет, другая проблема"))
    await h.press(B, offer.button(f"№{number}"))
    assert await answers(h) == 1


async def test_the_benchmark_scores_an_exported_file(harness: Harness, tmp_path: Path) -> None:
    h = harness
    number, offer = await offered_to_b(h)
    await h.press(B, offer.button(f"№{number}"))
    out = tmp_path / "pairs.csv"
    assert len(await exported(h, out)) == 1
    result = subprocess.run(
        [sys.executable, "benchmarks/duplicates_bench.py", "--data", str(out), "--errors"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"{out}:" in result.stdout
    assert "dictionary forms + synonyms: 1 pairs, 1 offers, precision 100.0%" in result.stdout
    assert "duplicate_pairs_frozen" not in result.stdout
