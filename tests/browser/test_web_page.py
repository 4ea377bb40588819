"""End-to-end checks of the built-in web chat page served at ``/``.

Stable DOM hooks used here (see adapters/web/static/index.html):
  [data-pane="resident|technician|dispatch"]   a pane; gets data-ready="1" once
                                               the chat history has been loaded
  [data-role="input"|"send"|"photo"|"persona"] composer and persona switcher
  .msg.bot[data-id] .text                      a bot message and its text
  .msg.me                                      a message this page sent (local echo)
  button.kb[data-payload]                      an inline-keyboard button
  .sys.error[data-role="error"]                a red system line (API error)
"""

from __future__ import annotations

import asyncio
import json
import re
import time

import pytest
from playwright.async_api import Page, Route

RESIDENT = '[data-pane="resident"]'
TECHNICIAN = '[data-pane="technician"]'
DISPATCH = '[data-pane="dispatch"]'

PROBLEM = "Ленина 5, кв 12 — течёт кран на кухне"

BOT_MESSAGES_JS = """
els => els.map(e => ({
    id: Number(e.dataset.id),
    text: (e.querySelector('.text') || {textContent: ''}).textContent,
    buttons: [...e.querySelectorAll('button.kb')].map(b => b.textContent),
}))
"""


async def open_page(page: Page) -> None:
    await page.goto("/")
    for pane in (RESIDENT, TECHNICIAN, DISPATCH):
        await page.wait_for_selector(f'{pane}[data-ready="1"]')


async def bot_messages(page: Page, pane: str) -> list[dict]:
    return await page.locator(f"{pane} .msg.bot").evaluate_all(BOT_MESSAGES_JS)


def transcript(messages: list[dict]) -> str:
    return "\n".join(f"  #{m['id']}: {m['text']!r} buttons={m['buttons']}" for m in messages)


async def wait_new_bot_messages(
    page: Page, pane: str, last_id: int, timeout: float = 20.0, settle: float = 1.0
) -> list[dict]:
    """Wait for bot messages with id > last_id, then until the bot stops sending for a moment."""
    deadline = time.monotonic() + timeout
    new: list[dict] = []
    while not new:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"no new bot message in {pane} after #{last_id} within {timeout}s; so far:\n"
                + transcript(await bot_messages(page, pane))
            )
        await asyncio.sleep(0.2)
        new = [m for m in await bot_messages(page, pane) if m["id"] > last_id]
    quiet_since = time.monotonic()
    settle_deadline = time.monotonic() + 5 * settle
    while time.monotonic() - quiet_since < settle and time.monotonic() < settle_deadline:
        await asyncio.sleep(0.2)
        now = [m for m in await bot_messages(page, pane) if m["id"] > last_id]
        if len(now) != len(new):
            new, quiet_since = now, time.monotonic()
    return new


async def press(page: Page, pane: str, message_id: int, label: str) -> None:
    """Click the button labelled exactly ``label`` on bot message ``message_id``."""
    message = page.locator(f'{pane} .msg.bot[data-id="{message_id}"]')
    button = message.locator("button.kb").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    assert await button.count() == 1, (
        f"no single button «{label}» on #{message_id}:\n"
        + transcript(await bot_messages(page, pane))
    )
    await button.click()
    await page.locator(f"{pane} .msg.me.button-echo", has_text=label).last.wait_for()


async def test_resident_request_reaches_dispatch_group(browser_page: Page) -> None:
    """The resident's whole dialogue, button by button, as a person would click it."""
    page = browser_page
    await open_page(page)
    resident = page.locator(RESIDENT)
    last_id = max((m["id"] for m in await bot_messages(page, RESIDENT)), default=0)

    await resident.locator('[data-role="input"]').fill(PROBLEM)
    await resident.locator('[data-role="send"]').click()
    await resident.locator(".msg.me", has_text=PROBLEM).wait_for()

    # (what the bot asks last, the button the resident presses)
    for question, label in (
        ("Похоже, это: Водоснабжение. Верно?", "Да, верно"),
        ("Пришлите фото проблемы", "Пропустить"),
        ("Оставьте телефон для связи", "Пропустить"),
        ("Проверьте заявку:", "✅ Подтвердить"),
    ):
        new = await wait_new_bot_messages(page, RESIDENT, last_id)
        asked = new[-1]
        assert asked["text"].startswith(question), transcript(new)
        last_id = asked["id"]
        await press(page, RESIDENT, asked["id"], label)

    filed = (await wait_new_bot_messages(page, RESIDENT, last_id))[-1]["text"]
    match = re.match(r"Заявка №(\S+) принята\.", filed)
    assert match, filed
    number = match.group(1)

    card = page.locator(f"{DISPATCH} .msg.bot .text", has_text=f"№{number}")
    await card.first.wait_for(timeout=20_000)
    text = await card.first.text_content() or ""
    assert "Водоснабжение" in text and "Ленина" in text, text


async def test_api_error_is_shown_as_red_line(browser_page: Page) -> None:
    page = browser_page
    await open_page(page)
    resident = page.locator(RESIDENT)
    too_long = "а" * 5000

    await resident.locator('[data-role="input"]').fill(too_long)
    await resident.locator('[data-role="send"]').click()

    error = resident.locator('.sys.error[data-role="error"]').last
    await error.wait_for()
    assert (await error.text_content() or "").strip()
    red, green, blue = map(
        int,
        re.findall(r"\d+", await error.evaluate("e => getComputedStyle(e).color"))[:3],
    )
    assert red > 150 and green < 110 and blue < 110, (red, green, blue)
    # the rejected text is not shown as sent, and is handed back to the input
    assert await resident.locator(".msg.me", has_text="а" * 100).count() == 0
    assert await resident.locator('[data-role="input"]').input_value() == too_long


async def test_rendering_buttons_keyboard_and_persona(browser_page: Page) -> None:
    """Rendering rules on a scripted resident chat (other API calls go to the live service)."""
    page = browser_page
    posted: list[dict] = []
    served_history: set[str] = set()
    hostile = '<img src=x onerror="window.__xss=1">\nвторая строка'

    async def fake_messages(route: Route) -> None:
        request = route.request
        if request.method == "POST":
            posted.append(json.loads(request.post_data or "{}"))
            await route.fulfill(status=202, json={"id": len(posted)})
            return
        query = dict(re.findall(r"[?&]([^=&]+)=([^&]*)", request.url))
        chat = query.get("chat", "")
        if not chat.startswith("res") and chat not in served_history:
            await route.continue_()
            return
        messages = []
        if query.get("after") == "0" and chat not in served_history:
            served_history.add(chat)
            messages = [
                {
                    "id": 7,
                    "text": hostile,
                    "buttons": [
                        [{"text": "Да", "payload": "yes:1"}, {"text": "Нет", "payload": "no"}]
                    ],
                    "photos": ["/static/does-not-matter.png"],
                    "at": "2024-05-01T09:30:00+00:00",
                }
            ]
        else:
            await asyncio.sleep(0.5)
        await route.fulfill(status=200, json={"messages": messages})

    await page.route("**/api/web/messages*", fake_messages)
    await page.goto("/")
    resident = page.locator(RESIDENT)
    await page.wait_for_selector(f'{RESIDENT}[data-ready="1"]')
    user = await resident.get_attribute("data-user")

    message = resident.locator('.msg.bot[data-id="7"]')
    await message.wait_for()
    assert await message.locator(".text").text_content() == hostile
    assert await message.locator(".text img").count() == 0
    assert await page.evaluate("window.__xss") is None
    assert await message.locator(".photos img").count() == 1
    assert await message.locator("button.kb").count() == 2
    assert await message.locator("button.kb").first.get_attribute("data-payload") == "yes:1"

    await message.locator("button.kb", has_text="Да").click()
    await resident.locator(".msg.me.button-echo", has_text="Да").wait_for()
    await _until(lambda: posted and posted[-1] == {"chat": user, "user": user, "button": "yes:1"})

    box = resident.locator('[data-role="input"]')
    await box.click()
    await box.type("первая")
    await box.press("Shift+Enter")
    await box.type("вторая")
    await box.press("Enter")
    await resident.locator(".msg.me:not(.button-echo)").last.wait_for()
    await _until(
        lambda: posted and posted[-1] == {"chat": user, "user": user, "text": "первая\nвторая"}
    )
    assert await box.input_value() == ""

    # switching persona reloads that chat and is remembered across reloads
    select = resident.locator('[data-role="persona"]')
    options = await select.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert len(options) >= 2, "the demo data should have several residents"
    await select.select_option(options[1])
    await page.wait_for_selector(f'{RESIDENT}[data-chat="{options[1]}"][data-ready="1"]')
    await page.reload()
    await page.wait_for_selector(f'{RESIDENT}[data-ready="1"]')
    assert await select.input_value() == options[1]
    assert await resident.get_attribute("data-user") == options[1]


async def _until(condition, timeout: float = 10.0) -> None:
    """Wait for a condition the page fulfils asynchronously (the POST follows the echo)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_a_start_link_starts_the_residents_dialogue(browser_page: Page) -> None:
    """``/?start=PAYLOAD`` (an invite or QR link, ``admin invite``) sends ``/start PAYLOAD``
    from the resident's pane once, and the address loses it so a reload does not repeat it."""
    page = browser_page
    await page.goto("/?start=b-sad12-entrance2")
    sent = f'{RESIDENT} .msg.me:has-text("/start b-sad12-entrance2")'
    await page.wait_for_selector(sent)
    await page.wait_for_selector(f"{sent} ~ .msg.bot")  # the bot answered it
    assert "start=" not in page.url
    assert await page.locator(f"{RESIDENT} .sys.error").count() == 0


@pytest.mark.parametrize("browser_locale", ["en-US"])
async def test_the_page_follows_an_english_browser(browser_page: Page) -> None:
    page = browser_page
    await open_page(page)
    assert await page.evaluate("document.documentElement.lang") == "en"
    assert await page.title() == "Housing dispatch service — web chat"
    assert await page.locator(f'{RESIDENT} [data-role="role"]').text_content() == "Resident"
    composer = page.locator(f'{RESIDENT} [data-role="input"]')
    assert await composer.get_attribute("placeholder") == "Message…"
    assert await page.locator(".hint").text_content() == "Enter — send, Shift+Enter — new line"
    # Every fixed text of the page; a pane's role line also names the persona's trade,
    # which is demo data.
    labelled = page.locator(
        '[data-i18n]:not([data-role="role"]), [data-i18n-title], [data-i18n-placeholder]'
    )
    chrome = await labelled.evaluate_all(
        "els => els.map(e => [e.dataset.i18n ? e.textContent : '', e.title, e.placeholder || '']"
        ".join(' '))"
    )
    russian = [words for words in chrome if re.search("[а-яё]", words.lower())]
    assert chrome and not russian, russian


async def test_the_page_stays_russian_for_a_russian_browser(browser_page: Page) -> None:
    page = browser_page
    await open_page(page)
    assert await page.evaluate("document.documentElement.lang") == "ru"
    assert await page.locator(f'{RESIDENT} [data-role="role"]').text_content() == "Житель"
    # Each pane is the shared template filled in with its own words.
    for pane, role, picker, placeholder in (
        (RESIDENT, "Житель", "Выбрать жителя", "Сообщение…"),
        (TECHNICIAN, "Техник", "Выбрать техника", "Сообщение…"),
        (DISPATCH, "Диспетчерская", "Выбрать диспетчера", "Сообщение в группу…"),
    ):
        shown = page.locator(pane)
        # The role line names the persona's trade too (demo data).
        assert (await shown.locator('[data-role="role"]').text_content() or "").startswith(role)
        persona = shown.locator('[data-role="persona"]')
        assert await persona.get_attribute("aria-label") == picker
        composer = shown.locator('[data-role="input"]')
        assert await composer.get_attribute("placeholder") == placeholder
        avatar = await shown.locator('[data-role="avatar"]').get_attribute("class")
        assert ("group" in avatar.split()) == (pane == DISPATCH), (pane, avatar)
