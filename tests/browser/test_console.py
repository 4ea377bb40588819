"""The staff console in a real headless Chromium against ``python -m bot``.

Accounts are made the way an admin makes them (``python -m bot admin console-invite``),
residents file through the web chat API, and the group chat is read through it too.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import openpyxl
import pyotp
import pytest
import zxingcpp
from PIL import Image
from playwright.async_api import Browser, Page, async_playwright

from bot.console.web import PUBLIC, Console
from tests.browser.conftest import CHROMIUM_ARGS, CHROMIUM_PATH, VIEWPORT
from tests.support.live import LiveService

PASSWORD = "длинный пароль 42"
LEAK = "течёт кран на кухне"
#: What a resident presses, the first that is offered, until the request is filed.
ANSWERS = ("✅ Подтвердить", "Нет, другая проблема", "Да, верно", "Водоснабжение", "Пропустить")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    live = LiveService(tmp_path_factory.mktemp("console"), AUTO_ASSIGN="0")
    live.start()
    try:
        yield live
    finally:
        live.stop()


def admin(service: LiveService, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "admin", *args],
        cwd=service.workdir,
        env=service.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not os.path.exists(CHROMIUM_PATH):
        pytest.fail(f"Chromium not found at {CHROMIUM_PATH}")
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


async def new_page(
    browser: Browser, service: LiveService, viewport: dict[str, int] = VIEWPORT
) -> Page:
    context = await browser.new_context(
        base_url=service.url, viewport=viewport, locale="ru-RU", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


async def set_password(page: Page, link: str) -> None:
    await page.goto(link)
    await page.fill("input[name=password]", PASSWORD)
    await page.fill("input[name=again]", PASSWORD)
    await page.click("[data-role=save-password]")
    await page.wait_for_selector("[data-role=notice]")


async def sign_in(page: Page, login: str, password: str = PASSWORD) -> None:
    await page.goto("/console/login")
    await page.fill("input[name=login]", login)
    await page.fill("input[name=password]", password)
    await page.click("[data-role=sign-in]")


async def account(page: Page, service: LiveService, *invite: str) -> str:
    """A console account made by the admin command, its password set; returns its login."""
    link = admin(service, "console-invite", *invite)
    assert link.startswith(f"{service.url}/console/invite/"), link
    await set_password(page, link)
    return invite[1]


# -- the web chat, as a resident and as the group -------------------------------


async def messages(http: aiohttp.ClientSession, url: str, chat: str, after: int) -> list[Any]:
    async with http.get(
        f"{url}/api/web/messages", params={"chat": chat, "after": after, "wait": "5"}
    ) as response:
        assert response.status == 200
        return list((await response.json())["messages"])


async def file_request(url: str, user: str, text: str, start: str = "") -> int:
    """A resident files a request through the web chat API, answering every question;
    with ``start``, after following that deep link."""
    async with aiohttp.ClientSession() as http:
        cursor = max((m["id"] for m in await messages(http, url, user, 0)), default=0)
        if start:
            body = {"chat": user, "user": user, "text": f"/start {start}"}
            async with http.post(f"{url}/api/web/messages", json=body) as response:
                assert response.status == 202
            answered = await messages(http, url, user, cursor)
            assert answered, "no answer to /start"
            cursor = answered[-1]["id"]
        body: dict[str, str] = {"chat": user, "user": user, "text": text}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            async with http.post(f"{url}/api/web/messages", json=body) as response:
                assert response.status == 202, await response.text()
            got: list[Any] = []
            label = ""
            while not label:
                assert time.monotonic() < deadline, got
                got += await messages(http, url, user, cursor)
                cursor = got[-1]["id"] if got else cursor
                for message in got:
                    found = re.search(r"Заявка №(\d+) принята", message["text"])
                    if found:
                        return int(found.group(1))
                buttons = (
                    {b["text"]: b["payload"] for row in got[-1]["buttons"] for b in row}
                    if got
                    else {}
                )
                label = next((lb for lb in ANSWERS if lb in buttons), "")
            body = {"chat": user, "user": user, "button": buttons[label]}
    raise AssertionError("the request was not filed in 60 s")


# -- tests -------------------------------------------------------------------------


async def test_every_console_page_refuses_an_anonymous_visitor(
    browser: Browser, service: LiveService
) -> None:
    page = await new_page(browser, service)
    await page.goto("/console/")
    assert page.url.endswith("/console/login")
    assert await page.locator("[data-role=sign-in]").count() == 1
    samples = {
        "number": "1001",
        "action": "close",
        "sha": "0" * 64,
        "code": "len5",
        "id": "1",
        "sheet": "staff",
    }
    routes = Console(*[None] * 9).application().router.routes()  # type: ignore[arg-type]
    checked = []
    for route in routes:
        path = route.resource.canonical if route.resource else ""
        if route.method == "HEAD" or path.startswith((*PUBLIC, "/static")):
            continue
        path = "/console" + re.sub(r"\{(\w+)\}", lambda m: samples[m.group(1)], path)
        if route.method == "GET":
            response = await page.request.get(path, max_redirects=0)
            location = response.headers.get("location", "")
            assert (response.status, location) in ((302, "/console/login"), (401, "")), path
        else:
            response = await page.request.post(path, form={"csrf": "x"}, max_redirects=0)
            assert response.status == 403, path
        checked.append(path)
    assert len(checked) >= 20, checked


async def test_sign_in_wrong_password_then_right(browser: Browser, service: LiveService) -> None:
    page = await new_page(browser, service)
    link = admin(service, "console-invite", "--staff", "disp-1")
    await set_password(page, link)
    login = "disp-1"
    await sign_in(page, login, "not the password")
    error = await page.locator("[data-role=error]").text_content()
    assert "Неверный логин или пароль" in (error or "")
    await sign_in(page, login)
    await page.wait_for_url("**/console/")
    assert "Ольга Васильева" in (await page.locator("[data-role=who]").text_content() or "")
    # The invite link was used up.
    response = await page.goto(link)
    assert response is not None and response.status == 404
    assert "недействительна" in await page.content()
    # Signing out everywhere ends the session of another browser at once.
    other = await new_page(browser, service)
    await sign_in(other, login)
    await other.wait_for_url("**/console/")
    await page.goto("/console/")
    await page.click("[data-role=logout-all]")
    await page.wait_for_url("**/console/login")
    await other.goto("/console/export")
    assert other.url.endswith("/console/login")
    assert not page.errors  # type: ignore[attr-defined]


async def test_lock_out_after_repeated_failures(browser: Browser, service: LiveService) -> None:
    page = await new_page(browser, service)
    login = await account(page, service, "--staff", "disp-2")
    for _ in range(5):
        await sign_in(page, login, "wrong password")
        assert "Неверный логин" in (await page.locator("[data-role=error]").text_content() or "")
    await sign_in(page, login)  # even the right password waits now
    assert "Слишком много неудачных попыток" in (
        await page.locator("[data-role=error]").text_content() or ""
    )
    assert page.url.endswith("/console/login")


def wrong_code(secret: str) -> str:
    totp = pyotp.TOTP(secret)
    now = time.time()
    near = {totp.at(now + step) for step in range(-90, 91, 30)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in near)


async def test_an_admin_requires_a_second_factor_for_its_role(
    browser: Browser, service: LiveService, tmp_path: Path
) -> None:
    staff = tmp_path / "admins.csv"
    staff.write_text("code,name,role\nadm-1,Анна Админова,admin\n", encoding="utf-8")
    admin(service, "import-staff", str(staff))
    page = await new_page(browser, service)
    login = await account(page, service, "--staff", "adm-1")
    await sign_in(page, login)
    await page.wait_for_url("**/console/")
    await page.goto("/console/settings")
    await page.check("input[name=totp_admin]")
    await page.click("[data-role=save-policies]")
    await page.click("[data-role=logout]")

    await sign_in(page, login)
    await page.wait_for_url("**/console/totp")
    # Owing the code, the board is out of reach.
    await page.goto("/console/")
    assert page.url.endswith("/console/totp")
    secret = await page.locator("[data-role=totp-secret]").text_content() or ""
    # The pending secret stays on the server: no form field carries it, the QR holds it.
    assert await page.locator("input[name=secret]").count() == 0
    assert secret not in await page.locator("form").evaluate_all(
        "forms => forms.map(f => new URLSearchParams(new FormData(f)).toString()).join()"
    )
    png = await page.locator(".qr svg").screenshot()
    image = Image.open(io.BytesIO(png)).convert("L")
    image = image.resize((image.width * 3, image.height * 3), Image.Resampling.NEAREST)
    (decoded,) = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name="Dispatch")
    await page.fill("input[name=code]", wrong_code(secret))
    await page.click("[data-role=confirm]")
    assert "Неверный код" in (await page.locator("[data-role=error]").text_content() or "")
    await page.fill("input[name=code]", pyotp.TOTP(secret).now())
    await page.click("[data-role=confirm]")
    await page.wait_for_url("**/console/")

    # The next sign-in asks for the code of the enrolled secret, without showing it again.
    await page.click("[data-role=logout]")
    await sign_in(page, login)
    await page.wait_for_url("**/console/totp")
    assert await page.locator("[data-role=totp-secret]").count() == 0
    await page.fill("input[name=code]", pyotp.TOTP(secret).now())
    await page.click("[data-role=confirm]")
    await page.wait_for_url("**/console/")


async def test_board_updates_live_and_an_action_reaches_the_group(
    browser: Browser, service: LiveService
) -> None:
    page = await dispatcher_page(browser, service)
    await page.goto("/console/?open=1")
    await page.locator("body[data-loaded]").wait_for()
    await page.evaluate("window.stayed = true")

    number = await file_request(service.url, "res-1", f"Ленина 5, кв 12 — {LEAK}")
    row = page.locator(f'tr[data-number="{number}"]')
    await row.wait_for(timeout=15_000)
    assert await page.evaluate("window.stayed") is True  # no reload: the script drew it
    cells = await row.locator("td").all_text_contents()
    assert "ул. Ленина, д. 5" in cells and "новая" in cells, cells
    assert re.search(r"\d+ (ч|д|мин)", cells[8]), cells  # the time left to the deadline

    async with aiohttp.ClientSession() as http:
        cursor = max(m["id"] for m in await messages(http, service.url, "dispatch", 0))
        await row.locator("a").click()
        await page.select_option("[data-role=technician]", label="Сергей Иванов · Сантехник")
        await page.click("[data-action=assign]")
        assert "Готово" in (await page.locator("[data-role=flash]").text_content() or "")
        assert "Сергей Иванов" in (await page.locator("[data-role=assignee]").text_content() or "")
        deadline = time.monotonic() + 20
        said: list[str] = []
        while not any(f"№{number}" in s and "Сергей Иванов" in s for s in said):
            assert time.monotonic() < deadline, said
            said += [m["text"] for m in await messages(http, service.url, "dispatch", cursor)]
        job = await messages(http, service.url, "tech-1", 0)
        assert any(f"№{number}" in m["text"] for m in job)
    # The console's comment lands in the history.
    await page.fill("[data-role=comment]", "Жильца предупредили")
    await page.click("[data-action=comment]")
    assert "Жильца предупредили" in (await page.locator("[data-role=history]").inner_text())


async def _signed_in(page: Page, login: str) -> bool:
    await sign_in(page, login)
    return page.url.endswith("/console/")


async def dispatcher_page(
    browser: Browser, service: LiveService, viewport: dict[str, int] = VIEWPORT
) -> Page:
    """A page signed in as the demo dispatcher (its account made by the first test)."""
    page = await new_page(browser, service, viewport)
    if not await _signed_in(page, "disp-1"):
        await account(page, service, "--staff", "disp-1")
        await sign_in(page, "disp-1")
    return page


async def test_export_downloads_and_reads_back(browser: Browser, service: LiveService) -> None:
    number = await file_request(service.url, "res-1", f"Ленина 5, кв 12 — {LEAK}, снова")
    page = await dispatcher_page(browser, service)
    await page.goto("/console/export")
    async with page.expect_download() as info:
        await page.click("[data-role=xlsx]")
    download = await info.value
    assert download.suggested_filename.endswith(".xlsx")
    data = Path(await download.path()).read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "№" and rows[0][-1] == "История"
    mine = [r for r in rows[1:] if r[0] == number]
    assert len(mine) == 1 and mine[0][2] == "ул. Ленина, д. 5", rows
    assert "filed" in mine[0][-1]
    async with page.expect_download() as info:
        await page.click("[data-role=csv]")
    text = Path(await (await info.value).path()).read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert [line[0] for line in lines[1:]].count(str(number)) == 1
    # The charts are drawn on the server and shown as pictures.
    await page.goto("/console/analytics")
    for chart in ("chart-problems", "chart-load"):
        image = page.locator(f"[data-role={chart}]")
        await image.wait_for()
        width = await image.evaluate("i => i.complete ? i.naturalWidth : -1")
        if width <= 0:
            await page.wait_for_load_state("load")
            width = await image.evaluate("i => i.naturalWidth")
        assert width > 100, chart


async def test_qr_sheet_decodes_to_the_deep_link(browser: Browser, service: LiveService) -> None:
    page = await dispatcher_page(browser, service)
    await page.goto("/console/qr/len5")
    cards = page.locator("section.qrcard")
    assert await cards.count() == 4 + 5  # four entrances and the common areas
    figure = page.locator('section[data-payload="b-len5-entrance2"] figure[data-channel="web"]')
    png = await figure.locator("svg").screenshot()
    image = Image.open(io.BytesIO(png)).convert("L")
    image = image.resize((image.width * 3, image.height * 3), Image.Resampling.NEAREST)
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == [f"{service.url}/?start=b-len5-entrance2"], decoded
    # A resident who follows it is not asked where: the building and the entrance are known.
    number = await file_request(service.url, "qr-guest", LEAK, start="b-len5-entrance2")
    board = await (await page.request.get("/console/api/board?sort=number")).json()
    (row,) = [r for r in board["rows"] if r["number"] == number]
    assert (row["building"], row["location"]) == ("ул. Ленина, д. 5", "подъезд 2"), row


async def test_the_observer_sees_only_its_buildings_and_no_actions(
    browser: Browser, service: LiveService
) -> None:
    mine = await file_request(service.url, "res-1", f"Ленина 5, кв 12 — {LEAK} опять")
    other = await file_request(service.url, "res-2", f"Садовая 12, кв 45 — {LEAK}")
    page = await new_page(browser, service)
    login = await account(page, service, "--observer", "cust-len5", "--buildings", "len5")
    await sign_in(page, login)
    await page.wait_for_url("**/console/")
    await page.locator(f'tr[data-number="{mine}"]').wait_for()
    numbers = await page.locator("tr[data-number]").evaluate_all(
        "rows => rows.map(r => Number(r.dataset.number))"
    )
    assert other not in numbers and mine in numbers
    addresses = await page.locator("tr[data-number] td:nth-child(3)").all_text_contents()
    assert set(addresses) == {"ул. Ленина, д. 5"}, addresses
    await page.goto(f"/console/requests/{mine}")
    assert await page.locator("[data-role=status]").count() == 1
    # The customer sees the work, never the resident's words, phone or conversation.
    assert await page.locator("[data-role=description]").count() == 0
    assert await page.locator("[data-role=phone]").count() == 0
    assert await page.locator("[data-role=messages-hidden]").count() == 1
    assert await page.locator("[data-role=actions]").count() == 0
    assert await page.locator("[data-action]").count() == 0
    csrf = await page.evaluate("document.querySelector('input[name=csrf]').value")
    refused = await page.request.post(
        f"/console/requests/{mine}/close", form={"csrf": csrf, "version": "1"}, max_redirects=0
    )
    assert refused.status == 403
    response = await page.goto(f"/console/requests/{other}")
    assert response is not None and response.status == 404
    export = await page.request.get("/console/export.csv")
    assert f"\n{other}," not in await export.text() and f"\n{mine}," in await export.text()
    qr = await page.request.get("/console/qr/sad12")
    assert qr.status == 404


async def test_entrance_filter_is_bookmarked_and_kept_live_and_the_deadline_is_set(
    browser: Browser, service: LiveService
) -> None:
    page = await dispatcher_page(browser, service)
    await page.goto("/console/")
    await page.locator("body[data-loaded]").wait_for()
    assert await page.locator("select[name=entrance]").is_disabled()
    await page.select_option("select[name=building]", label="ул. Ленина, д. 5")
    await page.select_option("select[name=entrance]", "3")
    await page.wait_for_url(re.compile(r"entrance=3"))
    assert "building=" in page.url
    await page.evaluate("window.stayed = true")

    there = await file_request(service.url, "ent-3", LEAK, start="b-len5-entrance3")
    elsewhere = await file_request(service.url, "ent-4", LEAK, start="b-len5-entrance4")
    await page.locator(f'tr[data-number="{there}"]').wait_for(timeout=15_000)
    # A few more polls: the other entrance's request never shows.
    loaded = await page.evaluate("document.body.dataset.loaded")
    await page.locator(f'body:not([data-loaded="{loaded}"])').wait_for(timeout=15_000)
    assert await page.locator(f'tr[data-number="{elsewhere}"]').count() == 0
    assert await page.evaluate("window.stayed") is True
    places = await page.locator("tr[data-number] td:nth-child(4)").all_text_contents()
    assert places and all("подъезд 3" in p for p in places), places

    # The bookmark opens the same board.
    await page.goto(page.url)
    assert await page.locator("select[name=entrance]").input_value() == "3"
    await page.locator(f'tr[data-number="{there}"]').wait_for()
    assert await page.locator(f'tr[data-number="{elsewhere}"]').count() == 0
    await page.select_option("select[name=incident]", "head")
    await page.wait_for_url(re.compile(r"incident=head"))
    await page.locator("tr[data-number]").first.wait_for(state="detached", timeout=15_000)

    # The deadline from the request page: refused in the past, then set and told.
    await page.goto(f"/console/requests/{there}")
    await page.fill("[data-role=deadline-input]", "2020-01-01T10:00")
    await page.click("[data-action=deadline]")
    assert "в будущем" in (await page.locator("[data-role=flash]").text_content() or "")
    async with aiohttp.ClientSession() as http:
        cursor = max(m["id"] for m in await messages(http, service.url, "dispatch", 0))
        await page.fill("[data-role=deadline-input]", "2031-03-05T18:30")
        await page.click("[data-action=deadline]")
        assert "Готово" in (await page.locator("[data-role=flash]").text_content() or "")
        shown = await page.locator("[data-role=deadline]").text_content()
        assert shown == "05.03.2031 18:30", shown
        deadline = time.monotonic() + 20
        said: list[str] = []
        while not any(f"№{there}" in s and "Срок изменён: 05.03.2031 18:30" in s for s in said):
            assert time.monotonic() < deadline, said
            said += [m["text"] for m in await messages(http, service.url, "dispatch", cursor)]
        told = await messages(http, service.url, "ent-3", 0)
        assert any("05.03.2031 18:30" in m["text"] for m in told)
    assert not page.errors  # type: ignore[attr-defined]


#: A common phone's screen, in CSS pixels.
PHONE = {"width": 390, "height": 844}
#: What a dispatcher needs of a row at a glance: number, building, status, time left.
MAIN_COLUMNS = ("number", "building", "status", "left")

#: The parts of the page wider than the screen (the page itself scrolling sideways
#: counts), as "selector: right edge".
OVERFLOW = """(selectors) => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  if (document.documentElement.scrollWidth > width) {
    wide.push("page: " + document.documentElement.scrollWidth);
  }
  for (const selector of selectors) {
    for (const element of document.querySelectorAll(selector)) {
      const box = element.getBoundingClientRect();
      if (box.width && (box.left < 0 || box.right > width + 0.5)) {
        wide.push(selector + ": " + Math.round(box.right));
      }
    }
  }
  return wide;
}"""


async def test_a_phone_sees_the_board_main_columns_and_uses_the_forms(
    browser: Browser, service: LiveService
) -> None:
    number = await file_request(service.url, "res-phone", f"Ленина 5, кв 7 — {LEAK}")
    page = await dispatcher_page(browser, service, PHONE)
    await page.goto("/console/")
    await page.locator(f'tr[data-number="{number}"]').wait_for()
    heads = await page.locator("table.board th").evaluate_all(
        "cells => cells.map(c => c.dataset.column)"
    )
    shown = [i + 1 for i, name in enumerate(heads) if name in MAIN_COLUMNS]
    assert len(shown) == len(MAIN_COLUMNS), heads
    cells = [f"table.board tr[data-number] td:nth-child({i})" for i in shown]
    assert await page.evaluate(OVERFLOW, ["table.board", "form.filters", *cells]) == []
    for cell in cells:
        assert await page.locator(cell).first.is_visible(), cell

    # The request page: every action's controls on the screen, and an action works.
    await page.goto(f"/console/requests/{number}")
    controls = [
        f"[data-role=actions] form {kind}"
        for kind in ("select", "input:not([type=hidden])", "textarea", "button")
    ]
    assert await page.evaluate(OVERFLOW, ["main", *controls]) == []
    await page.fill("[data-role=comment]", "Проверено с телефона")
    await page.click("[data-action=comment]")
    assert "Проверено с телефона" in await page.locator("[data-role=history]").inner_text()

    for path in ("/console/analytics", "/console/report", "/console/export"):
        await page.goto(path)
        assert await page.evaluate(OVERFLOW, ["form.filters", ".charts img"]) == [], path
    assert not page.errors  # type: ignore[attr-defined]
