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

_HAZARDS_RU = [
    # gas smell / leak
    rf"(?<!не )\b(?:пахн\w*|запах\w*|воня\w*|несет|тянет|чу[вея]\w*|утечк\w*|шипит)\W+{_W}{{0,3}}газ(?!он)",
    rf"\bгаз\w*\W+{_W}{{0,2}}(?<!не )(?:пахн|запах|воня|утечк|шипит|травит)",
    # flooding, leaks from above, burst pipes
    r"(?<!двор )\b(?:топ[ия]т|затапл\w+|заливает|заливают|затопил[аио]?|затопило|потоп)\b(?!.*\bакт)",
    rf"\b(?:теч\w*|льет|лье?тся|лью\w*|капает|хлещ\w*|бежит|сочится)\W+{_W}{{0,2}}с потолка",
    rf"\bс потолка\W+{_W}{{0,2}}(?:теч|лье|лью|лит|капа|хлещ|бежит|сочит)",
    r"\bпрорв\w*|\bпрорыв\w*|\bлопнул\w*|\bсорвало\b|\bхлещ\w*|\bфонтаном\b|\bкипяток\b",
    # lift
    r"\b(?:лифт\w*)\b(?:\W+\w+){0,6}\W+(?:внутри|люди|с людьми|выйти не мо|не можем выйти|не могут выйти)",
    r"\bзастрял\w*(?:\W+\w+){0,3}\W+(?:в\s+)?лифт|\bлифт\w*(?:\W+\w+){0,3}\W+застрял(?!.*пуст)|\bзастряли\b|\bзастряла\b|\bзаперт\w* в лифте|\bв лифте заперт\w*|\bне могут выйти из лифта|\bлюди внутри",
    # electrics, smoke, fire
    r"\bискр\w*|\bкоротит\b|\bдымит\w*|\bдымится\b|\bзадымл\w*|\bпожар\w*|\bгарь\w*|\bгари\b",
    r"\bгорел(?:ым|ой|ого|ая|ое)\b|\bжжен\w*|\bплавит\w*|\bвалит дым|\bдым в\b|\bв дыму\b",
    r"\bгор(?:ит|ят)\s+(?:\w*щит\w*|проводк\w*|мусор\w*|бак\w*|подвал\w*)|\bгорит электр",
    r"\bбьет током|\bоголенн\w+ провод|\bоборванн\w+ провод|\bпод напряжением\b",
    r"\bзадымил\w*|\bоплавил\w*|\bполыхн\w*|\bвозгоран\w*|\bзагорел\w*|\bогонь\b",
    r"\b(?:весь|всем|целый|во всем)\s+(?:подъезд|дом)\w*\W+(?:\w+\W+){0,2}(?:без света|обесточ|отключ\w* (?:свет|электр))",
    r"\b(?:отключил\w*|пропал\w*|нет)\s+(?:свет\w*|электричеств\w*)\s+(?:во всем|в целом|на весь|по всему)\s+(?:дом|подъезд)",
    r"\bвсе?м?\s+(?:доме|подъезде)\s+(?:отключил\w*|пропал\w*|нет)\s+(?:свет|электр)",
    r"\b(?:нет|отключили)\s+(?:света|электричества)\s+(?:во всем|в целом|на весь)\s+(?:доме|подъезде)",
    # heating season
    r"\bвесь дом без электричеств|\bбез света весь (?:дом|подъезд)|\bдом обесточ|\bподъезд обесточ",
    r"\bнет отопления\b|\bбез отопления\b|\bотопления нет\b|\bбатаре\w* ледян\w*",
    # structures
    r"\b(?:пада\w+|упал\w*|обрушил\w*|обрушива\w*|обвал\w*|рухнул\w*)\W+(?:\w+\W+){0,4}"
    r"(?:фасад|балкон|штукатур|кирпич|плит|козыр)",
    r"(?:фасад|балкон|штукатур|кирпич|плит|козыр)\w*\W+(?:\w+\W+){0,4}"
    r"(?:пада\w+|упал\w*|обрушил\w*|обрушива\w*|обвал\w*|рухнул\w*)",
    r"\bсосул\w+\W+(?:\w+\W+){0,5}над\s+(?:вход|двер|подъезд|крыльц|козыр|головой)",
]

_HAZARDS_EN = [
    r"\b(?:smell\w*|stink\w*|odou?r|reek\w*)\s+(?:\w+\s+){0,2}gas\b",
    r"\bgas\s+(?:smell|leak|odou?r|is leaking|hissing)",
    r"\bflooding\b|\bflooded (?:flat|apartment|basement)|\bburst\b|\bgushing\b|\bpouring (?:through|from|down)",
    r"\b(?:leak\w*|dripping|pouring|coming|running)\s+(?:\w+\s+){0,2}(?:from|through) (?:the |my |our )?"
    r"(?:ceiling|upstairs|flat above|above)",
    r"\b(?:stuck|trapped)\b(?:\s+\w+){0,4}\s+(?:lift|elevator)|\b(?:lift|elevator)\b(?:\s+\w+){0,3}\s+(?:stuck|trapped)",
    r"\bspark\w*|\bon fire\b|\bfire\b|\bburning smell|\bsmell of burning|\bsmoking socket|\bmelting\b",
    r"\bsmoke (?:is )?(?:coming|pouring|billowing|from)|\bfull of smoke|\bsocket is smoking",
    r"\b(?:whole|entire) (?:building|entrance|block|house)\b(?:\s+\w+){0,3}\s+(?:has )?(?:no power|without power|blackout)",
    r"\bpower (?:is )?out in the (?:whole|entire)|\bno power in the (?:whole|entire)",
    r"\bno heating\b|\bwithout heating\b|\bradiators are (?:ice|freezing) cold",
    r"\b(?:falling|fell|collaps\w*)\b(?:\s+\w+){0,4}\s+(?:facade|balcony|plaster|brick|canopy)",
    r"\b(?:facade|balcony|plaster|brick|canopy)\b(?:\s+\w+){0,4}\s+(?:falling|fell|collaps\w*)",
    r"\bicicles?\b(?:\s+\w+){0,5}\s+(?:over|above) (?:the )?(?:entrance|door|doorway|porch)",
    r"\blive wires?\b|\bexposed wires?\b|\bdowned wire",
]

_HAZARD_RE = re.compile("|".join(f"(?:{p})" for p in _HAZARDS_RU + _HAZARDS_EN))


def hazard(normalized_text: str) -> bool:
    """True when an explicit hazard pattern matches the normalised text."""
    return _HAZARD_RE.search(normalized_text) is not None


# Keyword baseline: the first category whose stems occur most often wins.
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "water": ("вод", "кран", "напор", "стояк", "water", "tap", "pipe", "pressure", "leak"),
    "sewerage": ("канализ", "засор", "унитаз", "слив", "sewage", "toilet", "drain", "sewer"),
    "heating": ("отоплен", "батаре", "радиатор", "холодно", "heating", "radiator"),
    "electricity": ("свет", "ламп", "электр", "щит", "розетк", "искр", "light", "power", "spark", "bulb"),
    "elevator": ("лифт", "lift", "elevator"),
    "doors_intercom": ("домофон", "двер", "замок", "ключ", "шлагбаум", "ворот", "intercom", "door", "gate", "key"),
    "cleaning": ("уборк", "убира", "грязн", "мыть", "моют", "clean", "dirty", "mop"),
    "waste": ("мусор", "бак", "контейнер", "garbage", "rubbish", "bin", "trash", "chute"),
    "territory": ("снег", "двор", "площадк", "гололед", "асфальт", "парков", "snow", "yard", "playground", "ice"),
    "roof_facade": ("крыш", "кровл", "фасад", "сосул", "балкон", "окн", "roof", "facade", "icicle", "window"),
    "gas": ("газ", "плит", "gas", "stove"),
    "pests": ("крыс", "таракан", "клоп", "мыш", "дезинс", "rat", "cockroach", "bedbug", "mice", "pest"),
    "billing": ("квитанц", "оплат", "счет", "перерасч", "показани", "долг", "bill", "pay", "meter", "debt"),
}


def keyword_baseline(normalized_text: str) -> str:
    """Category by counting keyword stems; ``other`` when nothing matches."""
    best, best_hits = "other", 0
    for category, stems in _KEYWORDS.items():
        hits = sum(normalized_text.count(stem) for stem in stems)
        if hits > best_hits:
            best, best_hits = category, hits
    return best
