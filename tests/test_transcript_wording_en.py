"""The English twins of the wording transcripts: everything a resident writing in English
and a technician who chose English read is English, but for the names of buildings and
people."""

from __future__ import annotations

import re

from tests.support.harness import Harness, Message
from tests.test_transcript_dates_en import file_leak_en

GROUP = "dispatch"
#: What stays as it is in an English text: the building's address, the staff's names and
#: the button offering Russian, named in Russian.
PROPER_NAMES = ("ул. Ленина, д. 5", "Сергей Иванов", "Русский")


def russian_in(messages: list[Message]) -> list[str]:
    """The texts and button labels of the messages that hold Russian words."""
    found = []
    for message in messages:
        for text in [message.text, *message.labels]:
            for name in PROPER_NAMES:
                text = text.replace(name, "")
            if re.search(r"[а-яё]", text, re.IGNORECASE):
                found.append(text)
    return found


async def test_a_job_from_filing_to_reopening_reads_english(harness: Harness) -> None:
    h = harness
    number = await file_leak_en(h)
    assert (await h.say("tech-1", "/lang"))[-1].text == "Language: English."
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP)
    seen = job = await h.read("tech-1")
    job = [(await h.press("tech-1", job[-1].button("Accept")))[-1]]
    job = [(await h.press("tech-1", job[-1].button("Start")))[-1]]
    seen += job + await h.press("tech-1", job[-1].button("Done"))
    await h.photo("tech-1")
    seen += await h.say("tech-1", "replaced the gasket, no leak")
    seen += await h.say("tech-1", "done")
    told = await h.read("en-res")
    assert any("Сергей Иванов has started work on request" in m.text for m in told), told
    assert "Technician's comment: replaced the gasket, no leak" in told[-1].text
    seen += told + await h.press("en-res", told[-1].button("No, not fixed"))
    seen += await h.say("en-res", "still dripping under the sink")
    reopened = await h.read("tech-1")
    assert "The resident reopened the request: still dripping under the sink" in reopened[-1].text
    seen += reopened
    status = await h.say("en-res", f"status {number}")
    assert status[-1].text.startswith(f"Request #{number}: reopened.")
    seen += status + await h.say("en-res", "/my") + await h.say("en-res", "/help")
    assert russian_in(seen) == []


async def test_a_greeting_alone_is_asked_for_the_problem_in_english(harness: Harness) -> None:
    h = harness
    replies = await h.say("guest-hello", "hello")
    assert replies[0].text.startswith("Hello!") and "Describe the problem" in replies[0].text
    assert replies[0].labels == ["Русский"]
    assert russian_in(replies) == []


async def test_filed_tells_how_to_ask_the_status_in_english(harness: Harness) -> None:
    h = harness
    replies = await h.say("en-res", "Lenina 5 apt 12, the kitchen tap is leaking")
    replies = await h.press("en-res", replies[-1].button("Water supply"))
    replies = await h.press("en-res", replies[-1].button("Skip"))
    summary = (await h.press("en-res", replies[-1].button("Skip")))[-1]
    filed = (await h.press("en-res", summary.button("Confirm")))[-1]
    number = re.search(r"#(\d+)", filed.text)
    assert number and f'write "status {number.group(1)}"' in filed.text
    assert russian_in([summary, filed]) == []


async def test_a_declined_job_is_not_called_done_in_english(harness: Harness) -> None:
    h = harness
    number = await file_leak_en(h)
    await h.say("tech-1", "/lang")
    card = (await h.read(GROUP))[-1]
    picker = (await h.press("disp-1", card.button("Назначить"), chat=GROUP))[-1]
    await h.press("disp-1", picker.button("Сергей Иванов"), chat=GROUP)
    job = (await h.read("tech-1"))[-1]
    await h.press("tech-1", job.button("Decline"))
    replies = await h.say("tech-1", "I am on leave from tomorrow")
    assert f"You declined request #{number}" in replies[-1].text, replies[-1].text
    assert "Done" not in replies[-1].text
