# ruff: noqa: E501 (hand-written fragment lists)
"""Hand-written fragments of formal written complaints, for the corpus generator.

Residents also write long letters to the management company, the housing inspectorate or
the town hall: an addressee, a sender, a formal statement of the problem (often several
problems), the history of unanswered calls, a demand and a threat to go higher.  The
problem statements here use the official words such letters use ("отсутствует
горячее водоснабжение", "ненадлежащее состояние кровли").  A leading "!" marks an
emergency.  All text was written for this project.
"""

FORMAL = {
    "ru": {
        "water": """
отсутствует горячее водоснабжение в квартире
подача холодной воды прекращена без предварительного уведомления жителей
давление в системе холодного водоснабжения недостаточное, на верхних этажах вода не поступает
температура горячей воды в точке разбора значительно ниже нормативной
вода в системе водоснабжения ненадлежащего качества: мутная, с осадком и посторонним запахом
на общедомовом стояке холодного водоснабжения имеется течь в резьбовом соединении
вентиль отсечения на стояке горячего водоснабжения неисправен и не перекрывает воду
в подвальном помещении капает вода из трубопровода холодного водоснабжения
горячая вода поступает с перебоями, температура скачет
трубы водоснабжения в санузле издают сильный гул при открытии крана
!произошел прорыв трубопровода холодного водоснабжения, вода поступает в нижерасположенные квартиры
!из вышерасположенной квартиры происходит залив, вода течет по стенам и с потолка
!в подвале прорыв трубы горячего водоснабжения, помещение заполнено паром и водой
!по лестничной клетке с верхних этажей течет вода, источник не установлен
""",
        "sewerage": """
засор общедомового канализационного стояка, сточные воды не уходят
в квартире систематически не работает водоотведение, вода стоит в ванне и раковине
в подвальном помещении течь канализационного трубопровода и стойкий запах нечистот
канализационный выпуск из дома засорен, в колодце во дворе стоят стоки
при сливе воды у соседей сверху в нашей раковине поднимается вода
требуется прочистка канализационной лежанки в подвале
чугунный канализационный стояк в санузле треснул и подтекает
!происходит излив канализационных стоков из унитаза на пол квартиры
!в подвале дома разлив канализационных стоков, уровень прибывает
!с потолка санузла поступают канализационные стоки из вышерасположенной квартиры
""",
        "heating": """
температура воздуха в жилом помещении ниже нормативной, радиаторы отопления чуть теплые
в одной из комнат радиатор отопления холодный при горячих остальных
система отопления в квартире завоздушена, батареи греют только сверху
в угловой комнате температура воздуха не превышает пятнадцати градусов
радиатор отопления в подъезде холодный, на лестнице холодно
полотенцесушитель не работает с начала отопительного сезона
прошу отрегулировать систему отопления, в квартире жарко, радиаторы раскалены
запорная арматура на радиаторе отопления неисправна
стояк отопления стучит и гудит в ночное время
отопительный сезон начался, а батареи в моей квартире так и не нагрелись
!во всем многоквартирном доме отсутствует отопление при температуре наружного воздуха минус двадцать
!по всему стояку отопления радиаторы ледяные, на улице сильный мороз, в квартирах двенадцать градусов
!в подъезде номер два отключено отопление во всех квартирах, на улице мороз
!произошел разрыв радиатора отопления, горячий теплоноситель заливает квартиру
!прорыв трубы отопления в подвале, горячая вода и пар
""",
        "electricity": """
на лестничной клетке отсутствует освещение
неисправно электроосвещение мест общего пользования на нескольких этажах
в квартире постоянно срабатывает автоматический выключатель
напряжение в электросети занижено, бытовые приборы не работают
в этажном щите отсутствует дверца, электрооборудование в открытом доступе
освещение у входа в подъезд не включается в темное время суток
светильники в подъезде горят круглосуточно, датчик неисправен
!из этажного электрощита идет дым и запах горелой изоляции
!в подъезде искрит электропроводка, слышен треск
!на лестничной площадке оголенные провода под напряжением в доступности для детей
!во всем доме отсутствует электроснабжение, лифты остановились
!розетка в квартире оплавилась и задымилась
""",
        "elevator": """
пассажирский лифт не функционирует длительное время
лифт работает с перебоями, останавливается между этажами без пассажиров
кабина лифта неисправна: не работают кнопки вызова и освещение
двери лифта закрываются с ударом, есть риск травмы
грузовой лифт в подъезде не эксплуатируется больше месяца
лифт издает посторонний шум и рывки при движении
лифт не работает, маломобильные жители не могут покинуть квартиры
лифт стоит на первом этаже с открытыми дверями, в кабине никого нет
!в кабине лифта между этажами заблокированы люди, связь с диспетчером не работает
!в остановившемся лифте находится ребенок, самостоятельно выйти не может
!пожилой человек застрял в кабине лифта, ему плохо
""",
        "doors_intercom": """
не работает домофон, вызов в квартиры не проходит
входная дверь подъезда не закрывается, доводчик неисправен
электромагнитный замок входной двери не удерживает дверь
ключи от домофона перестали открывать дверь
дверь в подъезд повреждена и не запирается
дверь выхода на кровлю не заперта, посторонние имеют доступ на крышу
входная дверь в подъезд открыта настежь в зимний период, подъезд выстуживается
""",
        "cleaning": """
не производится уборка мест общего пользования
влажная уборка лестничных клеток не проводится более месяца
в подъезде не моют окна и подоконники, грязь и пыль
уборка проводится формально, протирают только первый этаж
после ремонта в подъезде остался строительный мусор и пыль
лифтовая кабина не убирается, на полу грязь
прошу провести уборку в тамбуре, там грязь и следы
""",
        "waste": """
не осуществляется своевременный вывоз твердых коммунальных отходов
контейнерная площадка переполнена, отходы складируются на земле
мусоропровод засорен, мусорная камера не убирается
требуется вывоз крупногабаритных отходов с площадки у дома
загрузочный клапан мусоропровода сломан и не закрывается
контейнеры для отходов установлены с нарушением расстояния до окон
!в мусорной камере произошло возгорание, дым поступает в подъезд
!на контейнерной площадке горят отходы, огонь рядом с машинами
""",
        "territory": """
шлагбаум на въезде на придомовую территорию неисправен
не работают ворота на въезде во двор
придомовая территория не очищается от снега и наледи
тротуары у дома не посыпаются противогололедными средствами
на придомовой территории разрушено асфальтовое покрытие, глубокие ямы
детская площадка находится в аварийном состоянии, оборудование сломано
не производится покос травы и уборка листвы на территории
ливневая канализация во дворе не работает, после дождя стоят лужи
скамейки и урны у подъездов сломаны
!на придомовой территории открыт канализационный колодец без крышки
!аварийное дерево упало на пешеходную дорожку и оборвало провода
""",
        "roof_facade": """
протечка кровли, в квартире на последнем этаже намокает потолок
ненадлежащее состояние кровли, после осадков вода поступает на технический этаж
межпанельные швы не герметичны, стена промерзает и покрывается плесенью
на фасаде дома трещины, отслаивается штукатурка
водосточные трубы разрушены, вода стекает по фасаду
кровля над подъездом требует ремонта, в дождь капает на лестницу
козырек над входом в подъезд протекает и разрушается
с крыши не убирают снег, образовались снежные наносы
на балконной плите трещины, крошится бетон
!с фасада здания падают фрагменты облицовки на тротуар
над входами в подъезды нависают сосульки и снежные массы, угроза жизни прохожих
!обрушилась часть балконной плиты, куски бетона упали вниз
!ураганом сорвало кровельное покрытие, листы железа висят над двором
""",
        "gas": """
прошу провести плановое техническое обслуживание внутридомового газового оборудования
газовая колонка не включается, нет горячей воды
после отключения газоснабжение в квартире не восстановлено
пламя на газовой плите неустойчивое, горелка коптит
прошу согласовать перенос газовой плиты
требуется проверка вентиляционных каналов перед обслуживанием газового оборудования
!в подъезде ощущается устойчивый запах газа
!в квартире соседей запах газа и слышно шипение, дверь никто не открывает
!в подвальном помещении дома запах газа
""",
        "pests": """
прошу провести дезинсекцию подъезда, в квартирах тараканы
в подвале дома обитают крысы, необходима дератизация
в квартирах обнаружены постельные клопы, требуется обработка
в подвальном помещении развелись блохи и комары
под крышей дома поселились голуби, на чердаке помет
мыши проникают в квартиры первого этажа из подвала
""",
        "billing": """
прошу произвести перерасчет платы за коммунальную услугу ненадлежащего качества
в платежном документе неверно указана площадь квартиры
начисления по нормативу выставляются при наличии поверенных приборов учета
прошу разъяснить структуру платы за содержание жилого помещения
прошу предоставить справку об отсутствии задолженности
оплата за прошлый месяц не учтена, в квитанции задолженность
показания приборов учета не приняты, начислено по среднему
прошу пересчитать плату за отопление за период его отсутствия
""",
        "other": """
оконные рамы в подъезде рассохлись, стекла отсутствуют
прошу предоставить копию договора управления многоквартирным домом
прошу ознакомить с протоколом общего собрания собственников
прошу сообщить график приема граждан руководителем
прошу разъяснить порядок согласования перепланировки
прошу принять меры к соседям, нарушающим тишину в ночное время
прошу выдать акт о заливе квартиры, произошедшем в прошлом месяце
прошу предоставить отчет о выполненных работах за год
""",
    },
    "en": {
        "water": """
there has been no hot water supply to my flat for several days
the cold water supply was cut off without any notice to residents
water pressure on the upper floors is insufficient
the tap water is discoloured and has an unpleasant odour
a valve on the communal riser is leaking
!a water main has burst and water is entering the flats below
!water is coming through the ceiling from the flat above and running down the walls
""",
        "sewerage": """
the communal soil stack is blocked and waste water does not drain
there is a persistent sewage odour in the basement
the drains in my flat back up every few days
!raw sewage is overflowing from the toilet onto the floor
!sewage is leaking through the bathroom ceiling from the flat above
""",
        "heating": """
the temperature in my flat is below the required standard and the radiators are barely warm
one radiator in the bedroom stays cold while the rest are hot
the radiators only heat at the top, the system needs bleeding
the heating riser makes loud knocking noises at night
!the heating has failed in the entire building during a period of severe frost
!every flat on our riser is without heating and it is well below freezing
!a heating pipe has burst and hot water is flooding the flat
""",
        "electricity": """
the communal lighting on the staircase is not working
the circuit breaker in my flat trips repeatedly
the light outside the entrance does not come on at night
!the distribution board on our floor is smoking and smells of burning
!there are live wires exposed on the landing within reach of children
the whole building has lost power
""",
        "elevator": """
the passenger lift has been out of service for an extended period
the lift stops between floors without anyone inside and has to be reset
the lift doors close too quickly and have hit residents
!residents are trapped in the lift car and the emergency button does not work
!a child is stuck in the lift between floors
""",
        "doors_intercom": """
the door entry system is not working and visitors cannot call flats
the main entrance door does not close because the closer is broken
the door to the roof is unlocked and strangers can get up there
""",
        "cleaning": """
the communal areas are not being cleaned as agreed
the stairwell windows and sills are covered in dust
the lift car floor is dirty and nobody cleans it
""",
        "waste": """
household waste is not collected on schedule
the bin area is overflowing and rubbish is piled on the ground
bulky waste has been left next to the bins for weeks
!the bin store is on fire and smoke is entering the building
""",
        "territory": """
the car park barrier is out of order
the grounds are not cleared of snow and ice
the paths around the building are not gritted
the playground equipment is broken and dangerous
the asphalt in the courtyard has deep potholes
!there is an uncovered manhole on the footpath by the building
!a fallen tree is blocking the path and has brought down cables
""",
        "roof_facade": """
the roof leaks into the top floor flats whenever it rains
the joints between the wall panels are not sealed and the wall is damp and mouldy
the gutters and downpipes are broken and water runs down the facade
the render on the facade is cracked and flaking
!pieces of cladding are falling from the facade onto the pavement
large icicles are hanging over the entrances and could fall on residents
""",
        "gas": """
please arrange the annual maintenance of the gas equipment
the gas supply to my flat has not been restored after the shutdown
the gas boiler will not light
!there is a strong and persistent smell of gas in the stairwell
!I can smell gas from my neighbour's flat and nobody answers the door
""",
        "pests": """
please arrange pest control for cockroaches in the building
rats have been seen in the basement and around the bins
there are bedbugs in several flats
""",
        "billing": """
please recalculate my charges for the period when the service was not provided
my bill shows the wrong floor area for my flat
my last payment has not been credited to my account
""",
        "other": """
please send me a copy of the management agreement
please provide the minutes of the last general meeting of owners
I would like an appointment with the director
please take action regarding noise from the neighbours at night
""",
    },
}

ADDRESSEES = {
    "ru": [
        "Директору управляющей компании",
        "Генеральному директору ООО «УК»",
        "Руководителю управляющей организации",
        "В Государственную жилищную инспекцию",
        "Главе администрации района",
        "Председателю ТСЖ",
        "Начальнику ЖЭУ",
        "В прокуратуру района",
        "Депутату городской думы",
        "В управляющую компанию",
    ],
    "en": [
        "To the director of the management company",
        "To the housing inspectorate",
        "Dear Sir or Madam,",
        "To the building manager",
        "Dear management company,",
    ],
}

SENDERS = {
    "ru": [
        "от собственника квартиры {flat} дома {house} по ул. {street}",
        "от жильцов дома {house}, подъезд {entrance}",
        "от нанимателя кв. {flat}",
        "от жителей многоквартирного дома по адресу ул. {street}, д. {house}",
        "от собственника помещения №{flat}",
    ],
    "en": [
        "from the owner of flat {flat}, {house} {street}",
        "from the residents of entrance {entrance}",
        "from the tenant of apartment {flat}",
    ],
}

TITLES = {
    "ru": [
        "Заявление.",
        "Жалоба.",
        "Обращение.",
        "Претензия.",
        "ЗАЯВЛЕНИЕ",
        "Коллективное обращение.",
    ],
    "en": ["Complaint.", "Formal complaint", "Re: repairs", "Subject: complaint"],
}

OPENERS = {
    "ru": [
        "Довожу до Вашего сведения, что",
        "Настоящим сообщаю, что",
        "Обращаюсь к Вам в связи с тем, что",
        "Уведомляем, что",
        "Прошу принять меры, так как",
        "Ставлю Вас в известность, что",
        "Сообщаю, что по состоянию на сегодняшний день",
        "Мы, жители дома, сообщаем, что",
    ],
    "en": [
        "I am writing to inform you that",
        "I wish to report that",
        "Please be advised that",
        "I am writing to complain that",
        "We, the residents, would like to inform you that",
    ],
}

HISTORY = {
    "ru": [
        "Заявки в диспетчерскую от {d2}.11 и {d2}.11 не исполнены.",
        "Устные обращения по телефону остаются без ответа.",
        "Ранее подавал заявку, мастер так и не пришел.",
        "Проблема существует уже более месяца.",
        "Акт осмотра до сих пор не составлен.",
        "Фотографии прилагаю.",
    ],
    "en": [
        "My previous requests have not been answered.",
        "This has been going on for over a month.",
        "I reported this by phone twice with no result.",
        "Photographs are attached.",
    ],
}

DEMANDS = {
    "ru": [
        "Прошу в установленный законом срок устранить нарушение.",
        "Прошу устранить неисправность и сообщить о результатах в письменной форме.",
        "Прошу провести проверку и принять меры.",
        "Прошу направить специалиста для осмотра и составления акта.",
        "Требую незамедлительно принять меры.",
        "Прошу обязать управляющую компанию устранить нарушения.",
    ],
    "en": [
        "I request that this be put right without delay.",
        "Please send a specialist to inspect and repair it.",
        "I expect a written reply within the statutory period.",
        "Please take the necessary action.",
    ],
}

THREATS = {
    "ru": [
        "В случае непринятия мер буду вынужден обратиться в ГЖИ и прокуратуру.",
        "Оставляю за собой право обратиться в суд.",
        "Ответ прошу направить по адресу проживания.",
        "С уважением, жители дома.",
        "Дата, подпись.",
    ],
    "en": [
        "Otherwise I will take the matter to the housing inspectorate.",
        "Yours faithfully,",
        "Kind regards, residents of the building",
    ],
}

# How letters number several problems.
ENUMERATIONS = {
    "ru": [
        ("Во-первых, ", " Во-вторых, ", " В-третьих, "),
        ("1) ", " 2) ", " 3) "),
        ("1. ", " 2. ", " 3. "),
        ("Первое: ", " Второе: ", " Третье: "),
        ("", ", а также ", ", и еще "),
        ("", ". Кроме того, ", ". Также "),
    ],
    "en": [
        ("First, ", " Second, ", " Third, "),
        ("1) ", " 2) ", " 3) "),
        ("", ", and also ", ", and "),
        ("", ". In addition, ", ". Also, "),
    ],
}

# Chat habits: fillers around the problem, lines split into several messages.
CHAT_FILLERS = {
    "ru": [
        "короче",
        "блин",
        "ну",
        "эээ",
        "слушайте",
        "алло",
        "кароч",
        "вообще",
        "ребят",
        "в общем",
        "это самое",
        "капец",
        "жесть",
    ],
    "en": ["hey", "so", "um", "like", "guys", "ok so", "ugh", "pls", "omg", "lol"],
}

# A letter's sentence before a numbered list of problems.
LIST_INTROS = {
    "ru": [
        "Довожу до Вашего сведения следующее.",
        "Сообщаю о следующих нарушениях:",
        "Прошу устранить следующие неисправности:",
        "В нашем доме накопились проблемы.",
        "Обращаемся по нескольким вопросам.",
    ],
    "en": [
        "I would like to report the following problems:",
        "There are several issues in our building.",
        "Please deal with the following:",
    ],
}

# Voice typing: spoken fillers and the «and then» that strings problems into one breath.
VOICE_FILLERS = {
    "ru": [
        "значит",
        "вот",
        "так вот",
        "ну вот",
        "как бы",
        "в общем",
        "короче говоря",
        "это",
        "слушайте",
        "алло алло",
        "я вам звоню то есть пишу",
        "так",
        "ну как сказать",
        "девушка",
    ],
    "en": [
        "so",
        "okay so",
        "um",
        "right",
        "basically",
        "you know",
        "anyway",
        "hello hello",
        "so like",
        "yeah",
    ],
}
VOICE_JOINERS = {
    "ru": ["и еще", "а еще", "и вот", "и плюс ко всему", "и это самое", "и", "да и", "потом"],
    "en": ["and also", "and then", "and", "plus", "oh and", "and another thing"],
}
