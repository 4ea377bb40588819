"""Russian texts: the service's first language.  Every user-facing string lives here."""

CATEGORIES = {
    "water": "Водоснабжение",
    "sewerage": "Канализация",
    "heating": "Отопление",
    "electricity": "Электричество",
    "elevator": "Лифт",
    "doors_intercom": "Двери и домофон",
    "cleaning": "Уборка",
    "waste": "Мусор",
    "territory": "Двор и территория",
    "roof_facade": "Крыша и фасад",
    "gas": "Газ",
    "pests": "Насекомые и грызуны",
    "billing": "Квитанции и оплата",
    "other": "Другое",
}

URGENCIES = {"emergency": "🚨 Авария", "urgent": "Срочная", "normal": "Обычная"}

STATUSES = {
    "new": "новая",
    "assigned": "назначена технику",
    "accepted": "принята в работу",
    "in_progress": "выполняется",
    "postponed": "отложена",
    "cannot_do": "не может быть выполнена техником",
    "done": "выполнена, ждёт подтверждения",
    "reopened": "возвращена в работу",
    "closed": "закрыта",
    "rejected": "отклонена",
    "cancelled": "отменена",
}

LOCATIONS = {
    "apartment": "Квартира",
    "entrance": "Подъезд",
    "floor": "Этаж",
    "basement": "Подвал",
    "attic": "Чердак",
    "roof": "Крыша",
    "yard": "Двор",
    "stairwell": "Лестница / площадка",
    "elevator": "Лифт",
    "parking": "Парковка",
}

TEXTS = {
    # resident: greeting and help
    # Shown by a channel to a person who opened its chat before writing.
    "welcome": "Здравствуйте! Я бот диспетчерской службы вашей управляющей компании. Нажмите «▶️ Начать», чтобы сообщить о проблеме или узнать о своей заявке.",
    "btn_begin": "▶️ Начать",
    "greeting": (
        "Здравствуйте! Я бот аварийно-диспетчерской службы вашей управляющей компании.\n"
        "Опишите проблему одним сообщением — адрес, квартиру или подъезд и что случилось "
        "(можно с фото), и я оформлю заявку, сообщу её номер и буду держать вас в курсе.\n"
        "Команды: /my — мои заявки, /help — помощь, /cancel — отменить ввод."
    ),
    "help": (
        "Как подать заявку: напишите, например, «Ленина 5, кв 12 — течёт кран на кухне» "
        "или пришлите фото.\n"
        "/my — ваши открытые заявки\n"
        "«статус 1001» — состояние заявки по номеру\n"
        "/new — новая заявка\n"
        "/cancel — отменить текущий ввод\n"
        "/lang — English"
    ),
    "lang_set": "Язык: русский.",
    "cancelled_input": "Хорошо, отменил. Если что-то случится — просто напишите.",
    "nothing_to_cancel": "Сейчас нечего отменять. Опишите проблему, и я оформлю заявку.",
    "state_reset": "Извините, я потерял нить нашего разговора. Давайте начнём сначала.",
    "unsupported": "Я пока не умею читать такие сообщения. Пожалуйста, напишите текстом или пришлите фото.",
    "photo_empty": "Фото пришло пустым. Пожалуйста, отправьте его ещё раз.",
    "photo_too_large": "Файл фото слишком большой. Пожалуйста, пришлите снимок поменьше.",
    "photo_not_image": "Не получилось открыть это фото. Пожалуйста, пришлите обычный снимок (JPEG, PNG, GIF или WebP).",
    "photo_too_many_pixels": "Фото слишком большое по числу пикселей. Пожалуйста, пришлите снимок поменьше.",
    "photo_too_small": "Фото слишком маленькое — на нём ничего не разглядеть. Пожалуйста, пришлите снимок покрупнее.",
    "photo_bad_shape": "Фото слишком вытянутое, мессенджеры его не покажут. Пожалуйста, пришлите обычный снимок.",
    "too_long": "Сообщение слишком длинное ({length} символов, можно до {limit}). Сократите, пожалуйста.",
    "stale": "Это действие уже недоступно: заявка изменилась или кнопка устарела.",
    "not_found": "Заявка не найдена.",
    "error": "Извините, не получилось обработать сообщение. Попробуйте ещё раз или напишите иначе.",
    "photo_not_shown": "📷 Фото не удалось показать здесь: мессенджер его не принял.",
    # resident: filing
    "ask_building": "По какому адресу проблема? Напишите улицу и дом или выберите:",
    "ask_building_again": "Не нашёл такой дом среди обслуживаемых. Выберите из списка или напишите адрес иначе:",
    "building_other": "Другой адрес",
    "ask_location": "Где именно? Выберите место или напишите номер квартиры ({address}):",
    "ask_apartment": "Напишите номер квартиры (1–{max}):",
    "ask_entrance": "Напишите номер подъезда (1–{max}):",
    "bad_apartment": "В этом доме квартиры с 1 по {max}. Напишите номер квартиры:",
    "bad_entrance": "В этом доме подъезды с 1 по {max}. Напишите номер подъезда:",
    "ask_description": "Опишите, пожалуйста, что случилось:",
    "description_short": "Опишите проблему чуть подробнее (хотя бы несколько слов):",
    "ask_category": "Какой это тип проблемы?",
    "ask_category_guess": "Похоже, это: {category}. Верно?",
    "yes_right": "Да, верно",
    "other_type": "Другой тип…",
    "ask_photos": "Пришлите фото проблемы (можно несколько) или нажмите «Пропустить».",
    "photo_added": "Фото добавлено ({count}). Пришлите ещё или нажмите «Готово».",
    "too_many_photos": "Больше {limit} фото к одной заявке не прикрепить.",
    "photos_done": "Готово",
    "skip": "Пропустить",
    "ask_phone": "Оставьте телефон для связи (необязательно) — напишите номер или нажмите «Пропустить».",
    "bad_phone": "Не похоже на номер телефона. Напишите, например, +7 912 345-67-89, или нажмите «Пропустить».",
    "summary": (
        "Проверьте заявку:\n"
        "Адрес: {address}\n"
        "Место: {location}\n"
        "Тип: {category}{emergency}\n"
        "Описание: {description}\n"
        "Фото: {photo_count}\n"
        "Телефон: {phone}"
    ),
    "summary_emergency": " (🚨 авария)",
    "summary_resident_emergency": " (🚨 авария — по вашей отметке)",
    "mark_emergency": "🚨 Это авария",
    "unmark_emergency": "Это не авария",
    "advice_marked": (
        "🚨 Заявка отмечена как авария: диспетчер увидит её сразу, срок — как у аварии. "
        "При угрозе жизни звоните 112, при запахе газа — 104."
    ),
    "emergency_unmarked": "Отметку «авария» сняли.",
    "emergency_stays": (
        "Аварию определили по описанию, поэтому отметка остаётся: если это не авария, "
        "диспетчер снизит срочность."
    ),
    "none": "нет",
    "confirm": "✅ Подтвердить",
    "edit": "✏️ Изменить",
    "cancel": "✖️ Отменить",
    "ask_edit_field": "Что изменить?",
    "field_building": "Адрес",
    "field_location": "Место",
    "field_category": "Тип",
    "field_description": "Описание",
    "field_photos": "Фото",
    "use_buttons": "Пожалуйста, выберите вариант кнопкой или напишите ответ.",
    "filed": (
        "Заявка №{number} принята.\n"
        "{category}, {address}, {location}.\n"
        "Срок: {deadline}.\n"
        "Диспетчер назначит техника, и я сообщу о каждом шаге. Узнать, как идут дела: напишите «статус {number}»."
    ),
    # emergency advice (before anything else)
    "advice_gas": (
        "⚠️ Запах газа — опасно! Немедленно: не включайте и не выключайте свет и приборы, "
        "не пользуйтесь открытым огнём, откройте окна, выйдите из помещения и позвоните "
        "в аварийную газовую службу 104 или 112 (с мобильного). Заявку в УК я тоже оформлю."
    ),
    "advice_water": (
        "⚠️ Если течёт вода: перекройте вентиль на стояке в квартире, обесточьте мокрые розетки "
        "и приборы, предупредите соседей снизу. Аварийная служба уже получит заявку."
    ),
    "advice_sewage": (
        "⚠️ Если идут канализационные стоки: не сливайте воду, не пользуйтесь раковиной, ванной "
        "и унитазом, попросите соседей по стояку тоже не сливать, не спускайтесь в залитый "
        "подвал. Аварийная служба уже получит заявку."
    ),
    "advice_electricity": (
        "⚠️ Искрит или пахнет гарью: не трогайте провода и щиток, по возможности отключите "
        "автомат, при дыме или огне звоните 112."
    ),
    "advice_fire": "⚠️ При пожаре или дыме сразу звоните 112 и выйдите из здания.",
    "advice_elevator": (
        "⚠️ Если в лифте застряли люди: пусть нажмут кнопку вызова диспетчера в кабине и не пытаются "
        "выбраться сами. Заявка будет срочной."
    ),
    "advice_generic": "⚠️ Это похоже на аварию: заявка будет срочной. При угрозе жизни звоните 112.",
    # resident: my requests, status, comments
    "my_requests_empty": "У вас нет открытых заявок.",
    "my_requests": "Ваши открытые заявки:",
    "request_line": "№{number} — {category}, {address}: {status}; срок {deadline}",
    "status_line": "Заявка №{number}: {status}.\n{category}, {place}.\nСрок: {deadline}.",
    "add_comment_btn": "💬 Комментарий / фото к №{number}",
    "cancel_request_btn": "✖️ Отменить №{number}",
    "ask_comment": "Напишите комментарий или пришлите фото к заявке №{number}:",
    "comment_added": "Добавлено к заявке №{number}.",
    "ask_cancel_reason": "Почему отменяете заявку №{number}? Напишите коротко:",
    "request_cancelled": "Заявка №{number} отменена.",
    # resident: notifications
    "n_assigned": "По заявке №{number} назначен техник: {technician}.",
    "n_accept": "Техник {technician} принял заявку №{number} в работу.",
    "n_start": "Техник {technician} приступил к работе по заявке №{number}.",
    "n_postpone": "Работы по заявке №{number} перенесены на {until}. Причина: {reason}",
    "n_cannot_do": "Техник не смог выполнить заявку №{number}: {reason}. Диспетчер назначит другого.",
    "n_done": "Работы по заявке №{number} выполнены.{comment}\nПроблема решена?",
    "n_done_comment": "\nКомментарий техника: {text}",
    "done_yes": "✅ Да, всё сделано",
    "done_no": "❌ Нет, не сделано",
    "ask_reopen_reason": "Что осталось не так по заявке №{number}? Напишите, я передам технику и диспетчеру:",
    "reopened_ok": "Заявка №{number} возвращена в работу. Мы сообщим, когда всё исправят.",
    "n_confirm": "Заявка №{number} закрыта. Спасибо! Оцените, пожалуйста, работу от 1 до 5:",
    "n_close": "Заявка №{number} закрыта диспетчером.{reason}",
    "n_reject": "Заявка №{number} отклонена. Причина: {reason}",
    "n_cancel": "Заявка №{number} отменена жителем, который её подал. Если у вас проблема осталась — напишите, оформим новую заявку.",
    "n_comment_from_tech": "Сообщение от техника по заявке №{number}: {text}",
    "n_comment_from_dispatcher": "Сообщение от диспетчера по заявке №{number}: {text}",
    "group_comment": "💬 №{number} · {who}: {text}",
    "n_comment_from_resident": "Сообщение от жителя по заявке №{number}: {text}",
    "thanks_rating": "Спасибо за оценку {stars}!",
    "reason_suffix": " Комментарий: {reason}",
    # technician
    "tech_help": (
        "Вы техник. Задания приходят сюда карточками с кнопками.\n"
        "/jobs — мои задания по сроку\n"
        "/cancel — отменить ввод"
    ),
    "job_card": (
        "{marker}Задание по заявке №{number}\n"
        "{category} · {urgency}\n"
        "Адрес: {address}, {location}\n"
        "Описание: {description}\n"
        "Срок: {deadline}\n"
        "Статус: {status}{phone}{extra}"
    ),
    "job_phone": "\nТелефон жителя: {phone}",
    "job_reopened": "\nЖитель вернул заявку: {reason}",
    "jobs_empty": "У вас нет открытых заданий.",
    "jobs": "Ваши задания по сроку:",
    "btn_accept": "✅ Принять",
    "btn_decline": "✖️ Отказаться",
    "btn_start": "▶️ Начать",
    "btn_postpone": "⏸ Отложить",
    "btn_cannot_do": "⛔ Не могу выполнить",
    "btn_done": "✅ Выполнено",
    "btn_write_resident": "💬 Написать жителю",
    "ask_decline_reason": "Почему отказываетесь от заявки №{number}?",
    "ask_postpone_reason": "Почему откладываете заявку №{number}?",
    "ask_postpone_date": "На когда перенести? Выберите или напишите дату и время (например, {example} или «завтра в 14»):",
    "bad_date": "Не понял дату. Напишите, например, {example} или «в понедельник утром».",
    "tomorrow": "Завтра 10:00",
    "day_after": "Послезавтра 10:00",
    "in_week": "Через неделю",
    "ask_cannot_do_reason": "Почему не получается выполнить заявку №{number}?",
    "ask_report": "Пришлите фотоотчёт о работе по заявке №{number} и короткий комментарий, затем нажмите «Готово».",
    "report_photo_added": "Фото в отчёт добавлено ({count}).",
    "report_comment_added": "Комментарий записан.",
    "report_empty": "Пришлите хотя бы фото или комментарий к отчёту.",
    "ask_message_resident": "Напишите сообщение жителю по заявке №{number}:",
    "message_sent": "Передал.",
    "done_ok": "Готово: заявка №{number} — {status}.",
    "n_job_unassigned": "Заявка №{number} передана другому технику.",
    "n_job_closed": "Заявка №{number} закрыта.",
    "n_job_confirmed": "Житель подтвердил выполнение заявки №{number}.",
    "n_job_reopened": "Житель вернул заявку №{number}: {reason}",
    "n_job_cancelled": "Житель отменил заявку №{number}.",
    "n_job_rejected": "Заявка №{number} отклонена диспетчером: {reason}",
    "n_rated": "Оценка по заявке №{number}: {stars}",
    "n_reclassify": "Заявка №{number} изменена диспетчером: {category}, {urgency}. Срок: {deadline}.",
    # dispatcher
    "card": (
        "{marker}Заявка №{number} · {status}\n"
        "{category} · {urgency}\n"
        "Адрес: {address}, {location}\n"
        "Описание: {description}\n"
        "Житель: {reporter}{phone}\n"
        "Исполнитель: {assignee}\n"
        "Срок: {deadline}{reporters}{event}"
    ),
    "card_reporters": "\nСообщили: {count}",
    "card_claim_resident": (
        "\n🙋 Аварию отметил житель, классификатор аварии не увидел: "
        "оставьте или измените срочность («⚡ Срочность»)"
    ),
    "card_claim_reviewed": "\n🙋 Аварию отметил житель, диспетчер её оставил",
    "card_unassigned": "не назначен",
    "card_overdue": " ⚠️ просрочена",
    "btn_assign": "👷 Назначить",
    "btn_type": "🏷 Тип",
    "btn_urgency": "⚡ Срочность",
    "btn_comment": "💬 Комментарий",
    "btn_reject": "✖️ Отклонить",
    "btn_close": "✔️ Закрыть",
    "btn_history": "📜 История",
    "btn_deadline": "⏰ Срок",
    "ask_deadline": "Новый срок для заявки №{number} (сейчас: {deadline}). Напишите дату и время, например {example}, «завтра в 14» или «через 2 часа». /cancel — отменить.",
    "deadline_usage": "Напишите номер заявки и срок, например: /deadline 1001 {example}",
    "pick_technician": "Кого назначить на заявку №{number}?",
    "no_technicians": "Нет доступных техников.",
    "pick_category": "Новый тип для заявки №{number}:",
    "pick_urgency": "Новая срочность для заявки №{number}:",
    "ask_dispatch_comment": "Напишите комментарий к заявке №{number}:",
    "ask_reject_reason": "Причина отклонения заявки №{number}:",
    "dispatch_help": (
        "Диспетчерская. Новые заявки приходят сюда карточками.\n"
        "/open — открытые заявки (фильтры: дом, тип, техник, статус)\n"
        "/overdue — просроченные · /today — срок сегодня · /load — нагрузка техников\n"
        "/find 1001 или /find Ленина 5 — поиск по номеру или адресу\n"
        "/deadline 1001 завтра 18:00 — новый срок заявки\n"
        "/show 1001 (или /status 1001) — заявка с историей\n"
        "/incident Ленина 5 нет горячей воды до 18:00 — объявить аварию · /incidents — активные\n"
        "/outage Ленина 5 плановое отключение горячей воды с 10:00 до 18:00 — сообщить жителям "
        "дома об отключении (и потом о его конце)\n"
        "/resolve 7 — аварию или отключение #7 устранили\n"
        "/merge 1001 1002 — объединить заявки · /split 1001 — выделить жителя в отдельную\n"
        "/failed — недоставленные и необработанные сообщения\n"
        "/stats неделя — графики за период (сегодня, неделя, месяц, 7d, 2026-11-01..2026-11-30)\n"
        "/cancel — отменить ввод · /help — эта справка"
    ),
    "open_empty": "Открытых заявок нет.",
    "open_list": "Открытые заявки ({count}):",
    "open_line": "№{number} · {status} · {category} · {address} · {assignee} · срок {deadline}",
    "history": "История заявки №{number}:",
    "history_line": "{at} — {who}: {action}{comment}",
    "history_claim": " · 🙋 аварию отметил житель",
    "failed_empty": "Недоставленных и необработанных сообщений нет.",
    "failed_list": "Недоставленные сообщения:",
    "failed_inbox_list": "Необработанные входящие сообщения:",
    "failed_line": "#{id} {channel}/{chat}: {error}",
    "ev_job": "",
    "ev_assign": "Назначен: {technician}",
    "ev_accept": "Техник принял",
    "ev_decline": "Техник {technician} отказался: {reason}",
    "ev_start": "Техник приступил",
    "ev_postpone": "Отложена до {until}: {reason}",
    "ev_cannot_do": "⛔ Техник не может выполнить: {reason} — нужно переназначить",
    "ev_done": "Выполнена, ждёт подтверждения жителя",
    "ev_confirm": "Житель подтвердил выполнение",
    "ev_reopen": "Житель вернул в работу: {reason}",
    "ev_close": "Закрыта диспетчером",
    "ev_reject": "Отклонена: {reason}",
    "ev_cancel": "Житель отменил заявку: {reason}",
    "ev_reclassify": "Тип/срочность изменены",
    "ev_emergency_kept": "Аварию, отмеченную жителем, диспетчер оставил",
    "a_resident": "Житель",
    "ev_deadline": "Срок изменён: {deadline}",
    "n_deadline": "Срок по заявке №{number} изменён диспетчером: {deadline}.",
    "stats_usage": "Укажите период: /stats сегодня, /stats неделя, /stats месяц, /stats 7d или /stats 2026-11-01..2026-11-30 (не больше года).",
    "stats_caption": "Заявки за {since} — {until}: подано {opened}, закрыто {closed}, аварийных {emergencies}; в срок {within}; медиана выполнения {finish} ч; средняя оценка {rating}.",
    "stats_none": "нет данных",
    "ev_comment": "💬 {text}",
    "ev_rated": "Оценка жителя: {stars}",
    "comment_saved": "Комментарий добавлен к заявке №{number}.",
    "refused_not_allowed": "Это действие вам недоступно.",
    "refused_wrong_status": "Сейчас это действие недоступно: заявка в статусе «{status}».",
    "refused_stale": "Это действие уже недоступно: заявку только что изменили. Смотрите свежую карточку.",
    "refused_reason_required": "Нужно указать причину.",
    "refused_bad_assignee": "Этого техника нельзя назначить.",
    "refused_already_assigned": "Заявка уже назначена этому технику.",
    "refused_bad_date": "Дата должна быть в будущем.",
    "refused_unchanged": "Ничего не изменилось.",
    "refused_already_rated": "Вы уже оценили эту заявку.",
    "refused_bad_rating": "Оценка — от 1 до 5.",
    "refused_empty": "Пустое сообщение.",
    "refused_not_found": "Заявка не найдена.",
    "unknown_command": "Не знаю такой команды. /help — список команд.",
    # onboarding
    "invite_ok_staff": "Готово, {name}! Вы подключены как {role}.",
    "invite_ok_group": "Этот чат подключён как группа диспетчеров.",
    "invite_bad": "Ссылка-приглашение недействительна или уже использована.",
    "role_technician": "техник",
    "role_dispatcher": "диспетчер",
    "role_admin": "администратор",
    "group_not_staff": "Кнопки этой группы доступны только диспетчерам.",
    "location_common": "{kind}",
    "location_number": "{kind} {number}",
    "place": "{address}, {location}",
    "no_deadline": "не установлен",
    "someone": "житель",
    "dispatcher_name": "диспетчер",
    # mass incidents and duplicates
    "ask_duplicate": "Похоже, об этом уже сообщили: заявка №{number} — {category}, {place}, подана {filed_at} ({status}). Это та же проблема?",
    "dup_join": "Да, это оно (№{number})",
    "dup_new": "Нет, другая проблема",
    "n_joined": "Об этой проблеме уже известно: заявка №{number} ({status}). Я добавил вас к ней — вы будете получать все обновления, а ваше описание (и фото, если были) передал диспетчеру. Подтверждать работу и отменять заявку будет житель, который её подал.",
    "ev_joined": "Ещё один житель сообщил об этой проблеме",
    "ev_joined_said": "Ещё один житель сообщил об этой проблеме: {text}",
    "refused_not_author": "Это решает житель, который подал заявку. Вы присоединились к ней: я сообщу вам, чем всё закончится, а через /my можно добавить комментарий или фото.",
    "n_done_follower": "Работы по заявке №{number} выполнены. Если у вас проблема осталась — напишите, оформим новую заявку.",
    "n_confirm_follower": "Заявка №{number} закрыта: работы выполнены. Спасибо, что сообщили!",
    "n_autoclose_follower": "Заявка №{number} закрыта: работы выполнены. Если у вас проблема осталась — напишите, оформим новую заявку.",
    "refused_already_reported": "Вы уже сообщили об этой проблеме.",
    "incident_known": "Об этом уже известно: {description} ({address}){until}. Заявку оформлять не нужно — я сообщу, когда всё восстановят.",
    "incident_until": ", ориентировочно до {until}",
    "incident_other": "У меня другая проблема — оформить заявку",
    "incident_declared": "📢 Объявлена авария #{id}: {category}, {address}{entrance} — {description}{until}.\nЖители, которые напишут об этом, сразу получат ответ.",
    "incident_entrance": ", подъезд {entrance}",
    "btn_incident": "📢 Авария по дому",
    "btn_resolve": "✔️ Устранено",
    "incident_resolved_group": "Авария #{id} устранена: {description} ({address}). Сообщено жителям: {count}.",
    "n_incident_resolved": "Устранено: {description} ({address}). Спасибо за терпение!",
    "incident_usage": "Напишите: /incident <адрес> <что случилось> [до ЧЧ:ММ], например: /incident Ленина 5 нет горячей воды, плановые работы до 18:00",
    "incident_no_building": "Не нашёл дом в тексте. Пример: /incident Ленина 5 нет горячей воды до 18:00",
    "incidents_empty": "Активных аварий нет.",
    "incidents_list": "Активные аварии:",
    "incident_line": "#{id} · {category} · {address}{entrance} · {description}{until}",
    "staff_unreachable": "⚠️ {name} недоступен в канале {channel}: бот заблокирован или чат удалён. Задания ему не доставляются — свяжитесь с ним иначе или переназначьте заявки.",
    "filed_auto": (
        "Заявка №{number} принята.\n"
        "{category}, {address}, {location}.\n"
        "Срок: {deadline}.\n"
        "Назначен техник: {technician}. Я сообщу о каждом шаге. Узнать, как идут дела: напишите «статус {number}»."
    ),
    # dispatch operations: automatic assignment, reminders, escalation, monitor
    "ev_auto_assign": "🤖 Назначен автоматически: {technician}{why}",
    "ev_needs_manual": "❗ Нужно назначить вручную: {why}",
    "ev_autoclose": "Закрыта автоматически: житель не ответил за {hours} ч",
    "ev_not_accepted": "Техник не принял заявку вовремя",
    "why_filed": "",
    "why_decline": " — предыдущий техник отказался",
    "why_cannot_do": " — предыдущий техник не может выполнить",
    "why_not_accepted": " — предыдущий техник не принял вовремя",
    "why_on_duty": " (дежурный)",
    "nobody_no_matrix": "за этот дом и тип работ никто не отвечает (матрица ответственности)",
    "nobody_all_excluded": "все ответственные техники уже отказались",
    "nobody_all_absent": "все ответственные техники отсутствуют (отпуск, больничный, выходной)",
    "nobody_none_on_duty": "сейчас нет техника на смене",
    "nobody_all_busy": "у всех ответственных техников слишком много открытых заявок",
    "remind_accept": "\n⏰ Напоминание: примите заявку или откажитесь от неё.",
    "remind_due": "\n⏰ Срок по заявке истекает {deadline}.",
    "remind_overdue": "\n⚠️ Заявка просрочена (срок был {deadline}). Выполните её или отложите с причиной.",
    "raise_unassigned": "❗ Заявка №{number} ({category}, {address}) всё ещё без исполнителя — назначьте техника.",
    "raise_emergency": "🚨 Авария №{number} не принята в работу! {category}, {address}, {location}. Статус: {status}, исполнитель: {technician}.",
    "raise_not_accepted": "❗ Техник {technician} не принял заявку №{number} вовремя, а заменить некому — назначьте вручную.",
    "raise_overdue": "⚠️ Заявка №{number} просрочена: срок был {deadline}. {category}, {address}. Статус: {status}, исполнитель: {technician}.",
    "escalate": "🔺 Эскалация: заявка №{number} просрочена больше чем на период напоминаний.\n{category} · {urgency}\nАдрес: {address}, {location}\nСрок: {deadline}\nСтатус: {status}, исполнитель: {technician}\n{history}",
    "n_autoclose": "Заявка №{number} закрыта автоматически: вы не ответили за {hours} ч. Если проблема осталась — напишите, оформим новую заявку. Оцените, пожалуйста, работу:",
    "n_job_autoclosed": "Заявка №{number} закрыта автоматически: житель не ответил за {hours} ч.",
    "group_low_rating": "⚠️ Низкая оценка {stars} по заявке №{number} ({category}, {address}), исполнитель: {technician}.",
    "digest": "☀️ Сводка за {day}\nНовых: {new}, закрыто: {closed}, возвращено в работу: {reopened}\nПросрочено сейчас: {overdue}{overdue_list}\nОткрытые по техникам:\n{load}{worst}",
    "digest_load_line": "• {technician}: {count}",
    "digest_worst": "\nХудшие оценки за неделю:\n{lines}",
    "digest_worst_line": "• №{number} · {stars} · {technician}",
    "overdue_empty": "Просроченных заявок нет.",
    "overdue_list": "Просроченные заявки ({count}):",
    "today_empty": "На сегодня сроков нет.",
    "today_list": "Срок сегодня ({count}):",
    "load_empty": "Нет активных техников.",
    "load_list": "Нагрузка техников (открытые заявки):",
    "load_line": "{technician}: {count}{absent}",
    "load_absent": " · отсутствует",
    "find_empty": "Ничего не нашлось.",
    "find_list": "Найдено ({count}):",
    "find_usage": "Напишите: /find 1001 или /find Ленина 5",
    "open_usage": "Фильтры /open: дом (адрес или код), тип, техник, статус. Например: /open Ленина 5 · /open lift · /open Иванов · /open assigned",
    "system_name": "система",
    "admin_unknown_filter": "Не понял фильтр «{value}». {usage}",
    # merging and splitting
    "n_merged": "Ваша заявка №{source} объединена с заявкой №{number} о той же проблеме ({status}). Обновления будут приходить по №{number}.",
    "ev_merged_into": "Объединена с заявкой №{into}",
    "ev_merged_from": "Присоединена заявка №{source} (её жители теперь получают обновления этой)",
    "ev_split": "Житель выделен в отдельную заявку №{into}",
    "merge_usage": "Напишите: /merge <куда> <что>, например /merge 1001 1002 — заявка 1002 присоединится к 1001.",
    "merged_ok": "Заявка №{source} объединена с №{into}.",
    "split_pick": "Кого из сообщивших выделить в отдельную заявку из №{number}?",
    "split_none": "У заявки №{number} нет других сообщивших жителей.",
    "split_usage": "Напишите: /split <номер заявки>",
    "refused_same_request": "Нельзя объединить заявку саму с собой.",
    "refused_other_building": "Заявки относятся к разным домам — объединять нельзя.",
    "refused_not_a_co_reporter": "Этот житель не сообщал об этой заявке отдельно.",
    "reply_btn": "↩️ Ответить",
    # linking messengers
    "link_code": "Код для привязки другого мессенджера: {code}\nОткройте бота в другом мессенджере и отправьте ему: /link {code}\nКод действует {minutes} минут и только один раз. Никому его не сообщайте: по нему мессенджер получит доступ к вашим заявкам.",
    "link_done": "Готово: этот мессенджер привязан к профилю «{name}». Здесь видны ваши заявки; уведомления приходят туда, где вы писали последним (выбрать мессенджер: /channel).",
    "link_already": "Этот мессенджер уже привязан к вашему профилю.",
    "link_bad": "Код не подошёл: он неверный, уже использован или устарел. Получите новый командой /link в мессенджере, который уже привязан.",
    "link_locked": "Слишком много неверных кодов. Попробуйте снова после {time}.",
    "link_staff_identity": "Этот мессенджер привязан к учётной записи сотрудника, его нельзя перепривязать кодом. Обратитесь к администратору.",
    "link_has_requests": "К учётной записи сотрудника можно привязать только мессенджер, из которого не подавали заявок. Используйте другой аккаунт или обратитесь к администратору.",
    "unlink_done": "Этот мессенджер отвязан от профиля. Заявки и уведомления остались в других ваших мессенджерах; здесь всё начинается заново.",
    "unlink_only": "Это ваш единственный мессенджер, отвязывать нечего.",
    "channel_list": "Куда присылать уведомления? Сейчас: {current}.\nВаши мессенджеры:\n{identities}",
    "channel_line": "• {channel}: {name}, последний раз {seen}{unreachable}",
    "channel_unreachable": " (недоступен)",
    "channel_last": "туда, где вы писали последним",
    "channel_btn_last": "Где писал(а) последним",
    "channel_set": "Уведомления будут приходить в {channel}. Если он недоступен, в другой ваш мессенджер.",
    "channel_set_last": "Уведомления будут приходить туда, где вы писали последним.",
    "channel_unknown": "Этот мессенджер не привязан к вашему профилю. /channel показывает привязанные.",
    # choices shown as text where a channel has no room for buttons
    "choose_number": "Ответьте номером варианта или его названием.",
    "choose_letter": "Ответьте буквой варианта или его названием.",
    "type_phone": "Напишите номер телефона сообщением.",
    "type_location": "Напишите адрес или место сообщением.",
    "outside_window": "Сообщение не доставлено: с последнего сообщения человека прошло больше {hours} ч, а другого канала связи с ним нет.",
    # understanding residents: places, dates, plurals
    "location_in_entrance": "подъезд {entrance}",
    "location_on_floor": "этаж {floor}",
    "location_flat_where": "{flat} ({where})",
    "n_residents": "житель|жителя|жителей",
    "n_buildings": "дом|дома|домов",
    "n_staff": "сотрудник|сотрудника|сотрудников",
    "n_matrix_entries": "строка матрицы|строки матрицы|строк матрицы",
    "n_open_jobs": "заявка в работе|заявки в работе|заявок в работе",
    "declined_ok": "Вы отказались от заявки №{number}. Её передадут другому технику.",
    "cannot_do_ok": "Заявка №{number} возвращена диспетчеру с вашей причиной.",
    "show_usage": "Напишите номер заявки, например: /show 1001",
    "advice_flooded": (
        "⚠️ Если вас заливают сверху: обесточьте мокрые комнаты и розетки, не трогайте мокрые "
        "приборы, подставьте ёмкости, по возможности поднимитесь к соседям сверху. "
        "Аварийная служба уже получит заявку."
    ),
    "greeting_short": (
        "Здравствуйте! Я бот аварийно-диспетчерской службы вашей управляющей компании: "
        "оформлю заявку, сообщу её номер и буду держать вас в курсе.\n"
        "Команды: /my — мои заявки, /help — помощь, /cancel — отменить ввод."
    ),
    "date_past": "Время {when} уже прошло. Напишите дату и время в будущем, например {example}.",
}

#: The letters that mark the options of a lettered list (no й, ё, ъ, ы, ь: easily confused).
OPTION_LETTERS = "абвгдежзиклмнопрстуфхцчшэюя"

#: Words that name an option by its place, as a whole reply.
ORDINALS = {
    **dict.fromkeys(("первый", "первая", "первое", "первую"), 1),
    **dict.fromkeys(("второй", "вторая", "второе", "вторую"), 2),
    **dict.fromkeys(("третий", "третья", "третье", "третью"), 3),
    **dict.fromkeys(("четвертый", "четвертая", "четвертое", "четвертую"), 4),
    **dict.fromkeys(("пятый", "пятая", "пятое", "пятую"), 5),
    **dict.fromkeys(("шестой", "шестая", "шестое", "шестую"), 6),
    **dict.fromkeys(("седьмой", "седьмая", "седьмое", "седьмую"), 7),
    **dict.fromkeys(("восьмой", "восьмая", "восьмое", "восьмую"), 8),
    **dict.fromkeys(("девятый", "девятая", "девятое", "девятую"), 9),
    **dict.fromkeys(("десятый", "десятая", "десятое", "десятую"), 10),
}

#: Number words that name an option of a numbered list.
CARDINALS = {
    **dict.fromkeys(("один", "одна", "одно", "раз"), 1),
    **dict.fromkeys(("два", "две"), 2),
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
}

# -- emergency stages, quiet nights, escalation ladder, outages, digest --------
TEXTS.update(
    {
        "refused_not_emergency": "Этапы (локализация, восстановление) бывают только у аварийных заявок.",
        "refused_wrong_stage": "Этапы аварии идут по порядку: на месте → локализована → восстановлено → устранена. Смотрите свежую карточку.",
        "btn_arrived": "📍 На месте",
        "btn_localised": "🛑 Локализована",
        "btn_restored": "💡 Подача восстановлена",
        "btn_repaired": "✅ Устранена",
        "stage_accepted": "принята",
        "stage_arrived": "техник на месте",
        "stage_localised": "авария локализована",
        "stage_restored": "подача восстановлена",
        "stage_repaired": "повреждение устранено",
        "card_stage": "\nЭтап: {stage}",
        "card_escalated": "\n🔺 Эскалация: {title} — {names}",
        "with_phone": "{name}, тел. {phone}",
        "n_stage_arrived": "Техник {technician} на месте по аварийной заявке №{number}.",
        "n_stage_localised": "Авария по заявке №{number} локализована: дальнейшего ущерба не будет. Дальше — восстановление и ремонт.",
        "n_stage_restored": "По заявке №{number} подача восстановлена. Повреждение будет устранено полностью; я сообщу.",
        "ev_localise": "Авария локализована",
        "ev_restore": "Подача восстановлена",
        "ev_escalated": "Эскалация: {title} — {names}",
        "remind_due_stage": "\n⏰ Этап «{stage}» — срок {deadline}.",
        "remind_overdue_stage": "\n⚠️ Этап «{stage}» просрочен (срок был {deadline}). Отметьте его кнопкой, как только будет сделано.",
        "raise_overdue_stage": "⚠️ Авария №{number}: этап «{stage}» просрочен (срок был {deadline}). {category}, {address}. Исполнитель: {technician}.",
        "raise_emergency_duty": "🚨 Вы дежурный: авария №{number} не принята в работу. {category}, {address}, {location}. Исполнитель: {technician}. Свяжитесь с диспетчером или возьмите заявку.",
        "ladder": "🔺 Эскалация ({title}): заявка №{number} просрочена.\n{category} · {urgency}\nАдрес: {address}, {location}\nСрок: {deadline}\nСтатус: {status}\nКому звонить: исполнитель {call}; житель {resident}\n{history}",
        "why_held": " — подана вне рабочего времени, назначена в начале рабочего дня",
        "ev_held": "Подана вне рабочего времени: будет назначена в начале рабочего дня",
        "outage_usage": "Напишите: /outage <адрес> [подъезд N] <что> [с ЧЧ:ММ] до [ДД.ММ] ЧЧ:ММ, например: /outage Ленина 5 плановое отключение горячей воды с 10:00 до 18:00. Всем известным жителям дома придёт уведомление.",
        "outage_declared_planned": "📢 Плановое отключение #{id}: {category}, {address}{entrance} — {description}, с {start}{until}.\nСообщено жителям: {count}. Кто напишет об этом, сразу получит ответ; об окончании сообщу всем.",
        "outage_declared_unplanned": "📢 Аварийное отключение #{id}: {category}, {address}{entrance} — {description}, с {start}{until}.\nСообщено жителям: {count}. Кто напишет об этом, сразу получит ответ; об окончании сообщу всем.",
        "n_outage_planned": "📢 Плановое отключение: {description} — {address}{entrance}, с {start} до {until}. Заявку подавать не нужно: я сообщу, когда всё восстановят.",
        "n_outage_unplanned": "📢 Аварийное отключение: {description} — {address}{entrance}, с {start}, ориентировочно до {until}. Бригада уже работает, заявку подавать не нужно: я сообщу, когда всё восстановят.",
        "outage_over_group": "Отключение #{id} закончилось по объявленному времени: {description} ({address}). Сообщено жителям: {count}.",
        "digest_nearly": "\nСрок истекает в ближайшие {hours} ч: {list}",
        "digest_on_time": "\nВчера выполнено в срок: {share}% ({on_time} из {total})",
        "digest_reaction": "\nМедиана вчера: от подачи до принятия {accept}, до прибытия техника {on_site}",
        "digest_minutes": "{minutes} мин",
        "digest_awaiting": "\nЖдут подтверждения жителя: {list}",
        "digest_repeated": "\nПовторяющиеся заявки за {days} дней:\n{lines}",
        "digest_repeated_line": "• {address} — {category}: {count}",
        "digest_outages": "\nДействующие отключения:\n{lines}",
        "digest_outage_line": "• #{id} {address} — {description}",
        "digest_duty": "\nДежурные сегодня:\n{lines}",
        "digest_duty_line": "• {technician}{phone}: {hours}",
        "digest_no_duty": "\nДежурных на сегодня в графике нет.",
    }
)

# -- CSV imports (command line and console): why a file or one of its lines is refused --
TEXTS.update(
    {
        "imp_line": "строка {line}: {message}",
        "imp_no_file": "файл не найден",
        "imp_not_utf8": "файл не в кодировке UTF-8 (в таблице: «Сохранить как… → CSV UTF-8»; файл в Windows-1251 не читается)",
        "imp_missing_columns": "нет столбцов: {columns}",
        "imp_no_rows": "нет ни одной строки",
        "imp_bad_csv": "файл не читается как CSV ({reason})",
        "imp_whole": "{name}: нужно целое число не меньше {low}, а здесь {value}",
        "imp_building_code": "код: от 1 до 32 букв, цифр, - или _",
        "imp_duplicate_code": "код {code} повторяется",
        "imp_address": "нужен адрес (не длиннее 200 символов)",
        "imp_too_long": "{name}: не длиннее {n} символов простого текста",
        "imp_staff_code": "нужен код (не длиннее 32 символов)",
        "imp_role": "роль: technician, dispatcher или admin",
        "imp_resident": "жителей не загружают как сотрудников",
        "imp_name": "нужно имя (не длиннее 200 символов)",
        "imp_active": "active: 1, 0 или пусто, а здесь {value}",
        "imp_unknown_building": "нет дома с кодом {code}",
        "imp_unknown_category": "неизвестный тип {category} (один из {known} или *)",
        "imp_no_technician": "укажите хотя бы одного техника",
        "imp_not_technician": "{code} — не техник",
        "imp_technician_twice": "техник указан дважды",
        "imp_given_above": "{building},{category} уже задано выше",
        "imp_day": "день: mon..sun, пн..вс или дата ГГГГ-ММ-ДД, а здесь {value}",
        "imp_shift_kind": "вид смены: work, duty или off, а здесь {kind}",
        "imp_date_past": "дата {date} уже прошла",
        "imp_off_needs_date": "для выходного нужна дата, а не день недели",
        "imp_time": "неверное время {value} (нужно ЧЧ:ММ)",
        "imp_shift_backwards": "смена заканчивается раньше, чем начинается",
        "imp_shift_overlap": "пересекается со сменой в строке {other}",
        "imp_absence_kind": "вид отсутствия: {kinds}, а здесь {kind}",
        "imp_dates": "from и to должны быть датами ГГГГ-ММ-ДД",
        "imp_absence_backwards": "отсутствие заканчивается раньше, чем начинается",
        "imp_absence_past": "отсутствие уже прошло ({date})",
        "imp_no_area": "ни один дом не входит в комплекс {area}",
        "imp_after": "after_minutes: от 0 до {most}",
        "imp_step_title": "дайте ступени название (до 100 символов)",
        "imp_not_staff": "{code} — не код сотрудника (и не {duty})",
        "imp_step_twice": "у {scope} уже есть ступень через {after} мин",
        "n_shifts": "смена|смены|смен",
        "n_absences": "отсутствие|отсутствия|отсутствий",
        "n_ladder_steps": "ступень эскалации|ступени эскалации|ступеней эскалации",
    }
)
