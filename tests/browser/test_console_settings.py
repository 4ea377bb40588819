"""The console's settings in a real headless Chromium against ``python -m bot`` with
automatic assignment on: an admin's upload and edit reach the next request filed."""

from __future__ import annotations

import time
from collections.abc import Iterator

import aiohttp
import pytest
from playwright.async_api import Browser

from tests.browser.test_console import (
    account,
    admin,
    browser,  # noqa: F401  (the fixture)
    file_request,
    messages,
    new_page,
    sign_in,
)
from tests.support.live import LiveService

STAFF_HEADER = "code,name,role,trade,phone,web_id\n"
NEW = "tech-9,Пётр Новиков,technician,Сантехник,+79001110099,tech-9\n"
WEEK = "".join(
    f"tech-9,{day},00:00,24:00,work\n" for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    live = LiveService(tmp_path_factory.mktemp("settings"), AUTO_ASSIGN="1")
    live.start()
    try:
        yield live
    finally:
        live.stop()


def csv_file(name: str, text: str) -> dict[str, object]:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode()}


async def test_an_admin_fixes_a_bad_upload_and_the_new_technician_gets_the_next_job(
    browser: Browser,  # noqa: F811
    service: LiveService,
    tmp_path,
) -> None:
    staff = tmp_path / "admins.csv"
    staff.write_text("code,name,role\nadm-1,Анна Админова,admin\n", encoding="utf-8")
    admin(service, "import-staff", str(staff))
    page = await new_page(browser, service)
    await sign_in(page, await account(page, service, "--staff", "adm-1"))
    await page.wait_for_url("**/console/")
    await page.click("a[href='/console/settings']")
    await page.click("[data-sheet=staff]")

    # A file with a bad line: the page names the line, and nobody is added.
    bad = STAFF_HEADER + NEW + "tech-10,,technician,,,\n"
    await page.set_input_files("[data-role=file]", files=[csv_file("staff.csv", bad)])
    await page.click("[data-role=upload]")
    problems = await page.locator("[data-role=problems]").inner_text()
    assert "строка 3: нужно имя" in problems, problems
    assert "Пётр Новиков" not in await page.locator("[data-role=sheet]").inner_text()

    # Fixed and uploaded again: both are saved, and the new technician is listed.
    fixed = STAFF_HEADER + NEW + "tech-10,Павел Орлов,technician,,,\n"
    await page.set_input_files("[data-role=file]", files=[csv_file("staff.csv", fixed)])
    await page.click("[data-role=upload]")
    summary = await page.locator("[data-role=summary]").inner_text()
    assert "Сохранено: 2 сотрудника." in summary, summary
    assert "Пётр Новиков" in await page.locator("[data-role=sheet]").inner_text()

    # The whole week on shift, so an emergency finds him on duty too.
    await page.click("[data-sheet=shifts]")
    shifts = "technician,day,start,end,kind\n" + WEEK
    await page.set_input_files("[data-role=file]", files=[csv_file("shifts.csv", shifts)])
    await page.click("[data-role=upload]")
    assert "7 смен" in await page.locator("[data-role=summary]").inner_text()

    # The matrix edited in the form: he answers first for water at Lenina 5.
    await page.click("[data-sheet=matrix]")
    form = page.locator("[data-role=edit-form]")
    await form.locator("input[name=building]").fill("len5")
    await form.locator("input[name=category]").fill("water")
    await form.locator("input[name=technicians]").fill("tech-9")
    await page.click("[data-role=save-row]")
    await page.locator("[data-role=summary]").wait_for()
    assert "len5" in await page.locator("[data-role=sheet]").inner_text()

    number = await file_request(service.url, "res-1", "Ленина 5, кв 12 — течёт кран на кухне")
    async with aiohttp.ClientSession() as http:
        deadline = time.monotonic() + 30
        said: list[str] = []
        cursor = 0
        while not any(f"№{number}" in s for s in said):
            assert time.monotonic() < deadline, said
            got = await messages(http, service.url, "tech-9", cursor)
            said += [m["text"] for m in got]
            cursor = max((m["id"] for m in got), default=cursor)
    await page.goto(f"/console/requests/{number}")
    assert "Пётр Новиков" in (await page.locator("[data-role=assignee]").inner_text())
    assert not page.errors  # type: ignore[attr-defined]
