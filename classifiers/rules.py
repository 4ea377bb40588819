"""Explicit hazard rules and a keyword baseline.

The hazard rules run on normalised text (see :func:`classifiers.text.normalize`)
and flag emergencies that must never be missed whatever the model says:
gas smell, flooding from above, burst pipes, people stuck in a lift, sparking,
smoke or fire, a whole building without power, no heating, falling facade parts,
icicles over a doorway.  They are deliberately specific; the statistical model
covers the long tail.
"""

from __future__ import annotations

import re

_W = r"(?:\w+\W+)"  # one word and the separator after it
_NEAR = r"(?:\W+\w+){0,%d}\W+"  # up to N words in between


def _near(a: str, b: str, n: int = 4) -> str:
    """``a`` followed by ``b`` within ``n`` words, either order."""
    gap = _NEAR % n
    return rf"(?:(?:{a})\w*{gap}(?:{b})|(?:{b})\w*{gap}(?:{a}))"


_GAS = r"газ(?!он|ет|ел|ирован)"
_SMELL_RU = r"(?<!не )\b(?:пахн|запах|воня|вонищ|несет|несёт|тянет|чу[вея]|утечк|шипит|травит)"
_SEWAGE_RU = r"канализ|нечистот|фекал|стоки|стоками|говн|г\*+"
_SEWAGE_FLOW_RU = (
    r"\bль[её]т|\bлью|\bлит|хлещ|выливает|выходит|заливает|залило|затаплив|затопил|"
    r"фонтан|поднимает|лезет|по колено|по щиколотку|с потолка|текут по|через ванн"
)
_POWER_RU = (
    r"без света|нет света|света нет|обесточ|без электричеств|нет электричеств|пропал\w* свет|"
    r"отключил\w* свет|свет пропал|свет отключ|электричество отключ|отключилось электричество"
)
_WHOLE_RU = (
    r"весь дом|весь подъезд|во всем доме|во всем подъезде|всем подъезде|весь стояк|целый дом|"
    r"целый подъезд|всего дома"
)

_RULES_RU: list[tuple[str, str | None]] = [
    # gas smell / leak
    (_near(_SMELL_RU, _GAS, 3), None),
    (r"\bутечк\w* газ|\bгазом (?:пахнет|воняет|несет|тянет)", None),
    (_near(_GAS, r"утека|утек|травит|сифонит", 2), r"не утека"),
    # flooding from above, burst pipes, boiling water
    (
        r"\b(?:топ[ия]т|затапл\w+|заливает|заливают|залил[аио]?|затопил[аио]?|затопило|затопляет|"
        r"потоп)\b",
        r"\bакт\w*\b|после дожд|прошл\w+ (?:месяц|недел|год)|назад|ущерб|компенсац|ливнев|двор",
    ),
    (
        _near(
            r"теч|ль[её]т|лью|лит|капа|хлещ|бежит|сочит|вода",
            r"с потолка|через потолок|через люстру",
            3,
        ),
        None,
    ),
    (
        r"\bпрорв\w*|\bпрорыв\w*|\bлопнул\w*|\bразорвал\w*|\bсорвал\w* (?:кран|смесител|батаре|"
        r"радиатор|подводк)|\bсорвало\b",
        None,
    ),
    (
        r"\bхлещ\w*|\bфонтаном\b|\bкипят\w*|\bбь[её]т (?:струя|струей|вода|из)|\bвода прибывает",
        None,
    ),
    (r"(?:вод|сток|нечистот|уже|стоит)\w*\W+(?:\w+\W+){0,2}по (?:колено|щиколотк)", r"снег"),
    (
        _near(r"протека|капает|капа|теч|ль[её]т", r"потол", 2)
        + r".*(?:сильнее|весь пол|ручь|на пол\b|лужа|не останав)",
        None,
    ),
    (r"(?:теч|ль[её]т|бежит|сочит)\w*\W+(?:\w+\W+){0,3}(?:от|у) соседей (?:сверху|выше)", None),
    (r"(?:по стен\w*|по лестниц\w*)\W+(?:\w+\W+){0,2}(?:бежит|течет|льется|сочится) вода", None),
    # sewage overflowing
    (_near(_SEWAGE_RU, _SEWAGE_FLOW_RU, 3), r"не течет|немного|чуть|подтека|по резьбе|соединени"),
    (
        _near(
            r"из унитаза|из ванн|из раковин|из мойки|из слив",
            r"на пол|заливает|ль[её]тся|лезет|хлещ|фонтан|все обратно",
            4,
        ),
        None,
    ),
    # lift with people inside
    (
        _near(
            r"застрял|застряли|застряла|застрявш|заблокирова|заперт|сидим|сижу|не мо\w+ выйти|"
            r"выйти не мо",
            r"лифт",
            4,
        ),
        r"пуст",
    ),
    (
        r"^(?=.*(?:встал|останов|застр|не мо\w+ выйти|выйти не|заперт|упал|заклинил))"
        r".*" + _near(r"лифт", r"внутри|с людьми|люди|пассажир|ребен|дети|мама|бабушк|дедушк", 5),
        r"пуст",
    ),
    (r"\bлифт\w*\W+(?:\w+\W+){0,3}(?:упал|рухнул|с открытыми дверями)", r"стоит"),
    # electrics, smoke, fire
    (
        r"\bискр\w*|\bкоротит\b|\bкоротнул\w*|\bзадымл\w*|\bдымит\w*|\bдымится\b|\bзадымил\w*|"
        r"\bпожар\w*",
        None,
    ),
    (r"\bдым\w*\b", r"кур[яи]|курен|сигарет|дымоход|кальян|шашлык|мангал"),
    (
        r"\bгар(?:ь|и|ью)\b|\bгорел(?:ым|ой|ого|ая|ое)\b|\bпален\w*|\bжжен\w*|\bжжё\w*|\bплавит\w*|"
        r"\bоплавил\w*",
        None,
    ),
    (r"\bполыхн\w*|\bвозгоран\w*|\bзагорел\w*|\bогонь\b", None),
    (
        r"\bгор(?:ит|ят)\s+(?:\w*щит\w*|проводк\w*|провод\w*|мусор\w*|бак\w*|контейнер\w*|"
        r"подвал\w*|квартир\w*|электр\w*|кабел\w*)",
        None,
    ),
    (
        r"\bбь[её]т током|\bтоком бь|\bоголенн\w+ провод|\bоборванн\w+ провод|\bпод напряжением\b|"
        r"\bвспышк\w*|\bхлопок\b",
        None,
    ),
    (r"(?:щит\w*|проводк\w*)\W+(?:\w+\W+){0,2}(?:трещит|щелкает|гудит и)", None),
    (_near(_WHOLE_RU, _POWER_RU, 4), None),
    # heating season
    (
        r"\bнет отопления\b|\bбез отопления\b|\bотопления нет\b|\bотопление отсутствует|"
        r"\bне топят\b|\bнет тепла\b|\bотключили тепло",
        r"когда (?:включат|дадут|начн)",
    ),
    (
        r"\bбатаре\w*\W+(?:\w+\W+){0,2}ледян\w*|\bледян\w+ батаре",
        r"только|снизу|сверху|наверху|внизу|в подъезде|на лестниц",
    ),
    (
        r"^(?=.*(?:включили|дали|начался|начали|идет) (?:отоплен|отопительн))"
        r".*" + _near(r"батаре|радиатор", r"холодн|ледян|не греют|не греет", 3),
        r"в подъезде|на лестниц|полотенцесуш|наверху|внизу|угловой|в одной",
    ),
    (
        r"^(?=.*(?:мороз|минус|лютый|мерзн|замерза|младен|\bзима|в январе|в декабре|в феврале))"
        r".*" + _near(r"батаре|радиатор|отоплен", r"холодн|не греют|не греет", 4),
        r"в подъезде|на лестниц|полотенцесуш|наверху|внизу|угловой",
    ),
    # structures
    (
        _near(
            r"пада\w+|упал\w*|обрушил\w*|обрушива\w*|обвал\w*|рухнул\w*|отвалил\w*|сыплется|"
            r"сыпется|летят|летит|сорвало",
            r"фасад|балкон|штукатур|кирпич|плит|козыр|бетон|облицов|шифер|кровл|с крыши|глыб",
            4,
        ),
        r"отваливается штукатурка|осыпается",
    ),
    (
        r"\bкуск\w*\W+(?:\w+\W+){0,3}(?:пада|отвал|летят|сыпл)|(?:пада|отвал|летят|"
        r"сыпл)\w*\W+(?:\w+\W+){0,1}куск",
        None,
    ),
    (
        _near(
            r"сосул|глыб\w* льда|глыб\w* снега|наледь|ледян\w+ глыб",
            r"над (?:вход|двер|подъезд|крыльц|козыр|голов|тротуар|людьми|дорожк)|упадут|"
            r"могут упасть|убить|убьет|пришибет",
            6,
        ),
        None,
    ),
    (
        _near(
            r"упал|рухнул|повалил|свалил|сломал\w* (?:ветром|ураганом)|вывернул",
            r"дерев|тополь|тополя|берез|клен|ель|сосн|липа|липу|ясен|ветк\w* огромн|огромн\w* ветк",
            2,
        ),
        None,
    ),
    (
        r"\bлюк\w*\W+(?:\w+\W+){0,2}(?:открыт|без крышки)|\bоткрыт\w* (?:канализационн\w* )?(?:люк|"
        r"колод)|\bколод\w* без крышки",
        None,
    ),
]

_RULES_EN: list[tuple[str, str | None]] = [
    (_near(r"smell|stink|odou?r|reek|whiff|smells? like", r"gas\b", 3), r"no gas smell|not smell"),
    (r"\bgas (?:leak|is leaking|hissing)|\bleaking gas", None),
    (
        r"\bflooding\b|\bflooded (?:the )?(?:flat|apartment|basement|bathroom|kitchen)|\bburst\b|"
        r"\bgushing\b|\bspraying\b",
        r"report|after (?:the )?rain|last (?:month|week|year)",
    ),
    (
        _near(
            r"water|leak|dripping|pouring|coming|running|seeping|streaming|flowing|gushing",
            r"through (?:my |the |our )?(?:ceiling|light)|from (?:the |my )?ceiling|"
            r"out of (?:the |my )?ceiling|"
            r"from (?:the )?(?:flat|apartment) above|from upstairs",
            4,
        ),
        r"stain|patch|after (?:the )?rain|roof",
    ),
    (
        r"\bceiling is (?:leaking|sagging|dripping)|\bpouring (?:through|from|down|out)|"
        r"\bwater is pouring",
        None,
    ),
    (
        _near(
            r"sewage|waste water|sewer water|dirty water",
            r"overflow|flooding|pouring|gushing|coming (?:up|out)|backing up|from the ceiling|"
            r"dripping from|leaking from the ceiling",
            5,
        ),
        None,
    ),
    (
        _near(r"stuck|trapped|can'?t get out|cannot get out", r"lift|elevator", 4),
        r"empty|button|door is stuck|gate",
    ),
    (_near(r"lift|elevator", r"people inside|with people|someone inside|passengers", 5), None),
    (
        r"\bspark\w*|\bon fire\b|\bfire\b|\bburning\b|\bsmell of burning|\bmelt(?:ing|ed)\b|"
        r"\bsmouldering|\bblaze",
        r"fire (?:door|exit|safety|alarm test)",
    ),
    (
        r"\bsmoke (?:is )?(?:coming|pouring|billowing|from|out)|\bfull of smoke|"
        r"\bsmoking (?:socket|panel|box|outlet|switch)|\bis smoking\b|\bsmoke in the (?:stairwell|"
        r"hallway|entrance|basement)",
        r"people smoke|smoking in the|smoke cigarettes|cigarette",
    ),
    (
        r"\blive (?:cable|wire)s?|\bexposed (?:live )?wires?|\bdowned (?:power )?(?:wire|line|"
        r"cable)|\belectric shock",
        None,
    ),
    (
        _near(
            r"whole|entire",
            r"no power|without power|blackout|lost power|power (?:is )?out|no electricity|"
            r"without electricity",
            4,
        ),
        None,
    ),
    (
        r"\bno heating\b|\bwithout heating\b|\bno heat\b|\bheating (?:is )?(?:completely |"
        r"totally )?(?:off|out|gone)\b",
        r"when will|go off|turn(?:ed)? off in (?:may|april|spring)",
    ),
    (r"\bradiators? (?:are |is )?(?:ice|freezing|stone) cold", None),
    (
        _near(
            r"falling|fell|collaps|crumbling|flying off|came off|dropp",
            r"facade|balcon|plaster|brick|concrete|tiles?|roof sheets?|canopy|slab",
            4,
        ),
        None,
    ),
    (
        _near(
            r"icicles?",
            r"over (?:the )?(?:entrance|door|doorway|porch|people|path)|above (?:the )?(?:entrance|"
            r"door|doorway|porch|people|path)|could fall|could kill|get killed",
            6,
        ),
        None,
    ),
    (
        r"\btree (?:has )?(?:fallen|fell|came down|collapsed|toppled|blew down)|"
        r"\bblew (?:a |the )?tree|\bfallen tree|\b(?:open|"
        r"uncovered) manhole|\bmanhole (?:is )?(?:open|without a cover|uncovered)",
        None,
    ),
]

_DOOR_WINTER = (
    re.compile(r"двер|замок|\bdoor|\block\b"),
    re.compile(r"мороз|минус|\bзим|\bfrost|\bfreezing|\bwinter|\bminus|below zero"),
    re.compile(
        r"открыт|нараспашку|настежь|не закрывается|выломан|сорван|сломан|\bopen\b|smashed|broken|"
        r"won'?t (?:close|shut)|ripped"
    ),
)
_NOT_DOOR = re.compile(r"шлагбаум|ворот|калитк|лифт|barrier|gate|lift|elevator|балкон|окн|window")


def _compile(
    rules: list[tuple[str, str | None]],
) -> list[tuple[re.Pattern[str], re.Pattern[str] | None]]:
    return [(re.compile(p), re.compile(x) if x else None) for p, x in rules]


_COMPILED = _compile(_RULES_RU + _RULES_EN)


def hazard(normalized_text: str) -> bool:
    """True when an explicit hazard pattern matches the normalised text."""
    t = normalized_text
    for pattern, exclude in _COMPILED:
        if pattern.search(t) and (exclude is None or not exclude.search(t)):
            return True
    return all(p.search(t) for p in _DOOR_WINTER) and not _NOT_DOOR.search(t)


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
