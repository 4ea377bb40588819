"""``/stats [period]`` in the dispatchers' group, through the real app on the web chat."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from bot.console import charts
from bot.conversations.stats import period
from tests.support.harness import Harness
from tests.test_transcript_co_reporters import GROUP, file_for_a

TODAY = date(2026, 11, 24)


def test_period_words_and_ranges() -> None:
    assert period("", TODAY) == (date(2026, 11, 18), TODAY)
    assert period("неделя", TODAY) == (date(2026, 11, 18), TODAY)
    assert period("Сегодня", TODAY) == (TODAY, TODAY)
    assert period("месяц", TODAY) == (date(2026, 11, 1), TODAY)
    assert period("7d", TODAY) == (date(2026, 11, 18), TODAY)
    assert period("30d", TODAY) == (date(2026, 10, 26), TODAY)
    assert period("2026-10-01..2026-10-31", TODAY) == (date(2026, 10, 1), date(2026, 10, 31))
    for bad in ("вчера", "0d", "999d", "2026-10-31..2026-10-01", "2026-02-30..2026-03-01"):
        assert period(bad, TODAY) is None, bad
    assert period("2025-01-01..2026-11-24", TODAY) is None  # longer than a year


async def test_stats_sends_the_charts_as_a_png_with_the_figures(h5: Harness) -> None:
    h = h5
    await file_for_a(h, with_photo=False)
    await h.skip(GROUP)
    (usage,) = await h.say("disp-1", "/stats вчера", chat=GROUP)
    assert usage.text.startswith("Укажите период: /stats сегодня") and not usage.photos
    help_text = (await h.say("disp-1", "/help", chat=GROUP))[-1].text
    assert "/stats" in help_text

    (sent,) = await h.say("disp-1", "/stats сегодня", chat=GROUP)
    assert "подано 1, закрыто 0, аварийных 0" in sent.text, sent.text
    assert "24.11.2026 — 24.11.2026" in sent.text
    (url,) = sent.photos
    response = await h.client.get(url)
    assert response.status == 200 and response.content_type == "image/png"
    body = await response.read()
    assert body.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(body))
    image.load()
    assert image.format == "PNG"
    width, height = charts.PNG_INCHES
    assert image.size == (int(width * charts.PNG_DPI), int(height * charts.PNG_DPI))

    (week,) = await h.say("disp-1", "/stats 2026-10-01..2026-10-31", chat=GROUP)
    assert "подано 0" in week.text and week.photos
