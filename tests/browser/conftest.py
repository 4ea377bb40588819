"""Browser fixtures for the built-in web chat page (adapters/web/static).

``browser_page`` opens a fresh headless Chromium page whose ``base_url`` is the
running service from the ``live_service`` fixture (provided by tests/conftest.py),
so tests can simply ``await page.goto("/")``.

The system Chromium is used (never a downloaded browser). Set CHROMIUM_PATH to
override its location. A missing browser is a test *failure*, not a skip.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page, async_playwright

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 800}


@pytest.fixture
def browser_locale() -> str:
    """The browser's language; a test parametrizes it to see the page in another."""
    return "ru-RU"


@pytest.fixture
async def browser_page(live_service: str, browser_locale: str) -> AsyncIterator[Page]:
    if not os.path.exists(CHROMIUM_PATH):
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}; install Debian 'chromium' or set CHROMIUM_PATH"
        )
    page_errors: list[str] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(
                base_url=live_service.rstrip("/"), viewport=VIEWPORT, locale=browser_locale
            )
            context.set_default_timeout(15_000)
            page = await context.new_page()
            page.on("pageerror", lambda exc: page_errors.append(str(exc)))
            yield page
            await context.close()
        finally:
            await browser.close()
    assert not page_errors, f"JavaScript errors on the page: {page_errors}"
