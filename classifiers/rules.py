"""Explicit hazard rules and a keyword baseline.

The hazard rules run on normalised text (see :func:`classifiers.text.normalize`)
and flag emergencies that must never be missed whatever the model says:
gas smell, flooding from above, burst pipes, sewage filling a room, people stuck in a
lift, sparking, smoke or fire, no heating for a building, entrance or riser, facade parts
or icicles coming down, an open manhole.  They weigh the place and the words, not only
the problem: a lift standing with nobody inside, one cold radiator, a door left open in
frost, icicles still hanging, a leaning tree or a building without power is urgent work,
not an emergency.  Each rule names the kind
of hazard, so the advice given can match it.  The statistical model covers the long tail.
"""

from __future__ import annotations

import re

_NEAR = r"(?:\W+\w+){0,%d}\W+"  # up to N words in between


def _near(a: str, b: str, n: int = 4) -> str:
    """``a`` followed by ``b`` within ``n`` words, either order."""
    gap = _NEAR % n
    return rf"(?:(?:{a})\w*{gap}(?:{b})|(?:{b})\w*{gap}(?:{a}))"


_GAS = r"газ(?!он|ет|ел|ирован)"
_SMELL_RU = (
    r"(?<!\bне )\b(?:пахн|запах|воня|вонищ|смерд|несет|несёт|тянет|чу[вея]|утечк|шипит|травит)"
)
_SEWAGE_RU = r"канализ|нечистот|фекал|\bсток(?:и|ами|ов)?\b|говн|дерьм|г\*+"
_SEWAGE_FLOW_RU = (
    r"\bль[её]т|\bлью|\bлит|хлещ|хлын|выливает|выход|заливает|залило|затаплив|затопил|"
    r"фонтан|поднимает|лезет|по колено|по щиколотку|с потолка|текут по|через ванн|до порога|"
    r"на полу|по полу|в нечистотах|разлив|прибывает|уровень раст|залит|затоплен|плава|выбил|"
    r"поднял"
)

# Kinds of hazard: what the emergency is, so its advice can match it.
GAS = "gas"
FIRE = "fire"
ELECTRIC = "electric"
FLOOD = "flood"
SEWAGE = "sewage"
LIFT = "lift"
HEATING = "heating"
STRUCTURE = "structure"
OUTDOOR = "outdoor"
HAZARDS = (GAS, FIRE, ELECTRIC, FLOOD, SEWAGE, LIFT, HEATING, STRUCTURE, OUTDOOR)

# No heating is an emergency for a building, an entrance or a riser, not for one flat.
_ORDINAL_RU = r"(?:перв|втор|трет|четв[её]рт|пят|шест|седьм|восьм|девят|десят)\w*"
_SCOPE_RU = (
    r"\b(?:весь|всем|всех|всего|всему|все|целый|целого|целом)\W+(?:\w+\W+){0,2}?"
    r"(?:дом|подъезд|стояк|квартир|сосед|этаж|жил|микрорайон)|\bво всем (?:доме|подъезде)"
    r"|\bу всех\b|\bмногоквартирн|\bни в одной квартир|\bни у кого\b|\bу соседей тоже"
    # a numbered entrance or building is all of it, «в подъезде» alone is the stairwell
    rf"|\bв (?:{_ORDINAL_RU} )?подъезде (?:№ ?|номер |n ?)?0\b|\bв {_ORDINAL_RU} подъезде"
    r"|\bв доме (?:№ ?)?0\b|\bдом (?:№ ?)?0 \w+ (?:нет|без|не)\b"
    # «в доме отключили», «в нашем доме вторые сутки нету»: the building, not one room
    r"|\bв (?:нашем )?доме\W+(?:\w+\W+){0,2}?(?:отключ|нету?\b|отсутств)"
    # a riser is every flat above and below
    r"|\bпо (?:всему |нашему |моему |этому |своему )?стояку\b|\bпо вертикали\b"
)
_NO_HEAT_RU = (
    r"\bнету? отопления\b|\bбез отопления\b|\bотопления нет\b|\bотоплени\w* (?:отсутствует|"
    r"отключ\w*|не работает|пропало)|\bотключ\w* отоплени|\bне работает отоплени|\bне топят\b|"
    r"\bнету? тепла\b|\bбез тепла\b|\bотключили тепло|\bотсутствует (?:тепл|отоплен)|"
    r"\b(?:батаре|радиатор|стояк)\w*\W+(?:\w+\W+){0,4}(?:ледян|холодн|не грею|не грее|остыл)|"
    r"\b(?:ледян|холодн|остыл)\w* (?:\w+ )?(?:батаре|радиатор|стояк)"
)
# a cold radiator on the stairs or a towel rail is not the building's heating
_HEAT_PART_RU = (
    r"(?:батаре|радиатор)\w*\W+(?:\w+\W+){0,1}(?:в подъезде|на лестниц|между этаж)|"
    r"(?:в подъезде|на лестниц\w*|между этажами)\W+(?:\w+\W+){0,2}(?:батаре|радиатор)|"
    r"полотенцесуш"
)
# «пуст» only as a word: «выпустите нас» is people inside asking to get out.
_LIFT_EMPTY_RU = r"\bпуст(?:ой|ая|ое|ые|ую|ом|ым)?\b|никого|нет людей|без людей|без пассажир"
# Someone inside a stopped car says so in the first person, or begs to be let out.
_LIFT_STOPPED_RU = r"встал|останов|застр|не едет|завис|не двига|заклин|не открыва|замер"
# out of the car, not out of the building for those who wait upstairs
_CANNOT_GET_OUT_RU = (
    r"\bне (?:мо\w+|получается) (?:\w+ )?(?:выйти|выбраться)\b"
    r"(?! на улиц| из дома| из квартир| из подъезд)"
)
_IN_LIFT_RU = r"в (?:кабин\w+ |этом |нашем |самом )?лифте\b"
_LIFT_INSIDE_RU = (
    rf"\b(?:я|мы)\W+(?:\w+\W+){{0,3}}?{_IN_LIFT_RU}|{_IN_LIFT_RU}\W+(?:\w+\W+){{0,2}}?(?:я|мы)\b"
)
_LET_OUT_RU = (
    r"(?:выпуст|вытащ|вызвол|освобод|достань|достаньт)\w*\W+(?:\w+\W+){0,2}?"
    r"(?:нас|меня|ребенк\w*|дет\w*|его|ее|их)\b|\bоткройте\W+(?:\w+\W+){0,2}?"
    r"(?:лифт|кабин|двер)\w*\W+(?:\w+\W+){0,4}?(?:нас|мы|меня|я)\b"
)
# a stop told days ago is over
_DAYS_AGO_RU = r"вчера|позавчера|на днях|прошл\w+ (?:недел|месяц|раз)|(?:дн\w*|недел\w*) назад"
# What the wind tears off a roof or a wall, with no tap, hose or pipe named.
_WIND_TORN_RU = (
    r"^(?!.*(?:кран|смесител|шланг|подводк|труб|батаре|радиатор|стояк|вентил|вод)).*"
    r"(?:ветр|ураган|кровл|крыш|\bлист|шифер|козыр|антенн|навес|баннер|вывеск|жест|желез)"
)
# Roofing torn loose that still lies on the roof, with nothing said to threaten anyone below:
# the day's repair until it hangs over people or comes down.
_BELOW_RU = (
    r"над (?:двор|вход|тротуар|детск|площадк|подъезд|дорог|люд|крыльц|парковк|машин)|упад|упаст|"
    r"улет|сорвет|вниз|на люд|на голов|прохож|пада|летят|полетит|свалит|рухн"
)
_STILL_ON_ROOF_RU = (
    rf"^(?!.*(?:{_BELOW_RU})).*(?:болта|висит|свисает|грохоч|гремит|хлопа|стуч|трепыха|"
    r"громыха)\w*\W+(?:\w+\W+){0,3}?на (?:самом |самой )?(?:краю|крыш|кровл)"
)
# A cover taken off a manhole or a well in any words: the hole is open whatever is said of it.
_COVER_GONE_RU = _near(
    r"сня|сдвин|сдвига|сорва|укра|утащ|унес|стащ|спер|пропал|отсутств|убра|откину|"
    r"отодви|смести|смещ|своро|нет\b|без\b",
    r"крышк",
    3,
)
# a piece that came down long ago with nothing falling since
_LONG_AGO_RU = r"давно лежит|новых не|больше не пада|не падал"
# A flood told as the past: days or more ago («час назад» is still under way).
_PAST_RU = (
    r"прошл\w+ (?:месяц|недел|год)|\b(?:дн\w*|день|сутки|суток|недел\w*|месяц\w*|год\w*|лет) назад"
)
# A slow drip, one caught in a basin or one through the roof is the day's repair (the roof
# has a day by the norms) unless it is getting worse or reaches the wiring.
_WORSE_RU = (
    r"сильн|усилива|набрал|не успева|больше и больше|вс[её] больше|ручь|хлещ|залива|ль[её]т|"
    r"льется|беж|раст[её]т|растут|электр|проводк|люстр|светильник"
)
_DRIP_RU = (
    rf"^(?!.*(?:{_WORSE_RU})).*(?:по чуть|чуть-чуть|по капл|по капельк|потихоньку|немного|"
    r"слегка|в таз|в тазик|в ведро|подставил|\bкрыш(?:а|и|е|у|ей)\b|кровл)"
)
# Sewage itself, not a sewer pipe («канализационная труба капает» is a leak).
_SEWAGE_MATTER_RU = (
    r"\bстоки|\bстоков|\bстоками|сточн\w* вод|нечистот|фекал|говн|дерьм|канализаци(?:я|ей|ю)\b"
)
# People feeling the cold: the building's heating told by those who live in it.
_FREEZING_RU = (
    r"мерзн|замерза|в куртках|в шубах|в пуховиках|в верхней одежде|в одежде спим|"
    r"дубак|колотун|холодина|зуб на зуб"
)
# An outage that has lasted: «когда дадут отопление?» is the season's question without it.
_LASTED_RU = (
    r"уже (?:\w+ )?(?:недел|дн|день|дня|сут|месяц)|(?:котор|втор|трет|четверт|пят)\w* "
    r"(?:день|дня|сутки|недел)"
)
# The season's question (unless the heating has been off for days), the season starting next
# door, a radiator on the stairs or a towel rail: not the building's heating gone.
_NOT_THE_HEATING_RU = (
    rf"^(?!.*(?:{_LASTED_RU})).*когда (?:включат|дадут|начн)|отопительн\w* сезон\w* "
    rf"(?:не|еще|ещё)|в соседн\w+ дом\w* (?:уже )?топят|{_HEAT_PART_RU}"
)
# A door or a window left open: the cold of a stairwell, not of the heating.
_LEFT_OPEN_RU = (
    r"двер\w*\W+(?:\w+\W+){0,3}?(?:не закрыва|открыт|нараспашку|настежь|выбит|сломан)|"
    r"(?:не закрыва|открыт)\w* (?:\w+ )?двер|окн\w* (?:\w+ )?(?:открыт|разбит|выбит|без стекла)|"
    r"разбит\w* окн|форточ"
)
# Gutters and downpipes drain the roof down the outside of the building: neither sewage nor
# a flood indoors.
_ROOF_DRAIN_RU = r"водост|ж[её]лоб|снаружи|по фасад|стен\w* дома"
# Wiring and light fittings: water reaching them puts current into the water.
_ELECTRICS_RU = r"электр\w*|проводк\w*|светильник\w*|люстр\w*|розетк\w*|плафон\w*"
# What makes a shout about water a small or an old leak: a fixture, a drip, a long time.
_SMALL_LEAK_RU = (
    r"кран|смесител|бач[её]?к|унитаз|сифон|гофр|труб|батаре|радиатор|крыш|кровл|сч[её]тчик|"
    r"полотенцесуш|балкон|ревизи|соединени|резьб|стык|немного|чуть|капа|недел|месяц|год|давно|"
    r"постоянно"
)

# A burner's flame told by its colour or soot: the gas equipment's fault, not a fire.
_BURNER_FLAME = (
    r"^(?=.*(?:плит|конфорк|горелк|колонк|котл|духовк|stove|hob|burner|cooker|boiler|"
    r"water heater)).*(?:(?:огонь|огон[её]к|пламя|пламени|flame|fire)\W+(?:\w+\W+){0,4}?"
    r"(?:желт|оранжев|красн|копти|коптя|чадит|неровн|слаб|гаснет|тухнет|yellow|orange|smoky|"
    r"sooty|weak|uneven)|(?:желт|оранжев|коптящ|слаб|yellow|orange|smoky|sooty|weak)\w* "
    r"(?:огонь|пламя|flame|fire))"
)

# A smell denied in any words: «запаха газа нет», «не чувствую никакого запаха».
_NO_SMELL_RU = (
    r"запаха\W+(?:\w+\W+){0,2}?(?:нет|не)\b|нет запаха|без запаха|не пахнет|никакого запаха|"
    r"\bне (?:\w+ )?(?:чувству|чую|слыш|ощуща|замеча)\w*\W+(?:\w+\W+)?запах"
)
_NO_SMELL_EN = (
    r"\b(?:do|does|did|ca|could)(?:n'?t| not) (?:\w+ )?smell|\bcannot (?:\w+ )?smell|"
    r"\bnot (?:\w+ )?smell|"
    r"\bno (?:\w+ )?(?:smell|odou?r)|\bwithout (?:a |any )?(?:smell|odou?r)|\bnever smel"
)

_RULES_RU: list[tuple[str, str, str | None]] = [
    (
        GAS,
        _near(_SMELL_RU, _GAS, 3),
        _NO_SMELL_RU,
    ),
    (GAS, r"\bутечк\w* газ|\bгазом (?:пахнет|воняет|несет|тянет)", None),
    (GAS, _near(_GAS, r"утека|утек|травит|сифонит", 2), r"не утека"),
    # sewage first: a flood of it gets the sewage advice
    (
        SEWAGE,
        _near(_SEWAGE_RU, _SEWAGE_FLOW_RU, 3),
        rf"не течет|немного|чуть|подтека|по резьбе|соединени|{_ROOF_DRAIN_RU}",
    ),
    (
        SEWAGE,
        _near(
            r"из унитаза|из ванн|из раковин|из мойки|из слив",
            r"на пол|заливает|ль[её]тся|лезет|хлещ|фонтан|все обратно|нечистот",
            4,
        ),
        None,
    ),
    # sewage running or standing in a basement
    (
        SEWAGE,
        r"^(?=.*подвал).*"
        + _near(
            _SEWAGE_MATTER_RU,
            r"теч|текут|ль[её]т|подн|прибыва|залит|затоп|разлив|плава|вс[её] в\b|"
            r"по колено|по щиколотк|уровень",
            4,
        ),
        r"немного|чуть|лужиц|капа|капл|не теч",
    ),
    (
        FLOOD,
        r"\b(?:топ[ия]т|затапл\w+|заливает|заливают|залил[аио]?|затопил[аио]?|затопило|затопляет|"
        r"потоп)\b",
        rf"\bне топ[ия]т|\bакт\w*\b|после дожд|{_PAST_RU}|ущерб|"
        # «уже топят» is the heating season, not a flood
        r"компенсац|ливнев|двор|уже топ[ия]т|топ[ия]т уже",
    ),
    (
        FLOOD,
        _near(
            r"теч|ль[её]т|лью|лит|капа|хлещ|бежит|сочит|вода",
            r"с потолка|через потолок|через люстру",
            3,
        ),
        _DRIP_RU,
    ),
    # water reaching the wiring or a light fitting
    (
        FLOOD,
        rf"(?:вод|капа|теч|ль[её]т|бежит|попада)\w*\W+(?:\w+\W+){{0,2}}?(?:на|в|по) (?:\w+ )?"
        rf"(?:{_ELECTRICS_RU})",
        None,
    ),
    # a short shout that water is coming, with no small leak named
    (
        FLOOD,
        rf"^(?=.{{0,80}}$)(?=.*(?:срочно|помогите|спасите|скорее|!!))(?!.*(?:{_SMALL_LEAK_RU})).*"
        r"\b(?:теч[её]т|текет|ль[её]т)\b",
        None,
    ),
    (
        FLOOD,
        r"\bпрорв\w*|\bпрорыв\w*|\bлопнул\w*|\bразорвал\w*|\bсорвал\w* (?:кран|смесител|батаре|"
        r"радиатор|подводк)|\bразрыв\w* (?:труб|радиатор|батаре|стояк)",
        None,
    ),
    # torn off: a tap or a hose, not what the wind tears from a roof
    (FLOOD, r"\bсорвало\b", _WIND_TORN_RU),
    (
        FLOOD,
        r"\bхлещ\w*|\bхлынул\w* вод|\bвод\w* хлынул|\bфонтаном\b|\bкипят\w*|"
        r"\bбь[её]т (?:\w+ )?(?:струя|струей|вода|из)|\bвода прибывает",
        r"водосточ|водосток|отмостк",
    ),
    (
        FLOOD,
        r"(?:вод|сток|нечистот|уже|стоит)\w*\W+(?:\w+\W+){0,2}по (?:колено|щиколотк)",
        r"снег|поддон|засор|душев",
    ),
    (
        FLOOD,
        _near(r"протека|капает|капа|теч|ль[её]т", r"потол", 2)
        + r".*(?:сильнее|весь пол|ручь|на пол\b|лужа|не останав)",
        None,
    ),
    (
        FLOOD,
        r"(?:теч|ль[её]т|бежит|сочит)\w*\W+(?:\w+\W+){0,3}(?:от|у) соседей (?:сверху|выше)",
        None,
    ),
    (
        FLOOD,
        r"(?:по стен\w*|по лестниц\w*)\W+(?:\w+\W+){0,2}(?:бежит|течет|льется|сочится) вода",
        _ROOF_DRAIN_RU,
    ),
    (
        FLOOD,
        _near(
            r"теч|ль[её]т|бежит|сочит|хлещ|капает|вода",
            r"из (?:квартиры|хаты) (?:сверху|выше)|с верхн\w+ этаж",
            4,
        ),
        rf"{_PAST_RU}|ущерб|компенсац|\bакт\w*\b|{_DRIP_RU}",
    ),
    # a ceiling sagging under water may come down
    (FLOOD, r"потол\w*\W+(?:\w+\W+){0,2}(?:провис|вздул|прогнул)\w*.*(?:вод|обвал|рухн)", None),
    (
        LIFT,
        _near(
            r"застрял|застряли|застряла|застрявш|заблокирова|заперт|сидим|сижу|выйти не мо|"
            + _CANNOT_GET_OUT_RU,
            r"лифт",
            4,
        ),
        _LIFT_EMPTY_RU,
    ),
    (
        LIFT,
        r"^(?=.*(?:встал|останов|застр|заперт|упал|заклинил|не едет|завис|погас|"
        r"не двига|не открыва|кричит|зовет|плачет|стучит))"
        r".*"
        + _near(
            r"лифт",
            r"внутри|с людьми|люди|человек|пассажир|ребен|дети|детей|мама|папа|мать|отец|"
            r"бабушк|дедушк|сосед|муж|жена|сын|доч|брат|сестр|внук|женщин|мужчин|девочк|"
            r"мальчик|старик|пенсионер|жител|курьер",
            8,
        ),
        _LIFT_EMPTY_RU,
    ),
    # shut in the car in other words: «закрыло в лифте», «в лифте заперли ребёнка»
    (
        LIFT,
        r"^(?=.*лифт).*(?:(?:закрыл|закрыт|заперл|запер|зажал|зажат)\w*\W+(?:\w+\W+){0,2}?"
        r"в (?:кабин\w+ )?лифт|\bв (?:кабин\w+ )?лифте?\W+(?:\w+\W+){0,2}?(?:закрыл|заперл|"
        r"зажал|зажат)|\b(?:он|она|они|мы)\W+(?:там|внутри)\W+(?:\w+\W+)?(?:0|полчаса|час))",
        _LIFT_EMPTY_RU,
    ),
    # the writer inside a stopped car, someone unable to get out of one, a plea to be let out
    (
        LIFT,
        rf"^(?=.*(?:{_LIFT_STOPPED_RU}|{_CANNOT_GET_OUT_RU})).*(?:{_LIFT_INSIDE_RU})",
        rf"{_LIFT_EMPTY_RU}|{_DAYS_AGO_RU}",
    ),
    (
        LIFT,
        rf"^(?=.*лифт)(?=.*(?:{_LIFT_STOPPED_RU})).*(?:{_CANNOT_GET_OUT_RU})",
        rf"{_LIFT_EMPTY_RU}|{_DAYS_AGO_RU}",
    ),
    (LIFT, rf"^(?=.*лифт).*(?:{_LET_OUT_RU})", rf"{_LIFT_EMPTY_RU}|{_DAYS_AGO_RU}"),
    (LIFT, r"\bлифт\w*\W+(?:\w+\W+){0,3}(?:упал|рухнул|с открытыми дверями)", r"стоит"),
    (ELECTRIC, r"\bискр\w*|\bкоротит\b|\bкоротнул\w*", None),
    (FIRE, r"\bзадымл\w*|\bдымит\w*|\bдымится\b|\bзадымил\w*|\bпожар\w*", None),
    (FIRE, r"\bдым\w*\b", r"кур[яи]|курен|сигарет|дымоход|кальян|шашлык|мангал"),
    (
        FIRE,
        r"\bгар(?:ь|и|ью)\b|\bгорел(?:ым|ой|ого|ая|ое)\b|\bпален\w*|\bжжен\w*|\bжжё\w*|\bплавит\w*|"
        r"\bоплавил\w*",
        None,
    ),
    (FIRE, r"\bполыхн\w*|\bвозгоран\w*|\bзагорел\w*", None),
    (FIRE, r"\bогонь\b", _BURNER_FLAME),
    (
        FIRE,
        r"\b(?:\w*щит\w*|проводк\w*|провод\w*|кабел\w*|розетк\w*|мусоропровод\w*|"
        r"контейнер\w*)\W+(?:\w+\W+){0,3}гор(?:ит|ят)\b",
        r"не гор|лампоч|индикатор|диод|огон[её]к|красн|зелен",
    ),
    (
        FIRE,
        r"\bгор(?:ит|ят)\s+(?:\w*щит\w*|проводк\w*|провод\w*|мусор\w*|бак\w*|контейнер\w*|"
        r"подвал\w*|квартир\w*|электр\w*|кабел\w*)",
        None,
    ),
    (
        ELECTRIC,
        r"\bбь[её]т током|\bтоком бь|\bоголенн\w+ провод|\bоборванн\w+ провод|\bпод напряжением\b|"
        r"\bвспышк\w*|\bхлопок\b",
        None,
    ),
    (ELECTRIC, r"(?:щит\w*|проводк\w*)\W+(?:\w+\W+){0,2}(?:трещит|щелкает|гудит и)", None),
    (
        HEATING,
        rf"^(?=.*(?:{_SCOPE_RU})).*(?:{_NO_HEAT_RU})",
        _NOT_THE_HEATING_RU,
    ),
    # people freezing tell the heating only when no door or window is left open
    (
        HEATING,
        rf"^(?=.*(?:{_SCOPE_RU})).*(?:{_FREEZING_RU})",
        rf"{_NOT_THE_HEATING_RU}|{_LEFT_OPEN_RU}",
    ),
    (
        STRUCTURE,
        _near(
            r"пада\w+|упал\w*|упад\w*|обрушил\w*|обрушива\w*|обвал\w*|рухнул\w*|отвалил\w*|"
            r"сыпл\w*|сыпет\w*|летят|летит|сорвало|вал[ия]тся",
            r"фасад|балкон|штукатур|кирпич|плит|козыр|бетон|облицов|шифер|кровл|с крыши|глыб",
            4,
        ),
        rf"отваливается штукатурка|осыпается|{_LONG_AGO_RU}|{_STILL_ON_ROOF_RU}",
    ),
    # roofing torn loose and hanging over where people go (icicles and snow still hanging are
    # the day's work until they fall)
    (
        STRUCTURE,
        r"^(?=.*(?:кровл|крыш|жест|желез|\bлист|шифер|облицов|фасад|карниз)).*(?:вис[ия]т|болта|"
        rf"свиса|нависа)\w*\W+(?:\w+\W+){{0,3}}?(?:{_BELOW_RU})",
        r"сосул|снег|снеж|налед|шапк",
    ),
    (
        STRUCTURE,
        r"\bкуск\w*\W+(?:\w+\W+){0,3}(?:пада|отвал|летят|сыпл|вал[ия]т)|(?:пада|отвал|летят|"
        r"сыпл|вал[ия]т)\w*\W+(?:\w+\W+){0,1}куск",
        _LONG_AGO_RU,
    ),
    (
        STRUCTURE,
        _near(
            r"сосул|глыб\w* льда|глыб\w* снега|наледь|ледян\w+ глыб|снежн\w+ масс",
            r"упал|упала|упали|сорвал\w*|отломил\w*|рухнул\w*|обрушил\w*|пада[ею]т|летят|"
            r"свалил\w*|разбил\w*",
            8,
        ),
        None,
    ),
    (
        OUTDOOR,
        _near(
            r"упал|рухнул|повалил|свалил|сломал\w* (?:ветром|ураганом)|вывернул",
            r"дерев|тополь|тополя|берез|клен|ель|сосн|липа|липу|ясен|ветк\w* огромн|огромн\w* ветк",
            2,
        ),
        None,
    ),
    (
        STRUCTURE,
        r"^(?=.*(?:снег|л[её]д|глыб|налед|сосул)).*(?:сход|съезжа|съех|пада|сыпл|летит|летят|обрушива)"
        r"\w*\W+(?:\w+\W+){0,4}?на (?:вход|людей|прохожих|тротуар|дорожк|крыльц|голов)",
        None,
    ),
    (
        OUTDOOR,
        r"\bдерев\w*\W+(?:\w+\W+){0,3}лежит на провод",
        None,
    ),
    (
        OUTDOOR,
        r"\b(?:люк|колод)\w*\W+(?:\w+\W+){0,2}(?:открыт|без крышки|нет крышки)|\bоткрыт\w* "
        r"(?:канализационн\w* )?(?:люк|колод|яма)|"
        r"\bкрышк\w* (?:люка|колодца)\W+(?:\w+\W+){0,5}?(?:сдвинут|сорван|украл|отсутств)|"
        rf"^(?=.*(?:\bлюк|\bколод)).*{_COVER_GONE_RU}",
        # a hatch to the roof or the loft is no hole in the ground
        r"на крыш|чердак|чердач",
    ),
    # a manhole or well told by the danger itself: somebody could fall in
    (
        OUTDOOR,
        r"^(?=.*(?:\bлюк|\bколод)).*(?:мож\w+|чуть не|того и гляди|запросто|рискует)\W+"
        r"(?:\w+\W+){0,2}?(?:упасть|упад|провалиться|свалиться|угодить|упал|провалил|свалил)",
        r"на крыш|чердак|чердач",
    ),
]

_SCOPE_EN = (
    r"\b(?:whole|entire) (?:\w+ )?(?:building|block|house|entrance|riser|estate)|"
    r"\ball (?:the |our )?(?:building|block|house|entrance)\b|"
    r"\b(?:all|any|every one) of (?:the |our )?(?:flats|apartments)\b|"
    r"\ball (?:the )?(?:flats|apartments|residents|neighbou?rs|floors)\b|"
    r"\bevery (?:flat|apartment|floor)\b|\beveryone\b|\briser\b|\bentrance 0\b|"
    r"\b(?:in|for|of) (?:the|our) (?:building|block|entrance)\b"
)
_NO_HEAT_EN = (
    r"\bno heating\b|\bwithout heating\b|\bno heat\b|"
    r"\bheating (?:has (?:been )?|had |is |was )?(?:completely |totally )?(?:failed|off|out|gone|"
    r"(?:switched|turned|cut|shut) off|"
    r"cold|down|not working)\b|\bheating (?:isn'?t|is not|stopped) working|"
    r"\bradiators? (?:are |is )?(?:ice |freezing |stone )?cold|"
    r"\b(?:whole|entire) (?:heating )?riser (?:is |went |has gone )?(?:ice |stone )?cold|"
    # the heating denied through who has it: «nobody has heating», «we haven't had heat»
    r"\b(?:nobody|no one|no-one|none of (?:us|the \w+|our \w+))\b(?:\W+\w+){0,4}?\W+"
    r"(?:has|have|had|gets?|got)\W+"
    r"(?:any\W+)?(?:heating|heat)\b|\b(?:have|has|do|does|did) ?(?:n'?t|not)\W+(?:\w+\W+)?"
    r"(?:have|had|got|get)\W+(?:any\W+)?(?:heating|heat)\b|"
    r"\bheating (?:(?:does|did|has|is|was) ?(?:n'?t|not)|won'?t|never)\W+(?:\w+\W+)?"
    r"(?:work\w*|c[oa]me on|been on|on)\b|"
    r"\bradiators?\b(?:\W+\w+){1,4}?\W+(?:are|is|went|feel) (?:\w+ )?(?:cold|freezing)"
)
_HEAT_PART_EN = r"(?:radiator|heater)s? (?:on|in) the (?:stairwell|landing|staircase|hallway)"
_NOT_THE_HEATING_EN = (
    rf"when will|go off|turn(?:ed)? off in (?:may|april|spring)|\bone (?:room|radiator)\b|"
    rf"{_HEAT_PART_EN}"
)
# People freezing by their radiators, as the residents of a building say it.
_FREEZING_EN = (
    r"\bfreezing\b|\b(?:very|so|really|terribly|bitterly|unbearably) cold\b|"
    r"\b(?:wear|wearing|sleep|sleeping|sit|sitting) in (?:our |my )?(?:coats|jackets)"
)
_LEFT_OPEN_EN = (
    r"\b(?:door|window)s?\b(?:\W+\w+){0,3}?\W+(?:open|won'?t close|does ?n'?t close|broken)"
)
_DRIP_EN = (
    r"^(?!.*(?:worse|faster|pouring|gushing|streaming|electric|wiring|light fitting)).*"
    r"(?:a little|slightly|slowly|a bit\b|into a (?:bucket|basin|bowl)|\broof\b)"
)
# A hole in the ground without its cover: «open well» after an article or at the start, so
# «the window does not open well» is no well.
_HOLE_EN = r"manholes?|wells?|pits?"
_OPEN_HOLE_EN = (
    r"(?:^|\b(?:an?|the|one|this|that|there'?s|there is)\s)"
    rf"(?:open|uncovered|unfenced|unguarded)\s(?:\w+\s)?(?:{_HOLE_EN})\b|"
    rf"\b(?:{_HOLE_EN})\b(?:\W+\w+){{0,4}}?\W+(?:without|with no|has no) "
    rf"(?:a |its |the |any )?(?:cover|lid)|"
    rf"\b(?:cover|lid) (?:of|on|from) (?:the |a )?(?:{_HOLE_EN})\b"
    r"(?:\W+\w+){0,2}?\W+(?:missing|gone|stolen|off|moved|broken)|"
    # a cover taken off in any words: «someone removed the manhole cover», «the lid is gone»
    rf"^(?=.*\b(?:manholes?|sewer|wells?)\b)(?!.*\bas well\b).*"
    + _near(
        r"remov|taken|\boff|lifted|stole|nicked|missing|gone|moved|shifted|pushed|slid|"
        r"pulled|displaced|dragged",
        r"covers?\b|lids?\b",
        3,
    )
    + r"|"
    # the danger itself: somebody could fall in
    rf"^(?=.*\b(?:{_HOLE_EN})\b)(?!.*\bas well\b).*\b(?:could|can|might|may|will|would|nearly|"
    r"almost|easily)\b(?:\W+\w+)?\W+(?:fall|drop|step)\W+(?:in|into)\b"
)
# Roofing torn loose that still lies on the roof, nothing said to threaten anyone below.
_BELOW_EN = (
    r"\b(?:over|above) the|\bfall|\bfell|\bblow (?:away|off|down)|\bonto\b|\bon (?:people|cars)|"
    r"\bbelow\b|\bpassers|\bdown on"
)
_STILL_ON_ROOF_EN = (
    rf"^(?!.*(?:{_BELOW_EN})).*\b(?:flapping|hanging|rattling|banging|loose|flaps|bangs|rattles)\b"
    r"(?:\W+\w+){0,3}?\W+(?:on|at) (?:the )?(?:roof|edge)"
)
_ROOF_DRAIN_EN = r"gutter|downpipe|drain ?pipe|outside|facade|outer wall"
_LIFT_STOPPED_EN = (
    r"\bstop|\bstuck\b|(?:won'?t|will not|does ?n'?t|does not|is ?n'?t|is not|not) "
    r"(?:move|moving|go|going)\b|"
    r"between floors|jammed|"
    r"doors? (?:won'?t|will not|do ?n'?t|do not|does ?n'?t|does not|not) open|"
    r"(?:can'?t|cannot|can not) (?:get|come) out"
)
_LIFT_INSIDE_EN = (
    r"\b(?:i|im|we|me|us)\b\W+(?:\w+\W+){0,2}?in (?:the |a |this |our )?(?:lift|elevator)\b|"
    r"\b(?:let|get|help) (?:us|me|them|him|her|my \w+) out\b|"
    r"\bopen the (?:lift|elevator)\b(?=.*\b(?:us|we|me|i)\b)"
)
_DAYS_AGO_EN = r"yesterday|last (?:week|night|month|time)|days ago|used to"
_LIFT_EMPTY_EN = (
    r"empty|(?:nobody|no one|no-one) (?:is |was |'s )?(?:inside|in it|in there)|"
    r"without (?:anyone|anybody|people|passengers)"
)

_RULES_EN: list[tuple[str, str, str | None]] = [
    (
        GAS,
        _near(r"smell|stink|odou?r|reek|whiff|smells? like", r"gas\b", 3),
        rf"no gas smell|{_NO_SMELL_EN}",
    ),
    (GAS, r"\bgas (?:leak|is leaking|hissing)|\bleaking gas", None),
    # gas heard rather than smelt
    (
        GAS,
        _near(r"hiss\w*", r"gas\b", 4),
        r"no gas|gas is off|gas (?:was |is )?(?:shut|turned) off|\blit\b|lighting|ignit",
    ),
    (
        FLOOD,
        r"\bflooding\b|\bflooded (?:the )?(?:flat|apartment|basement|bathroom|kitchen)|\bburst\b|"
        r"\bgushing\b|\bspraying\b|\b(?:floor|flat|apartment|basement|bathroom|kitchen|room|"
        r"hallway|stairwell|cellar|corridor)s? (?:is |are |was |got |has been )?(?:completely |"
        r"totally )?flooded",
        r"report|after (?:the )?rain|last (?:month|week|year)|sewage|sewer",
    ),
    (
        FLOOD,
        _near(
            r"water|leak|dripping|pouring|coming|running|seeping|streaming|flowing|gushing",
            r"through (?:my |the |our )?(?:\w+ )?(?:ceiling|light)|"
            r"from (?:the |my |our )?(?:\w+ )?(?:ceiling|lamp|light)|out of (?:the |my )?ceiling|"
            r"into (?:mine|my flat|my apartment|our flat|our apartment)|"
            r"from (?:the )?(?:flat|apartment) above|from upstairs|from above",
            4,
        ),
        rf"stain|patch|after (?:the )?rain|{_DRIP_EN}",
    ),
    (
        FLOOD,
        r"\b(?:water|dripping|leaking|pouring|running)\W+(?:\w+\W+){0,3}?(?:onto|into|on|over) "
        r"(?:the |a |our |my )?(?:electric\w*|wiring|wires|switchboard|fuse box|light fittings?|"
        r"sockets?|chandelier)",
        None,
    ),
    (
        FLOOD,
        r"\bceiling is (?:leaking|sagging|dripping)|\bpouring (?:through|from|down|out)|"
        r"\bwater is pouring|\bfull of water|\bwater (?:keeps|is) rising|"
        r"\b(?:boiling|hot) water (?:is )?(?:shooting|spraying|pouring|everywhere)|"
        r"\b(?:boiling|hot) water\b.{0,25}\b(?:on|onto|all over|over|across) the floor|"
        r"\bwater (?:is )?(?:going |spreading |spilling )?everywhere|"
        r"\b(?:can'?t|cannot|can not) stop the water|"
        r"\bwater\W+(?:\w+\W+){0,2}?(?:running|pouring|streaming|flowing|gushing|coming) down the "
        r"(?:stairs|staircase|steps|walls?)",
        rf"pothole|puddle|smoke|{_DRIP_EN}|{_ROOF_DRAIN_EN}",
    ),
    (
        FLOOD,
        _near(
            r"pipe|radiator|tap|valve|riser|hose|heater|boiler",
            r"exploded|broke off|snapped off|split|blew (?:off|out|up)",
            3,
        ),
        None,
    ),
    (
        SEWAGE,
        _near(
            r"sewage|waste water|sewer water|dirty water",
            r"overflow|flooding|flooded|pouring|gushing|coming (?:up|out)|backing up|"
            r"from the ceiling|dripping from|leaking from the ceiling|leaking through|"
            r"on the floor|everywhere|burst|full of",
            5,
        ),
        # the smell of it rising is no sewage coming out
        rf"(?:smell|stink|odou?r|reek)\w* of (?:sewage|sewer|waste)|{_ROOF_DRAIN_EN}",
    ),
    (
        SEWAGE,
        r"^(?=.*\b(?:rising|deep|knee|ankles?|flowing|running|spreading|pouring)\b).*"
        + _near(r"sewage|sewer water|waste water", r"basement|cellar", 4),
        r"smell|stink|odou?r|reek|a little|puddle",
    ),
    (
        LIFT,
        _near(
            r"stuck|trapped|can'?t get out|cannot get out|locked in|shut in|closed in",
            r"lift|elevator",
            4,
        ),
        _LIFT_EMPTY_EN + r"|button (?:is |got |keeps )?stuck|stuck button|door is stuck|gate|"
        # a lift standing on a floor is not a person inside it
        r"(?:lift|elevator) (?:is |got |has been )?stuck (?:on|at) (?:the )?\w+ floor",
    ),
    (
        LIFT,
        _near(r"lift|elevator", r"people inside|with people|someone inside|passengers|inside", 5),
        _LIFT_EMPTY_EN + r"|\blights?\b|\blamp|\bbulb|\bbutton|\bmirror|\bdirty|\bsmell",
    ),
    (
        LIFT,
        r"^(?=.*(?:stopped|stuck|between floors|won'?t open|fell|dropped))"
        r".*"
        + _near(
            r"lift|elevator",
            r"kids|children|child|son|daughter|mum|mom|mother|dad|father|grandma|grandmother|"
            r"grandpa|grandfather|baby|wife|husband|inside",
            8,
        ),
        # family members who must take the stairs are not inside
        rf"{_LIFT_EMPTY_EN}|stairs|walk(?:ing)? up|climb|carry",
    ),
    # the writer inside a stopped car, or a plea to be let out of it
    (
        LIFT,
        rf"^(?=.*\b(?:lift|elevator)\b)(?=.*(?:{_LIFT_STOPPED_EN})).*(?:{_LIFT_INSIDE_EN})",
        rf"{_LIFT_EMPTY_EN}|{_DAYS_AGO_EN}",
    ),
    (
        LIFT,
        r"\b(?:lift|elevator)\W+(?:\w+\W+){0,3}(?:with (?:the |its )?doors? open|fell|dropped|"
        r"plunged)",
        None,
    ),
    (ELECTRIC, r"\bspark\w*", None),
    (
        FIRE,
        r"\bon fire\b|\bfire\b|\bburning\b|\bsmell of burning|\bmelt(?:ing|ed)\b|"
        r"\bsmouldering|\bblaze|\bburnt (?:smell|plastic)|\bsmells? (?:of )?burnt",
        rf"fire (?:door|exit|safety|alarm test)|{_BURNER_FLAME}",
    ),
    (
        FIRE,
        r"\bsmoke (?:is )?(?:coming|pouring|billowing|from|out)|\bfull of smoke|"
        r"\bsmoking (?:socket|panel|box|outlet|switch)|\bis smoking\b|\bsmoke in the (?:stairwell|"
        r"hallway|entrance|basement)",
        r"people smoke|smoking in the|smoke cigarettes|cigarette",
    ),
    (
        ELECTRIC,
        r"\blive (?:cable|wire)s?|\b(?:exposed|bare) (?:live )?wires?|"
        r"\bdowned (?:power )?(?:wire|line|cable)|\belectric shock",
        None,
    ),
    (HEATING, rf"^(?=.*(?:{_SCOPE_EN})).*(?:{_NO_HEAT_EN})", _NOT_THE_HEATING_EN),
    # people freezing by radiators tell the heating only when no door or window is left open
    (
        HEATING,
        rf"^(?=.*(?:{_SCOPE_EN}))(?=.*\b(?:heating|heat|radiators?)\b).*(?:{_FREEZING_EN})",
        rf"{_NOT_THE_HEATING_EN}|{_LEFT_OPEN_EN}",
    ),
    (
        STRUCTURE,
        _near(
            r"falling|fell|collaps|flying off|came off|dropp",
            r"facade|balcon|plaster|brick|concrete|tiles?|roof sheets?|canopy|slab|cladding",
            4,
        ),
        None,
    ),
    (
        STRUCTURE,
        r"^(?=.*\b(?:snow|ice)\b).*\b(?:sliding|slid|falling|fell|coming|came|dropping)\b"
        r"\W+(?:\w+\W+){0,5}?(?:onto|on) (?:the )?(?:entrance|people|path|pavement|sidewalk|"
        r"porch|heads?)",
        None,
    ),
    (
        STRUCTURE,
        _near(
            r"tore off|torn off|ripped off|blown off|hanging (?:loose|over|off)",
            r"roof sheets?|roofing|sheet metal|cladding|facade|tiles",
            4,
        ),
        _STILL_ON_ROOF_EN,
    ),
    (
        STRUCTURE,
        _near(
            r"icicles?",
            r"\bfell\b|\bfalling\b|\bfalls\b|broke off|came down|dropped|crashed|smashed",
            6,
        ),
        None,
    ),
    (
        OUTDOOR,
        r"\btree (?:has )?(?:fallen|fell|came down|collapsed|toppled|blew down)|"
        r"\bmanhole\b.{0,30}\b(?:missing|no cover|uncovered)|\bcover of (?:the )?manhole|"
        r"\bblew (?:a |the )?tree|\bfallen tree|\b(?:open|"
        r"uncovered) manhole|\bmanhole (?:is )?(?:open|without a cover|uncovered)",
        None,
    ),
    # a hatch to the roof or the loft is no hole in the ground
    (OUTDOOR, _OPEN_HOLE_EN, r"\broof|\bloft|\battic"),
]


def _compile(
    rules: list[tuple[str, str, str | None]],
) -> list[tuple[str, re.Pattern[str], re.Pattern[str] | None]]:
    return [(kind, re.compile(p), re.compile(x) if x else None) for kind, p, x in rules]


_COMPILED = _compile(_RULES_RU + _RULES_EN)


def hazard(normalized_text: str) -> str | None:
    """The kind of hazard (one of :data:`HAZARDS`) an explicit pattern finds in the
    normalised text, or None."""
    for kind, pattern, exclude in _COMPILED:
        if pattern.search(normalized_text) and (
            exclude is None or not exclude.search(normalized_text)
        ):
            return kind
    return None


# A smell of sewage, rubbish or damp, of a slow toilet or sink, or neighbours' cigarette
# smoke, is work for the day; sewage pouring out is an emergency (the rules above say so),
# so the model alone may not make a smell one.
_SMELL = re.compile(r"запах|пахн|воня|вонь|вонищ|смерд|\bдым|smell|stink|odou?r|reek|smoke")
_SMELL_SOURCE = re.compile(
    r"канализ|нечистот|\bсток|фекал|мусор|хлорк|плесен|сырост|моч(?:а|и|ой|ею|у)\b|ссан|кошк|кошач|"
    r"urine|\bpee\b|\bcats?\b|sewage|sewer|drain|rubbish|унитаз|раковин|toilet|\bsinks?\b|"
    r"garbage|\bbins?\b|mou?ld|damp|chlorine|кур[яюие]т|курил|курен|сигарет|табак|cigarette|"
    r"tobacco|smokes\b|people smoke|smoking (?:in|on)\b"
)
_POURING = re.compile(
    r"ль[её]т|хлещ|выливает|заливает|залило|затоп|фонтан|по колено|по щиколотк|с потолка|"
    r"на пол\b|по полу|до порога|overflow|flood|pouring|gushing|backing up|on the floor"
)


def smell_only(normalized_text: str) -> bool:
    """The text names a smell of sewage, rubbish, urine or damp, of a toilet or a sink, or
    cigarette smoke, and nothing pouring out."""
    return bool(
        _SMELL.search(normalized_text)
        and _SMELL_SOURCE.search(normalized_text)
        and not _POURING.search(normalized_text)
    )


# A trace a leak left (a stain, an act for the insurer) with nothing running now.
_TRACE = re.compile(
    r"\bпят(?:н(?:о|а|у|ом|е|ам|ами|ах)|ен)\b|\bразвод(?:ы|ов|ами)\b|след\w* (?:протечк|залив)|"
    r"\bstains?\b|\bwater marks?\b"
)
_RUNNING = re.compile(
    r"(?<!не )(?:теч[её]т|текут|капа|ль[её]т|льется|сочит|хлещ|залива[ею]т|прибыва)|dripping|"
    r"leaking|pouring|running|coming through|getting worse"
)
_DRIP = re.compile(r"капа|теч|протека|drip|leak")
# Sewage seeping out of a yard well runs over the ground, into no one's home.
_YARD_SEEP = re.compile(
    r"^(?=.*(?:колод|(?<!as )\bwell\b|manhole))(?=.*(?:двор|дорог|тротуар|газон|улиц|парковк|"
    r"yard|road|pavement|street|lawn))(?!.*(?:подвал|квартир|подъезд|basement|flat|apartment|entrance))"
    r".*(?:канализ|сток|нечистот|вонюч|sewage|sewer)"
)
_SLOW = re.compile(rf"{_DRIP_RU}|{_DRIP_EN}")
# Someone who slipped and fell on ice: the path wants sand, nothing is coming down.
_SLIPPED = re.compile(
    r"^(?=.*(?:гололед|\bл[её]д|налед|скольз|\bice\b|\bicy\b|slippery))(?!.*(?:сосул|глыб|с крыши|"
    r"icicle|from the roof)).*(?:поскольз|(?:бабушк|дедушк|женщин|мужчин|человек|ребен|сосед|"
    r"пенсионер|люди|кто-то|старик|мама|папа|двое|трое)\w*\W+(?:\w+\W+){0,2}?(?:упал|пада)|"
    r"(?:упал|упала|упали)\W+(?:\w+\W+){0,1}?(?:бабушк|дедушк|женщин|мужчин|человек|ребен|сосед|"
    r"пенсионер)|slipped|\b(?:someone|somebody|people|woman|man|neighbou?r|child|kid|grandma|"
    r"grandmother|she|he)\b(?:\W+\w+)?\W+(?:fell|falls|has fallen))"
)
# Snow or ice come down onto a balcony or a canopy, with no path or people below named.
_SNOW_ON_BALCONY = (
    r"^(?=.*(?:снег|снеж|налед|\bл[её]д|глыб|\bsnow|\bice\b))(?!.*(?:людей|прохож|тротуар|"
    r"дорожк|вход|крыльц|детск|голов|машин|people|path|pavement|sidewalk|entrance|porch|heads?\b|"
    r"\bcars?\b|child|kids|playground|passers)).*(?:\b(?:на|в) (?:\w+ )?(?:балкон|лоджи|козыр)|"
    r"\b(?:onto|on|into) (?:the |a |my |our )?(?:\w+ )?(?:balcon|loggia|canopy|awning))"
)
# A part decaying in place, told by its cracks or bare rebar, with nothing said to come off.
_DECAY = (
    r"^(?=.*(?:балкон|плит|бетон|козыр|фасад|стен|кирпич|карниз|парапет|перекрыт|balcon|concrete|"
    r"slab|canopy|facade|wall|brick|ledge|parapet))"
    # no water or sewage named
    r"(?!.*(?:вод|теч|ль[её]т|льют|труб|канализ|унитаз|фекал|water|leak|pipe|pour|sewage|toilet))"
    # nothing coming off
    r"(?!.*(?:пада|упал|упад|отвал|летят|летит|сыпл|осыпаю|обруш|обвал|рухн|куск|фрагмент|"
    r"обломк|на голов|на люд|прохож|fall|fell|piece|chunk|dropp|collaps|came off|coming off|"
    r"broke off|breaking off|onto|on people|passers))"
    r".*(?:крош|трещин|арматур|разруша|ржав|crumbl|crack|rebar|rust|spalling|deteriorat)"
)
_CALM_LOOK_ALIKES = re.compile(
    rf"{_STILL_ON_ROOF_RU}|{_STILL_ON_ROOF_EN}|{_BURNER_FLAME}|{_SNOW_ON_BALCONY}|{_DECAY}"
)


def calm_look_alike(normalized_text: str) -> bool:
    """The text names what looks like an emergency but is the day's work, so the model alone
    may not raise it: a smell with nothing pouring out, the trace of an old leak, a slow
    drip or one caught in a basin that is not getting worse, sewage seeping from a yard
    well, someone who slipped on ice, roofing torn loose that still lies on the roof, a
    burner's flame told by its colour or soot, snow come down onto a balcony or a canopy with
    nobody below, or a part crumbling or cracked in place with nothing coming off."""
    text = normalized_text
    return (
        smell_only(text)
        or bool(_TRACE.search(text) and not _RUNNING.search(text))
        or bool(_DRIP.search(text) and _SLOW.search(text))
        or bool(_YARD_SEEP.search(text))
        or bool(_SLIPPED.search(text))
        or bool(_CALM_LOOK_ALIKES.search(text))
    )


# Keyword baseline: the first category whose stems occur most often wins.
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "water": ("вод", "кран", "напор", "стояк", "water", "tap", "pipe", "pressure", "leak"),
    "sewerage": ("канализ", "засор", "унитаз", "слив", "sewage", "toilet", "drain", "sewer"),
    "heating": ("отоплен", "батаре", "радиатор", "холодно", "heating", "radiator"),
    "electricity": (
        "свет",
        "ламп",
        "электр",
        "щит",
        "розетк",
        "искр",
        "light",
        "power",
        "spark",
        "bulb",
    ),
    "elevator": ("лифт", "lift", "elevator"),
    "doors_intercom": (
        "домофон",
        "двер",
        "замок",
        "ключ",
        "шлагбаум",
        "ворот",
        "intercom",
        "door",
        "gate",
        "key",
    ),
    "cleaning": ("уборк", "убира", "грязн", "мыть", "моют", "clean", "dirty", "mop"),
    "waste": ("мусор", "бак", "контейнер", "garbage", "rubbish", "bin", "trash", "chute"),
    "territory": (
        "снег",
        "двор",
        "площадк",
        "гололед",
        "асфальт",
        "парков",
        "snow",
        "yard",
        "playground",
        "ice",
    ),
    "roof_facade": (
        "крыш",
        "кровл",
        "фасад",
        "сосул",
        "балкон",
        "окн",
        "roof",
        "facade",
        "icicle",
        "window",
    ),
    "gas": ("газ", "плит", "gas", "stove"),
    "pests": (
        "крыс",
        "таракан",
        "клоп",
        "мыш",
        "дезинс",
        "rat",
        "cockroach",
        "bedbug",
        "mice",
        "pest",
    ),
    "billing": (
        "квитанц",
        "оплат",
        "счет",
        "перерасч",
        "показани",
        "долг",
        "bill",
        "pay",
        "meter",
        "debt",
    ),
}


def keyword_baseline(normalized_text: str) -> str:
    """Category by counting keyword stems; ``other`` when nothing matches."""
    best, best_hits = "other", 0
    for category, stems in _KEYWORDS.items():
        hits = sum(normalized_text.count(stem) for stem in stems)
        if hits > best_hits:
            best, best_hits = category, hits
    return best
