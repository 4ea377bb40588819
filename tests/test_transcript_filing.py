"""Filing variants: photo first, remembered home, QR deep link, cancel midway, editing."""

from __future__ import annotations

from tests.support.harness import Harness, file_request, number_in, png

GROUP = "dispatch"


async def test_request_that_starts_with_a_photo(harness: Harness) -> None:
    h = harness
    replies = await h.photo("res-2", caption="")
    assert "Здравствуйте" in replies[0].text
    building = replies[-1]
    assert "По какому адресу" in building.text
    # The remembered home comes first, with the apartment.
    assert building.labels[0] == "ул. Садовая, д. 12, квартира 45"
    replies = await h.press("res-2", building.button("Садовая"))
    assert "что случилось" in replies[-1].text
    replies = await h.say("res-2", "на балконе трещина в плите, кусок бетона упал вниз")
    replies = await h.press("res-2", replies[-1].button("Крыша и фасад"))
    # A photo is already there: the bot offers "done".
    assert "Фото добавлено (1)" in replies[-1].text
    replies = await h.photo("res-2", png(1))
    replies = await h.press("res-2", replies[-1].button("Готово"))
    summary = replies[-1]
    assert "Фото: 2" in summary.text and "+79161234567" in summary.text
    assert len(summary.photos) == 2
    replies = await h.press("res-2", summary.button("Подтвердить"))
    number = number_in(replies)
    card = (await h.read(GROUP))[-1]
    assert f"№{number}" in card.text and len(card.photos) == 2
    assert "Срочная" in card.text  # roof and facade default to urgent (1 day norm)


async def test_asks_only_for_what_is_missing(harness: Harness) -> None:
    h = harness
    replies = await h.say("res-3", "в подвале Мира 101 стоит вода, пахнет сыростью")
    assert "тип проблемы" in replies[-1].text  # building, place, description all understood
    replies = await h.say("res-3", "Водоснабжение")  # typed instead of pressed
    assert "фото" in replies[-1].text.lower()
    replies = await h.say("res-3", "нет")
    replies = await h.say("res-3", "8 (912) 000-11-22")
    summary = replies[-1]
    assert "пр. Мира, д. 101, корп. 2" in summary.text and "Место: подвал" in summary.text
    assert "+79120001122" in summary.text
    replies = await h.say("res-3", "да")
    assert "принята" in replies[-1].text


async def test_entrance_and_floor_from_free_text(harness: Harness) -> None:
    h = harness
    replies = await h.say("visitor-7", "Ленина 5, 3 подъезд, 7 этаж — не горит свет")
    assert "тип проблемы" in replies[-1].text
    await h.press("visitor-7", replies[-1].button("Электричество"))
    replies = await h.say("visitor-7", "пропустить")
    replies = await h.say("visitor-7", "пропустить")
    assert "подъезд 3, этаж 7" in replies[-1].text


async def test_unknown_address_offers_buildings_and_numbers_are_checked(harness: Harness) -> None:
    h = harness
    replies = await h.say("visitor-8", "не работает домофон")
    assert "По какому адресу" in replies[-1].text
    replies = await h.say("visitor-8", "Тверская 1")
    assert "Не нашёл такой дом" in replies[-1].text
    replies = await h.press("visitor-8", replies[-1].button("Заречная"))
    replies = await h.press("visitor-8", replies[-1].button("Квартира"))
    assert "номер квартиры (1–40)" in replies[-1].text
    replies = await h.say("visitor-8", "77")
    assert "с 1 по 40" in replies[-1].text
    replies = await h.say("visitor-8", "17")
    assert "тип проблемы" in replies[-1].text


async def test_cancel_midway_and_start_again(harness: Harness) -> None:
    h = harness
    replies = await h.say("res-1", "не работает лифт")
    assert "По какому адресу" in replies[-1].text
    replies = await h.say("res-1", "/cancel")
    assert "отменил" in replies[-1].text
    assert await h.read(GROUP) == []
    # The old question's buttons are stale now.
    replies = await h.say("res-1", "отмена")
    assert "нечего отменять" in replies[-1].text


async def test_edit_from_summary(harness: Harness) -> None:
    h = harness
    replies = await h.say("res-1", "Ленина 5 кв 12 дует из окна в подъезде")
    replies = await h.press("res-1", replies[-1].button("Другое"))
    replies = await h.press("res-1", replies[-1].button("Пропустить"))
    replies = await h.press("res-1", replies[-1].button("Пропустить"))
    replies = await h.press("res-1", replies[-1].button("Изменить"))
    replies = await h.press("res-1", replies[-1].button("Тип"))
    replies = await h.press("res-1", replies[-1].button("Крыша и фасад"))
    assert "Крыша и фасад" in replies[-1].text and "Проверьте заявку" in replies[-1].text


async def test_qr_deep_link_prefills_building_and_place(harness: Harness) -> None:
    h = harness
    replies = await h.say("visitor-9", "/start b-sad12-entrance2")
    assert "что случилось" in replies[-1].text
    replies = await h.say("visitor-9", "сломана ручка входной двери")
    replies = await h.press("visitor-9", replies[-1].button("Двери и домофон"))
    replies = await h.say("visitor-9", "готово")
    replies = await h.say("visitor-9", "пропустить")
    assert "Место: подъезд 2" in replies[-1].text and "Садовая" in replies[-1].text


async def test_my_requests_status_and_comment(harness: Harness) -> None:
    h = harness
    number = (await file_request(h)).number
    mine = (await h.say("res-1", "/my"))[-1]
    assert f"№{number}" in mine.text and "новая" in mine.text
    status = (await h.say("res-1", f"статус {number}"))[-1]
    assert f"Заявка №{number}: новая" in status.text
    asked = await h.press("res-1", mine.button("Комментарий"))
    assert "комментарий" in asked[-1].text
    done = await h.say("res-1", "дома после 18:00")
    assert "Добавлено" in done[-1].text
    assert "дома после 18:00" in (await h.read(GROUP))[-1].text
    # Someone else's request number is not disclosed.
    other = await h.say("res-2", f"статус {number}")
    assert "не найдена" in other[-1].text
    # The resident cancels it with a reason.
    await h.press("res-1", mine.button("Отменить"))
    cancelled = await h.say("res-1", "сам починил")
    assert "отменена" in cancelled[-1].text
    assert "Житель отменил заявку: сам починил" in (await h.read(GROUP))[-1].text
