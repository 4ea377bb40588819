"""What the resident wrote -> which row of the norms table applies.

The category and the classifier's emergency flag say too little for the law:
ПП РФ №416 п.13 gives a blocked sewer 2 hours but a leaking tap falls under
Госстрой №170 прил. 2 (1 day), and ПП РФ №354 прил. 1 limits «нет горячей воды»
to 4 hours.  The rules below name the *problem* (a row of ``data/norms.csv``)
and the urgency the norm implies, from the category and a few words.  They run
in order; the first that matches wins, so the accident words come before the
outages they can mention («прорвало трубу, нет горячей воды» is an accident).

A rule with an empty problem sends the request to the generic row of its
category and urgency (the accident rows of ПП 416 п.13).  Nothing matching:
the classifier's urgency stands and the generic rows apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from core.model import Category, Urgency

#: A gas smell is the gas company's emergency service's to handle (ПП РФ №410),
#: not the УК's under ПП РФ №416: the request records the hand-over.
GAS_SMELL = "gas_smell"
GAS_SERVICE = "104"

#: Calendar months counted as «зимнее время» of Госстрой №170 прил. 2 (the
#: heating period in most of Russia: October to April).
WINTER_MONTHS = frozenset({10, 11, 12, 1, 2, 3, 4})

_ENGINEERING = frozenset({Category.WATER, Category.SEWERAGE, Category.HEATING})
_COMMON_PARTS = frozenset(
    {
        Category.ROOF_FACADE,
        Category.DOORS_INTERCOM,
        Category.CLEANING,
        Category.TERRITORY,
        Category.OTHER,
        Category.HEATING,
    }
)


@dataclass(frozen=True, slots=True)
class Rule:
    problem: str
    urgency: Urgency
    categories: frozenset[Category]
    pattern: re.Pattern[str]
    #: Words that take the rule back («лифт застрял, внутри никого» is no one stuck).
    unless: re.Pattern[str] | None = None
    #: An emergency the dialogue already found stands: the rule's row is for the milder
    #: problem of the same words (one flat's heating, not a building's).
    yields_to_emergency: bool = False

    def matches(self, category: Category, words: str) -> bool:
        return (
            category in self.categories
            and self.pattern.search(words) is not None
            and (self.unless is None or self.unless.search(words) is None)
        )


def _near(a: str, b: str, words: int = 5) -> str:
    """``a`` and ``b`` within ``words`` words of each other, in either order."""
    gap = rf"(?:\W+\w+){{0,{words}}}?\W+"
    return rf"(?:(?:{a})\w*{gap}\w*(?:{b})|(?:{b})\w*{gap}\w*(?:{a}))"


def _rule(
    problem: str,
    urgency: Urgency,
    categories: frozenset[Category],
    pattern: str,
    unless: str = "",
    *,
    yields_to_emergency: bool = False,
) -> Rule:
    return Rule(
        problem,
        urgency,
        categories,
        re.compile(pattern),
        re.compile(unless) if unless else None,
        yields_to_emergency,
    )


_BURST = (
    r"прорв|прорыв|лопну|разорвал|сорвал\w* (?:кран|вентил|подводк|батаре|радиатор)|хлещ|фонтан|"
    r"кипят|затоп|заливает|залило|\bтопит|\bпотоп|по колено|по щиколотк"
)
_SPARKS = r"искр|коротит|коротн|дым|горит щит|горит проводк|запах гар|гарью|плавит|бь[её]т током"
_NO = r"\b(?:нет|отключ|не ид[её]т|пропал|без|не подают|не дают|отсутств|ни капли)"
_STAIRS = r"подъезд|лестниц|площадк|этаж|тамбур|холл|коридор|подвал|чердак|над входом|крыльц"
_LIGHT = r"свет|ламп|освещ|светильн|фонар|плафон"
_DARK = r"не гор|нет|перегор|темно|темен|темн|не работа|не включа|погас|мигает|разбит|поменя|"
_DARK += r"замени|вкрут|почин"
_WHOLE = r"(?:весь|всем|целый|всего|во всем) (?:дом|подъезд|стояк)"
# Someone inside a stopped car in their own words (the classifier's hazard rules read the same).
_LIFT_STOPPED = r"встал|останов|застр|не едет|завис|не двига|заклин|не открыва|замер"
_CANNOT_GET_OUT = (
    r"\bне (?:мо\w+|получается) (?:\w+ )?(?:выйти|выбраться)\b"
    r"(?! на улиц| из дома| из квартир| из подъезд)"
)
_IN_LIFT = r"в (?:кабин\w+ |этом |нашем |самом )?лифте\b"
_LIFT_STOPPED_EN = (
    r"\bstop|\bstuck\b|(?:won'?t|will not|does ?n'?t|does not|is ?n'?t|is not|not) "
    r"(?:move|moving|go|going)\b|"
    r"between floors|jammed|"
    r"doors? (?:won'?t|will not|do ?n'?t|do not|does ?n'?t|does not|not) open|"
    r"(?:can'?t|cannot|can not) (?:get|come) out"
)
_LIFT_INSIDE = (
    rf"^(?=.*(?:{_LIFT_STOPPED}|{_CANNOT_GET_OUT}))"
    rf".*(?:\b(?:я|мы)\W+(?:\w+\W+){{0,3}}?{_IN_LIFT}|{_IN_LIFT}\W+(?:\w+\W+){{0,2}}?(?:я|мы)\b)"
    rf"|^(?=.*лифт)(?=.*(?:{_LIFT_STOPPED})).*(?:{_CANNOT_GET_OUT})"
    r"|^(?=.*лифт).*(?:(?:выпуст|вытащ|вызвол|освобод|достань)\w*\W+(?:\w+\W+){0,2}?"
    r"(?:нас|меня|ребенк\w*|дет\w*|его|ее|их)\b|\bоткройте\W+(?:\w+\W+){0,2}?"
    r"(?:лифт|кабин|двер)\w*\W+(?:\w+\W+){0,4}?(?:нас|мы|меня|я)\b)"
    rf"|^(?=.*\b(?:lift|elevator)\b)(?=.*(?:{_LIFT_STOPPED_EN}))"
    r".*(?:\b(?:i|im|we|me|us)\b\W+(?:\w+\W+){0,2}?in (?:the |a |this |our )?(?:lift|elevator)\b|"
    r"\b(?:let|get|help) (?:us|me|them|him|her|my \w+) out\b|"
    r"\bopen the (?:lift|elevator)\b(?=.*\b(?:us|we|me|i)\b))"
)
_LIFT_EMPTY = (
    r"никого|\bпуст(?:ой|ая|ое|ые|ую|ом|ым)?\b|без людей|нет людей|без пассажир|"
    r"nobody|no one|\bempty\b"
)
# Roofing torn loose that still lies on the roof, nothing said to threaten anyone below.
_STILL_ON_ROOF = (
    r"^(?!.*(?:над (?:двор|вход|тротуар|детск|площадк|подъезд|дорог|люд|крыльц|парковк|машин)|"
    r"упад|упаст|улет|сорвет|вниз|на люд|на голов|прохож|пада|летят|полетит|свалит|рухн))"
    r".*(?:болта|висит|свисает|грохоч|гремит|хлопа|стуч|трепыха|громыха)\w*\W+(?:\w+\W+){0,3}?"
    r"на (?:самом |самой )?(?:краю|крыш|кровл)"
)
_HOLE_EN = r"manholes?|wells?|pits?"

_GAS = _rule(
    GAS_SMELL,
    Urgency.EMERGENCY,
    frozenset(Category),
    _near(r"пахн|запах|воня|несет|тянет|утечк|чу[вея]|шипит|травит|сифонит", r"газ(?!он|ет|ел)", 3)
    + r"|\b(?:smell\w*|leak\w*) (?:of )?gas\b|\bgas (?:smell|leak)",
    # a smell denied in any words (the classifier's hazard rules read the same)
    unless=r"запаха\W+(?:\w+\W+){0,2}?(?:нет|не)\b|нет запаха|без запаха|не пахнет|никакого запаха|"
    r"\bне (?:\w+ )?(?:чувству|чую|слыш|ощуща|замеча)\w*\W+(?:\w+\W+)?запах|"
    r"\b(?:do|does|did|ca|could)(?:n'?t| not) (?:\w+ )?smell|\bcannot (?:\w+ )?smell|"
    r"\bnot (?:\w+ )?smell|"
    r"\bno (?:\w+ )?(?:smell|odou?r)|\bwithout (?:a |any )?(?:smell|odou?r)|\bnever smel",
)

#: In order: the first rule that matches a request's category and words wins.
RULES: tuple[Rule, ...] = (
    _GAS,
    _rule("", Urgency.EMERGENCY, _ENGINEERING, _BURST),
    # Smoke or burning wiring is the same fire in a lift's shaft as in a switchboard.
    _rule("", Urgency.EMERGENCY, frozenset({Category.ELECTRICITY, Category.ELEVATOR}), _SPARKS),
    # Parts falling from the building are an emergency, not a day's repair: Госстрой №170
    # прил. 2 gives a facing coming away from the wall «немедленное принятие мер безопасности».
    _rule(
        "falling_parts",
        Urgency.EMERGENCY,
        frozenset({Category.ROOF_FACADE, Category.TERRITORY}),
        _near(
            r"пада|упал|обруш|обвал|рухн|отвал|сыпл|летят|сорвал",
            r"кирпич|шифер|облицов|козыр|балкон|парапет|карниз|обломк|с крыши|с фасада|"
            r"лист\w* (?:кровл|желез)|кровл",
            4,
        ),
        unless=_STILL_ON_ROOF,
    ),
    # An open manhole in the yard is a fall waiting to happen (the labels' emergency policy).
    _rule(
        "open_manhole",
        Urgency.EMERGENCY,
        frozenset({Category.TERRITORY, Category.SEWERAGE, Category.WATER, Category.OTHER}),
        _near(r"открыт|без крышк|нет крышк|сдвинут|провалил|сорван", r"люк|колод", 3)
        # a cover taken off in any words
        + r"|^(?=.*(?:\bлюк|\bколод)).*"
        + _near(
            r"сня|снят|сдвин|сдвига|сорва|укра|утащ|унес|стащ|спер|пропал|отсутств|убра|откину|"
            r"отодви|смести|смещ|своро|нет\b|без\b",
            r"крышк",
            3,
        )
        + r"|^(?=.*\b(?:manholes?|sewer|wells?)\b)(?!.*\bas well\b).*"
        + _near(
            r"remov|taken|\boff|lifted|stole|nicked|missing|gone|moved|shifted|pushed|slid|"
            r"pulled|displaced|dragged",
            r"covers?\b|lids?\b",
            3,
        )
        + r"|\b(?:open|uncovered)\b (?:\w+ )?manhole|manhole (?:is )?(?:open|uncovered)"
        # a well in English after an article («the window does not open well» is none)
        + r"|(?:^|\b(?:an?|the|one|this|that|there'?s|there is)\s)(?:open|uncovered|unfenced|"
        + rf"unguarded)\s(?:\w+\s)?(?:{_HOLE_EN})\b"
        # the danger itself: somebody could fall in
        + r"|^(?=.*(?:\bлюк|\bколод)).*(?:мож\w+|чуть не|того и гляди|запросто|рискует)\W+"
        + r"(?:\w+\W+){0,2}?(?:упасть|упад|провалиться|свалиться|угодить|упал|провалил|свалил)"
        + rf"|^(?=.*\b(?:{_HOLE_EN})\b)(?!.*\bas well\b).*\b(?:could|can|might|may|will|would|"
        + r"nearly|almost|easily)\b(?:\W+\w+)?\W+(?:fall|drop|step)\W+(?:in|into)\b",
        # a hatch to the roof or the loft is no hole in the ground
        unless=r"чердак|чердач|на крыш|\broof\b|\bloft\b|\battic\b",
    ),
    _rule(
        "lift_stuck",
        Urgency.EMERGENCY,
        frozenset({Category.ELEVATOR}),
        _near(rf"застрял|заперт|заблокир|{_CANNOT_GET_OUT}|выйти не мо|сидит|сидят|внутри", r"лифт")
        # shut in the car: «закрыло в лифте», «в лифте заперли ребёнка»
        + r"|(?:закрыл|закрыт|заперл|запер|зажал|зажат)\w*\W+(?:\w+\W+){0,2}?в (?:кабин\w+ )?лифт"
        r"|\bв (?:кабин\w+ )?лифте?\W+(?:\w+\W+){0,2}?(?:закрыл|заперл|зажал|зажат)"
        r"|\b(?:stuck|trapped|locked in|shut in)\b.*\b(?:lift|elevator)",
        unless=_LIFT_EMPTY,
    ),
    # the writer inside a stopped car, someone unable to get out of one, a plea to be let out
    _rule(
        "lift_stuck",
        Urgency.EMERGENCY,
        frozenset({Category.ELEVATOR}),
        _LIFT_INSIDE,
        unless=_LIFT_EMPTY + r"|вчера|позавчера|на днях|прошл\w+ (?:недел|месяц|раз)|"
        r"(?:дн\w*|недел\w*) назад|yesterday|last (?:week|night|month|time)|days ago|used to",
    ),
    _rule(
        "no_hot_water",
        Urgency.URGENT,
        frozenset({Category.WATER}),
        _near(_NO, r"горяч|гвс|\bгор\b", 3),
    ),
    _rule(
        "no_cold_water",
        Urgency.URGENT,
        frozenset({Category.WATER}),
        _near(_NO, r"вод|хвс", 3),
    ),
    _rule(
        "tap_leak",
        Urgency.URGENT,
        frozenset({Category.WATER, Category.SEWERAGE}),
        _near(
            r"кран|смесител|бач[ое]к|бачк|унитаз", r"теч|тек|капа|капыва|подтека|протека|сочи", 4
        ),
    ),
    _rule(
        "sewer_blockage",
        Urgency.URGENT,
        frozenset({Category.SEWERAGE}),
        r"засор|засорил|забил|забит|не уход|не проход|не слива|стоит вода|пробк|прочист|медленно",
    ),
    _rule(
        "chute_blockage",
        Urgency.URGENT,
        frozenset({Category.WASTE, Category.CLEANING}),
        _near(r"мусоропровод|мусорн\w* ствол|ствол", r"засор|забит|забил|не проход|переполн", 4),
    ),
    _rule(
        "chute_fault",
        Urgency.URGENT,
        frozenset({Category.WASTE, Category.CLEANING}),
        _near(
            r"мусоропровод|ковш|клапан|загрузочн|шибер",
            r"слом|не закрыва|не открыва|оторв|отвал|заклин|неисправ|не работа|разбит",
            4,
        ),
    ),
    _rule(
        "no_heating",
        Urgency.URGENT,
        frozenset({Category.HEATING}),
        r"^(?!.*полотенцесуш)(?:.*(?:нет отоплен|без отоплен|отоплени\w* нет|отоплени\w* отсутств|"
        r"отключил\w* отоплен|отоплени\w* отключ|не топят|нет тепла|холодн\w* батаре|"
        r"батаре\w* холодн|не греют|не грее|ледян))",
        # a building, entrance or riser without heating is the heating system's accident
        yields_to_emergency=True,
    ),
    _rule(
        "no_power",
        Urgency.URGENT,
        frozenset({Category.ELECTRICITY}),
        _near(_WHOLE, r"свет|электричеств|обесточ", 5),
    ),
    _rule(
        "stair_lighting",
        Urgency.NORMAL,
        frozenset({Category.ELECTRICITY, Category.CLEANING, Category.OTHER}),
        rf"^(?=.*(?:{_STAIRS}))(?=.*(?:{_LIGHT})).*(?:{_DARK})",
    ),
    _rule(
        "breaker",
        Urgency.URGENT,
        frozenset({Category.ELECTRICITY}),
        _near(
            r"автомат|пробк|щит|рубильник|предохранител|узо",
            r"выбива|выбил|сработал|отключ|"
            r"вырубил|выключ|сгорел|не включа",
            4,
        ),
    ),
    _rule(
        "no_power",
        Urgency.URGENT,
        frozenset({Category.ELECTRICITY}),
        _near(_NO, r"свет|электричеств", 3) + r"|обесточ",
    ),
    _rule(
        "roof_leak",
        Urgency.URGENT,
        frozenset({Category.ROOF_FACADE}),
        _near(
            r"крыш|кровл|чердак|козыр|потол|верхн\w* этаж|последн\w* этаж",
            r"теч|тек|протек|капа|капл|залива|ль[её]т|мокр|сыре|пятн|вода",
            5,
        ),
    ),
    _rule(
        "gutter",
        Urgency.NORMAL,
        frozenset({Category.ROOF_FACADE, Category.TERRITORY}),
        r"водосто|желоб|воронк|отмет",
    ),
    _rule(
        "window",
        Urgency.URGENT,
        _COMMON_PARTS,
        _near(
            r"окн|стекл|форточ|рам|створк",
            r"разбит|разбил|выбит|сорван|сорвал|треснул|трещин|"
            r"без стекла|нет стекла|не закрыва|оторв|выпал|дует|сквоз",
            4,
        ),
    ),
    _rule(
        "intercom",
        Urgency.URGENT,
        frozenset({Category.DOORS_INTERCOM}),
        r"домофон|трубк|вызывн|панел|ключ|чип|код",
    ),
    _rule(
        "entrance_door",
        Urgency.URGENT,
        frozenset({Category.DOORS_INTERCOM}),
        r"двер|замок|замк|доводчик|петл",
    ),
)

#: A room temperature is believed only with a sign, a degree or the word itself,
#: so an apartment number («в квартире 12») is never read as +12 °C.
_TEMPERATURE = re.compile(
    r"(?:\+|плюс)\s?(\d{1,2})(?![\d:])|(\d{1,2})\s?(?:°|градус|гр\b)|температур\w*\D{0,12}?(\d{1,2})(?![\d:])"
)

_OUTDOOR = re.compile(r"[-−–]|минус|улиц|снаруж|окном|мороз")


@dataclass(frozen=True, slots=True)
class Reading:
    """The norm row a request falls under, and the urgency the norm implies."""

    problem: str
    urgency: Urgency


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е")).strip()


def indoor_temperature(text: str) -> int | None:
    """The room temperature a resident gave («в квартире +11», «+11°»), if any.

    Readings right after a minus or an outdoor word («на улице -20») are the
    weather, not the room, and are skipped.
    """
    words = _normal(text)
    for match in _TEMPERATURE.finditer(words):
        if _OUTDOOR.search(words[max(0, match.start() - 12) : match.start() + 1]):
            continue
        return int(next(group for group in match.groups() if group is not None))
    return None


def _heating_problem(text: str) -> str:
    """ПП РФ №354 прил. 1 п.14 allows a longer break the warmer the rooms stay."""
    degrees = indoor_temperature(text)
    if degrees is not None and degrees >= 12:
        return "no_heating_12"
    if degrees is not None and degrees >= 10:
        return "no_heating_10"
    # +8..+10, colder, or not said: the strictest band, so no deadline told is too late.
    return "no_heating_8"


def _window_problem(filed_at: datetime) -> str:
    return "window_winter" if filed_at.month in WINTER_MONTHS else "window_summer"


def read(category: str, urgency: Urgency, text: str, at: datetime) -> Reading:
    """The norm row for what the resident wrote, filed at ``at`` (local time).

    ``urgency`` is what the dialogue made of it (the classifier's emergency flag
    or the category's default); it stands when no rule matches.
    """
    try:
        kind = Category(category)
    except ValueError:
        kind = Category.OTHER
    words = _normal(text)
    for rule in RULES:
        if rule.matches(kind, words):
            if rule.yields_to_emergency and urgency is Urgency.EMERGENCY:
                return Reading("", urgency)
            return Reading(_specialise(rule.problem, text, at), _urgency(rule, at))
    return Reading("", urgency)


def smells_of_gas(text: str) -> bool:
    """Whether the words report a gas smell, whatever the category turns out to be."""
    return _GAS.matches(Category.OTHER, _normal(text))


def _specialise(problem: str, text: str, at: datetime) -> str:
    if problem == "no_heating":
        return _heating_problem(text)
    if problem == "window":
        return _window_problem(at)
    return problem


def _urgency(rule: Rule, at: datetime) -> Urgency:
    if rule.problem == "window" and at.month not in WINTER_MONTHS:
        return Urgency.NORMAL
    return rule.urgency


def problems() -> frozenset[str]:
    """Every problem the rules can name (after the season and temperature bands)."""
    names = {rule.problem for rule in RULES if rule.problem}
    names -= {"no_heating", "window"}
    return frozenset(
        names | {"no_heating_12", "no_heating_10", "no_heating_8", "window_winter", "window_summer"}
    )
