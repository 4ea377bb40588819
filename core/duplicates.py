"""Whether a new message and an open request are the same problem (pure).

Both already share the building and the type.  The offer is shown to a resident, who may
say yes to anything that looks close, so a doubtful pair is never offered.  They must
share the place: a flat's problem never joins a common area's request unless its words
say the problem is beyond the flat ("во всём доме", "во всём подъезде", "ни у кого", the
lift it names), nor another flat's unless both speak of more than their flat and one
says so ("у соседей тоже") of a problem flats share (a supply, a riser), nor anything
but its own flat when its words say the fault is the flat's own ("у соседей есть"); two
flats of different entrances share only what both say of the whole house; an entrance's
or a floor's problem never joins another entrance's or floor's, named in the place or in
the words ("у 1 подъезда"; a flat's own entrance and floor count, even when it names the
area), nor the whole entrance's or house's outage one floor's fault (an entrance of no
floor that lacks a supply, «во втором подъезде холодно», is the whole entrance's), nor a
lift or stairs of an entrance unknown on either side, nor a problem the words place in a
neighbouring entrance or house, nor one spot of a common area another («у площадки»,
«над входом»); a flat's problem that only comes from an area («лезут из подвала») is the
flat's, not the area's.  And their words must be alike, as a ``Lexicon`` reads them
(Russian typed in Latin letters read in Cyrillic): words of one meaning («кровля»,
«крыша») are one word, as are phrases that say what one word says («вода стоит в
подвале», «подвал затопило»), and two texts naming different things («звонок»,
«розетка») or different kinds of fault («течёт», «холодная», «шумит») or of one thing (a
tambour's door, the entrance's), or saying different or opposite states of a thing
(«переполнены», «сломаны»; «горит днём и ночью», «не горит»; radiators too hot, «чуть
тёплые»), or sharing only the fault and not the thing it is of («кнопка вызова не
работает», «лифт не работает»), or an emergency and an ordinary fault, or a request for
work and a fault, are different problems.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Protocol, TypeVar

from core.model import Location, LocationKind

_T = TypeVar("_T")

#: Words that make a flat's problem the whole building's or the whole entrance's.
_BEYOND_FLAT = re.compile(
    r"(?:вс[её]м|весь|всего|всему)\s+(?:(?:в|во|наш\w*|\w+ого)\s+)?(?:дом|подъезд)"
    r"|(?:на|по) всех этажах|во всех квартирах|ни у кого|у всех|общ\w* стояк|по стояку"
    r"|весь стояк|вс\w+ стояк"
    r"|(?:whole|entire) (?:building|entrance|house)|everyone|nobody in"
)
#: Words that say the neighbours have the same problem: a flat's problem then joins
#: another flat's, if it is one flats share.
_NEIGHBOURS = re.compile(
    r"у сосед|сосед\w* тоже|от сосед|и сосед|neighbou?rs? (?:too|also|as well)|from the neighbou?r"
)
#: Words that speak of more than one flat: the whole house or entrance, the neighbours,
#: the riser.
_SHARED_SCOPE = re.compile(
    _BEYOND_FLAT.pattern + "|" + _NEIGHBOURS.pattern + r"|стояк|подъезд|riser|entrance"
)
#: Places beyond a flat, and words that say a supply or a thing is fine there.
_OTHERS = (
    r"(?:у сосед\w*|у других|у остальных|в (?:соседн|друг|остальн)\w* квартир\w*|в подъезде"
    r"|на площадке|на этаже|в доме)"
)
_FINE = (
    r"(?:есть(?! (?:так|та же|эта|это|тоже|проблем))|нормальн\w*|в порядке|работает|горит|ид[её]т)"
)
#: Words that say the fault is the flat's own: the neighbours or the entrance have what
#: the flat lacks («у соседей есть», «в подъезде свет есть», «горит у соседей»), or only
#: the flat or its room has it («только у нас»).  Such a flat's problem joins no other
#: place's.
_OWN_ONLY = re.compile(
    _OTHERS
    + r"\s+(?:(?!не\b|тоже\b|также\b|нет\b)\w+\s+)?"
    + _FINE
    + r"|(?<!не )\b"
    + _FINE
    + r"\s+"
    + _OTHERS
    + r"|только у (?:меня|нас)|только (?:в|на) (?:\w+ )?(?:квартир|кухн|ванн|комнат|туалет)"
    r"|neighbou?rs? (?:have|has|are fine|are ok)"
    r"|only (?:in )?(?:my|our|the) (?:flat|apartment|kitchen|bathroom|room)"
)
#: Words that speak of the whole house, where flats of different entrances share a fault.
_WHOLE_HOUSE = re.compile(
    r"(?:вс[её]м|весь|всего|всему)\s+(?:в\s+)?дом|(?:whole|entire) (?:building|house)"
)
#: Words of a problem that many flats share (a supply, a riser), not one flat's fault.
_SHARED = re.compile(
    r"вс[её]м доме|весь дом|по всему дому|нет (?:горяч\w+ |холодн\w+ )?вод|вод\w* нет"
    r"|нет свет|нет электричеств|отключ|напор|ржав|стояк|отоплени|холодн\w* батаре"
    r"|батаре\w* (?:чуть |еле )?(?:тепл|холодн)|мигает свет"
    r"|whole building|no (?:hot |cold )?water|no power|no heating|no electricity"
)
#: A place's air or light that lacks a supply: the supply's outage, said of the place.
_COLD_OR_DARK = re.compile(r"\bхолодно|\bтемно|\bcold\b|\bdark\b")
_IN_ENTRANCE = re.compile(
    r"в подъезде|в парадной|на лестниц|лестничн|на площадк|вс[её]м подъезде|весь подъезд"
    r"|(?:в|на) (?:наш|сво)\w+ (?:подъезд|парадн|лестниц|площадк|этаж)"
    r"|stair|landing|hallway|in the entrance|whole entrance"
)
#: Words that put the problem in another entrance or house than the request's place.
_ELSEWHERE = re.compile(
    r"(?:соседн|друг)\w* (?:подъезд|парадн|дом(?:а|е|у|ом)?\b|двор|корпус|здани)"
    r"|(?:neighbou?ring|next|other) (?:entrance|building|house)|next door"
)
#: A flat's own entrance or floor in its words: "на нашем этаже", "в своём подъезде".
_OWN_PLACE = re.compile(r"(?:наш|сво)\w* (?P<kind>подъезд|парадн|лестниц|площадк|этаж)")
#: The words that name each common area, so a flat's message can say it means that one.
_AREA_WORDS = {
    LocationKind.ELEVATOR: re.compile(r"лифт|lift|elevator"),
    LocationKind.ROOF: re.compile(r"крыш|кровл|roof"),
    LocationKind.BASEMENT: re.compile(r"подвал|basement"),
    LocationKind.ATTIC: re.compile(r"чердак|attic"),
    LocationKind.YARD: re.compile(r"двор|yard"),
    LocationKind.PARKING: re.compile(r"парков|паркинг|parking"),
    # A flat's own address names its entrance and floor; only a problem placed there counts.
    LocationKind.STAIRWELL: _IN_ENTRANCE,
    LocationKind.ENTRANCE: _IN_ENTRANCE,
    LocationKind.FLOOR: _IN_ENTRANCE,
}
#: A spot a problem is placed by: a preposition of place and the landmark, maybe after
#: its adjective («у детской площадки»).
_BY_SPOT = re.compile(
    r"(?:\b(?:у|около|возле|над|под|за|напротив|перед|вдоль|рядом с|между)"
    r"|\b(?:by|near|above|over|under|behind|outside|next to|in front of|opposite)(?: the)?)"
    r"\s+(?P<first>\w+)(?:\s+(?P<second>\w+))?"
)
#: The landmarks of a common area, one name for the words of one spot.
_SPOTS = (
    ("entrance", re.compile(r"подъезд|вход|парадн|крыльц|entrance|door|porch")),
    ("bins", re.compile(r"контейнер|бак|мусорк|помойк|bins?\b|containers?\b")),
    ("playground", re.compile(r"(?<!лестничн)площадк|качел|горк|песочниц|playground|swing")),
    ("garages", re.compile(r"гараж|garage")),
    ("gate", re.compile(r"шлагбаум|ворот|въезд|gate|barrier")),
    ("parking", re.compile(r"парковк|стоянк|parking")),
    ("corner", re.compile(r"угл|угол|торц|corner")),
    ("windows", re.compile(r"окн|окон|window")),
    ("balcony", re.compile(r"балкон|balcon")),
    ("shop", re.compile(r"магазин|shop")),
    ("school", re.compile(r"школ|садик|school")),
    ("arch", re.compile(r"арк|arch")),
)
#: A place named only as where the problem comes from («лезут из подвала», «from the
#: basement»): the flat's problem is in the flat, not that place's.
_FROM_PLACE = re.compile(
    r"(?:\bиз|\bот|\bfrom(?: the)?)\s+(?:\w+\s+)?"
    r"(?:подвал|чердак|лифт|мусоропровод|basement|attic|lift|chute)\w*"
)
#: The inside of one entrance: its door, stairs and landings are one place.
_ENTRANCE_PLACES = frozenset({LocationKind.ENTRANCE, LocationKind.FLOOR, LocationKind.STAIRWELL})
#: Common areas that belong to one entrance: a lift or stairs of an unknown entrance may
#: be another entrance's.
_PER_ENTRANCE = frozenset({LocationKind.ELEVATOR, LocationKind.STAIRWELL})
_ORDINAL_STEMS = ("перв", "втор", "трет", "четверт", "пят", "шест", "седьм", "восьм", "девят")
_ORDINAL_ENDING = (
    r"(?:ый|ой|ий|ого|его|ому|ему|ым|им|ом|ем|ая|яя|ую|юю|ое|ее|ые|ие|ых|их"
    r"|ья|ье|ьи|ью|ьей|ьим|ьем|ьего|ьему|ьих)"
)
#: An entrance or a floor the words name: "у 1 подъезда", "на восьмом этаже", "этаж 5".
_NAMED_PLACE = re.compile(
    r"(?:(?P<digits>\d{1,3})(?:-?[а-я]{1,3})?|(?P<ordinal>"
    + "|".join(_ORDINAL_STEMS)
    + r")"
    + _ORDINAL_ENDING
    + r")\s+(?P<kind>подъезд|парадн|этаж)"
    r"|(?P<kind_first>подъезд|парадн|этаж)\w*\s*№?\s*(?P<after>\d{1,3})"
)


class Lexicon(Protocol):
    """How words compare: one form for all the words of one meaning and their forms."""

    def canonical(self, word: str) -> str: ...

    def readable(self, text: str) -> str:
        """The text in the letters its words are read in: Russian typed in Latin letters
        («lift ne edet») in Cyrillic, other text unchanged."""
        ...

    def names_thing(self, word: str) -> bool:
        """Whether the word names a thing («розетка», «качели»), not a state or an
        action («течёт», «сломан», «грязь»): two texts that name things but no common
        one speak of different problems."""
        ...

    def sets_scene(self, word: str) -> bool:
        """Whether the word names a supply or the people around («вода», «газ»,
        «соседи»): shared alone, such words never make two problems one."""
        ...

    def state(self, word: str, denied: bool) -> str | None:
        """The fault or the action the word states («течёт», «сломан», «искрит»), one
        form for the words of one meaning, or None for a word that states nothing (a
        thing, a supply, a quality).  ``denied``: the word follows a denial («не
        горит»), which makes a word that is no fault itself say that a thing does not
        work; a bare «нет» says that too."""
        ...


#: Words that deny the word after them («не горит», «not working»); «нет», «без» and
#: «no» alone also say that a thing is absent.
_DENIALS = frozenset({"не", "нет", "без", "no", "not", "doesn", "don", "isn", "won", "aren"})
#: Places and fillers are no words at all.
_IGNORED = frozenset(
    {
        *("нет", "не", "уже", "очень", "совсем", "давно", "весь", "всем", "всего", "всему"),
        *("всех", "вся", "все", "всю", "всей", "всеми", "два", "дня", "чуть", "еле", "никто"),
        *("the", "and", "not", "for", "with", "whole", "entire", "all", "our", "since"),
    }
)
_PLACE_WORD = re.compile(
    r"квартир|подъезд|этаж|лестниц|площадк|лифт|кабин|вход(?:а|е|у|ом)?$|подвал|крыш|кровл|двор"
    r"|дом(?:а|е|у|ом|ах|ам)?$|здани"
    r"|комнат|кухн|ванн"
    r"|парков|паркинг|стоянк|чердак"
    r"|flat|apartment|entrance|floor|stair|lift|elevator|basement|roof|yard|parking|attic"
    r"|building|house"
)
#: How long, since when or after what weather is no part of the problem ("неделю", "с утра",
#: "третий день", "после дождя").
_TIME_WORD = re.compile(
    r"недел\w*|месяц\w*|день|дня|дней|дням|днем|сутки|суток|час|часа|часов|минут\w*"
    r"|утр[оау]м?|вечер\w*|ночь\w*|ночи|ночам|сегодня|вчера"
    r"|дожд[ьяюе]|дождем|дожди|дождей|ливень|ливня|ветр[ауе]?м?|ветер|ураган\w*|грозы?"
    r"|weeks?|days?|hours?|months?|today|yesterday|morning|evening|night"
)
#: Ordinals count entrances and floors ("во втором подъезде", "second entrance"): the
#: place, compared on its own, not the problem.
_ORDINAL = re.compile(
    r"(?:перв|втор|трет|четверт|пят|шест|седьм|восьм|девят|десят)"
    + _ORDINAL_ENDING
    + r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
)
_LEAK = re.compile(
    r"протек|подтек|капа|капл|\bтечь\b|теч[её]т(?! (?:\w+ )?вод)|прорв|\bleak|\bdrip"
)
#: Families of kinds of fault that exclude each other, however alike the rest of the
#: words: "нет холодной воды" is not "нет горячей воды", nor is "ржавая вода" either of
#: them, nor a radiator too hot a cold one; no water is not a weak flow, a leak, a
#: blockage, a noise in the pipes nor an open hatch; a bill that never came is not a
#: wrong one; a kitchen's blockage is not the toilet's, nor its radiator a bedroom's; the
#: goods lift is not the passenger one; a leak beneath a bath or a sink is not its tap,
#: and a leaking tap is not one that is broken or does not switch; a smell of gas is not
#: its absence nor a burner that does not light; a broken pane is not a door that does
#: not shut, does not open or an intercom that does not ring; a flickering light is not
#: a dark one; a fallen tree is not one that may fall; a floor's tambour door is not the
#: entrance's nor the basement's door; a door's handle, its intercom and key, its closer
#: and its lock are different things; bulky waste left out is not an overfilled
#: container.  Two texts that both name kinds of one family must name the same ones: a
#: text naming two contrasts them.
_OVERHEATED = re.compile(
    r"жарк|жара|кипят|перегре|раскал|обжига|горяч\w* (?:батаре|радиатор)"
    r"|(?:батаре|радиатор)\w* горяч|overheat|too hot"
)
_KIND_FAMILIES = (
    (
        re.compile(r"горяч|\bhot\b|" + _OVERHEATED.pattern),
        re.compile(r"холодн|\bcold\b"),
        re.compile(r"ржав|мутн|рыж|\brust|\bbrown"),
    ),
    (
        re.compile(r"\bнет (?:\w+ )?вод|вод\w* (?:нет|не было)|\bno (?:\w+ )?water"),
        re.compile(r"напор|слаб|pressure|trickle"),
        _LEAK,
        re.compile(r"засор|забит|не уход|не слива|не смыва|\bclog|blocked"),
        re.compile(
            r"шум|гуд[ия]т|стуч|грем|треск|трещ|булька|свист"
            r"|\bnois|\bbang|knock|\bhum(?:s|ming)?\b"
        ),
        re.compile(r"холодн(?!\w* вод)|не гре|(?:еле|чуть|не) т[её]пл|\bcold\b(?! water)|no heat"),
        _OVERHEATED,
        re.compile(r"открыт|распахнут|(?:без|нет) крышк|\bopen\b|left open"),
    ),
    (
        re.compile(r"не пришл|не приход|не получ|не принес|not (?:arrive|receive|come)"),
        re.compile(r"ошиб|неправильн|неверн|завышен|лишн|wrong|error|overcharg"),
    ),
    (
        re.compile(r"кухн|kitchen"),
        re.compile(r"ванн|bath"),
        re.compile(r"туалет|унитаз|toilet"),
        re.compile(r"(?<!ванной )комнат|спальн|гостин|bedroom|living room|(?<!bath)\broom\b"),
    ),
    (
        re.compile(r"грузов|больш\w* лифт|cargo|freight|goods lift"),
        re.compile(r"пассажир|мал\w* лифт|маленьк\w* лифт|passenger"),
    ),
    (
        re.compile(r"\bпод (?:ванн|раковин|мойк|умывальник|унитаз)|\bunder (?:the )?(?:bath|sink)"),
        re.compile(r"кран|смесител|\btap\b|faucet|mixer"),
    ),
    (
        re.compile(r"вентил|отсечн|запорн|шаров|кран\w* на стояк|\bvalve"),
        re.compile(r"смесител|\bmixer|faucet"),
    ),
    (
        _LEAK,
        re.compile(r"сломан|не работа|не переключ|не поворач|заел|заклин|broken|not work|jammed"),
    ),
    (
        re.compile(r"\bпах|\bвон[яюиь]|запах|smell|stink"),
        re.compile(
            r"\bнет (?:\w+ )?(?:газ|свет|электр|отоплен)|(?:газ|свет|электричеств)\w* нет"
            r"|отключ\w* (?:газ|свет|электр)|(?:газ|свет|электричеств)\w* отключ"
            r"|\bno (?:gas|power|light|electricity|heating)"
        ),
        re.compile(r"не зажига|не разжига|не поджига|гасн|тухн|won.t light|not light|goes out"),
    ),
    (
        re.compile(r"стекл|разбит|выбит|glass|smashed"),
        re.compile(r"не закрыва|не захлоп|нараспашку|доводчик|(?:not|n.t) (?:close|shut)"),
        re.compile(r"не открыва|не открыть|не пуска|(?:not|n.t) open"),
        re.compile(r"не звон|не слыш|молч|не дозвон|(?:not|n.t) ring|no sound"),
    ),
    (
        re.compile(r"тамбур|tambour|vestibule"),
        re.compile(
            r"входн|подъездн|двер\w* (?:в |во |у )?(?:\w+ )?подъезд|entrance door|front door"
        ),
        re.compile(r"подвальн\w* двер|двер\w* (?:в |из )?подвал|basement door"),
    ),
    (
        re.compile(r"ручк|handle"),
        re.compile(r"домофон|\bключ|intercom|\bkeys?\b|buzz"),
        re.compile(r"доводчик|door closer"),
        re.compile(r"\bзам(?:ок|к)|личинк|\blocks?\b"),
        re.compile(r"петл|hinge"),
    ),
    (
        re.compile(r"крупногабарит|мебел|диван|шкаф|матрас|строительн|строймусор|bulky|furniture"),
        re.compile(r"переполн|overflow|overfill"),
    ),
    (
        re.compile(r"мига|морга|flicker|blink"),
        re.compile(r"нет свет|не гор|перегор|темно|\bno (?:light|power)|\bdark|burn\w* out"),
        re.compile(
            r"не выключа|не гаснет|горит (?:\w+ )?(?:дн[её]м|круглосуточно|постоянно|всегда)"
            r"|(?:stays?|left) on|on all day|(?:won.t|not|n.t) (?:switch|turn) off"
        ),
    ),
    (
        re.compile(r"\bупал|рухнул|повал|обрушил|\bfell\b|fallen|collapsed"),
        re.compile(
            r"мо(?:жет|гут) (?:упасть|рухнуть|обвалиться|обрушиться)|грозит|угрож|вот-вот"
            r"|аварийн|наклон"
            r"|(?:might|may|could) (?:fall|collapse)|about to"
        ),
    ),
)
#: Marks that two texts of one problem bear both or neither: an emergency (fire, smoke,
#: sparks, a person stuck in a lift) joined to an ordinary fault would wait as one;
#: a request for work (a new key, replacing or moving a radiator, a question) is no fault;
#: a meter is not the supply it counts.
_ONE_SIDED = (
    re.compile(
        r"пожар|\bдым(?!оход)|задым|плам|огон|искр(?!енн)|оплав|плавит|\bгар[иь]ю?\b"
        r"|\bfire|smoke|spark|burn(?!\w* out)"
        r"|застряли|(?:человек|люди|реб[её]н\w*|дети|кто-то|кто|я|мы)\s+застрял"
        r"|застрял\w* (?:\w+ )?(?:человек|люди|реб[её]н|дет|кто|сосед|жил|женщин|мужчин)"
        r"|внутри (?:\w+ )?(?:человек|люди|реб[её]н|дет|кто)"
        r"|(?:человек|люди|реб[её]н\w*|дети) внутри"
        r"|trapped|stuck inside|someone (?:is )?stuck|(?:people|person|someone) inside"
    ),
    re.compile(
        r"замен|поменя|\bсменить|перенест|перенос|установить|поставить|нуж\w+ нов|потерял"
        r"|можно ли|подскажите"
        r"|replace|install|relocat|\blost\b|a new key|can i\b|is it possible"
    ),
    re.compile(r"сч[её]тчик|водомер|прибор\w* уч[её]т|\bmeter"),
)


#: «подьезд», «подезд»: the spellings of «подъезд» without its hard sign.
_PODEZD = re.compile(r"\bпод(?:ь|')?езд")
#: Phrases that say in several words what one word says, read as that word: water
#: standing in the basement is its flood, no heating is radiators that do not heat, a
#: drain that does not drain is blocked, radiators too hot in any words are overheated,
#: a door or hatch not locked or of a broken lock is open.
_PHRASES = (
    (
        re.compile(
            r"(?:в подвале|подвал) (?:\w+ )?(?:вод\w* (?:стоит )?по \w+|стоит вод\w*|вод\w* стоит"
            r"|вода(?=\s*(?:[,.!?]|$)))"
        ),
        "в подвале затоплено",
    ),
    (
        re.compile(
            r"(?:нет|без) отоплени\w*|отоплени\w* (?:нет|не работает|отключ\w*)"
            r"|отключ\w* отоплени\w*|\bno heating|heating (?:is )?(?:off|not working)"
        ),
        "батареи отопления не греют",
    ),
    (re.compile(r"(?:вод\w* )?не (?:уходит|сливается|смывается)(?: вода)?"), "засор"),
    (
        re.compile(
            r"не (?:заперт|запира|закрыт)\w*(?: на замок)?|(?:нет|без) замка|замка нет"
            r"|(?:сорван|взломан|выломан|сломан)\w* замок"
            r"|замок (?:\w+ )?(?:сорван|взломан|выломан|сломан)\w*"
        ),
        "открыт",
    ),
    (
        re.compile(
            r"(?:слишком|очень|сильно) горяч\w*|раскал[её]нн?\w*|как кипяток|кипят\w*|перет[оа]п\w*"
            r"|\bжарко|\bжара\b|перегрев\w*"
        ),
        "перегрев",
    ),
    (
        re.compile(r"(?:еле|чуть|едва|слабо) (?:теч[её]т|ид[её]т|бежит)|тонкой струйкой"),
        "слабый напор",
    ),
)


def _lower(text: str) -> str:
    low = _PODEZD.sub("подъезд", text.lower().replace("ё", "е"))
    for phrase, word in _PHRASES:
        low = phrase.sub(word, low)
    return low


def _counts(word: str) -> bool:
    """Whether a word can say what the problem is: no filler, place, ordinal or time."""
    return (
        len(word) >= 3
        and word not in _IGNORED
        and not _PLACE_WORD.match(word)
        and not _ORDINAL.fullmatch(word)
        and not _TIME_WORD.fullmatch(word)
    )


def _words(text: str) -> list[str]:
    return [word for word in re.findall(r"[a-zа-я]+", _lower(text)) if _counts(word)]


def _states(text: str, lexicon: Lexicon) -> set[str]:
    """What the text says of the things it names: their faults, each denied word read
    after its denial («не горит»), and a bare «нет»."""
    states: set[str] = set()
    denied = False
    for word in re.findall(r"[a-zа-я]+", _lower(text)):
        if word in _DENIALS or _counts(word):
            state = lexicon.state(word, denied)
            if state is not None:
                states.add(state)
        denied = word in _DENIALS
    return states


def _said(text: str, lexicon: Lexicon) -> tuple[set[str], set[str]]:
    """The words the text affirms as a state («горит») and the words it denies («не горит»)."""
    affirmed: set[str] = set()
    denied_words: set[str] = set()
    denied = False
    for word in re.findall(r"[a-zа-я]+", _lower(text)):
        group = lexicon.canonical(word)
        if _counts(word) and not group.startswith("<"):
            if denied:
                denied_words.add(group)
            elif lexicon.state(word, False) is not None:
                affirmed.add(group)
        denied = word in _DENIALS
    return affirmed, denied_words


def _opposite(a: tuple[set[str], set[str]], b: tuple[set[str], set[str]]) -> bool:
    """Whether one text affirms a state the other denies, and neither says both."""
    (yes_a, no_a), (yes_b, no_b) = a, b
    return bool((yes_a & no_b) - no_a - yes_b or (yes_b & no_a) - no_b - yes_a)


def _stems(text: str, lexicon: Lexicon) -> set[str]:
    return {lexicon.canonical(word) for word in _words(text)}


def _things(text: str, lexicon: Lexicon) -> set[str]:
    return {lexicon.canonical(word) for word in _words(text) if lexicon.names_thing(word)}


def _scene(text: str, lexicon: Lexicon) -> set[str]:
    return {lexicon.canonical(word) for word in _words(text) if lexicon.sets_scene(word)}


def _named(text: str) -> tuple[set[int], set[int]]:
    """The entrances and floors the words name."""
    entrances: set[int] = set()
    floors: set[int] = set()
    for match in _NAMED_PLACE.finditer(_lower(text)):
        kind = match["kind"] or match["kind_first"]
        if match["ordinal"]:
            number = _ORDINAL_STEMS.index(match["ordinal"]) + 1
        else:
            number = int(match["digits"] or match["after"])
        (floors if kind == "этаж" else entrances).add(number)
    return entrances, floors


def _decode(raw: str) -> Location | None:
    try:
        return Location.decode(raw)
    except (ValueError, KeyError):
        return None


def _entrance(location: Location) -> int | None:
    return location.number if location.kind is LocationKind.ENTRANCE else location.entrance


def _floor(location: Location) -> int | None:
    return location.number if location.kind is LocationKind.FLOOR else location.floor


def in_entrance(location: str, entrance: int) -> str:
    """The place with the entrance it is in when it names none: in a house of one
    entrance every place is in that one."""
    decoded = _decode(location)
    if decoded is None or _entrance(decoded) is not None:
        return location
    if decoded.kind is LocationKind.ENTRANCE:
        return Location(LocationKind.ENTRANCE, entrance).encode()
    return replace(decoded, entrance=entrance).encode()


def _differ(a: set[_T], b: set[_T]) -> bool:
    return bool(a and b and not a & b)


def _places(location: Location, low: str) -> tuple[set[int], set[int]]:
    """The entrances and floors the place and the words name."""
    entrances, floors = _named(low)
    entrance, floor = _entrance(location), _floor(location)
    if entrance is not None:
        entrances.add(entrance)
    if floor is not None:
        floors.add(floor)
    return entrances, floors


def _whole(location: Location, low: str, floors: set[int]) -> bool:
    """Whether the text speaks of the whole house or entrance: in its words, or as an
    entrance of no floor that lacks a supply («во втором подъезде холодно»)."""
    if _BEYOND_FLAT.search(low):
        return True
    return (
        location.kind in (LocationKind.ENTRANCE, LocationKind.STAIRWELL)
        and _entrance(location) is not None
        and not floors
        and bool(_SHARED.search(low) or _COLD_OR_DARK.search(low))
    )


def _named_places_differ(a: Location, low_a: str, b: Location, low_b: str) -> bool:
    """Whether the places, or the words, name two different entrances or floors, or one
    text speaks of the whole entrance or house and the other of one floor.  A flat's
    floor counts too: the landing a flat's words speak of is its own."""
    (entrances_a, floors_a), (entrances_b, floors_b) = _places(a, low_a), _places(b, low_b)
    if _differ(entrances_a, entrances_b):
        return True
    whole_a, whole_b = _whole(a, low_a, floors_a), _whole(b, low_b, floors_b)
    if whole_a and whole_b:
        return False
    if whole_a or whole_b:
        # The whole entrance's outage and one floor's fault are two problems.
        return bool(floors_b if whole_a else floors_a)
    return _differ(floors_a, floors_b)


def _entrance_unknown(a: Location, low_a: str, b: Location, low_b: str) -> bool:
    """Whether a lift or stairs is of an entrance unknown on either side: in a house of
    several entrances it may be another entrance's, unless both speak of the whole house."""
    if not {a.kind, b.kind} & _PER_ENTRANCE or (
        _WHOLE_HOUSE.search(low_a) and _WHOLE_HOUSE.search(low_b)
    ):
        return False
    return not (_places(a, low_a)[0] and _places(b, low_b)[0])


def _own_place_unknown(flat_text: str, home: Location, area: Location) -> bool:
    """Whether a flat's words speak of its own entrance or floor («на нашем этаже»), which
    its place does not know, and the area's place names one: it may be another."""
    kinds = {match["kind"] for match in _OWN_PLACE.finditer(flat_text)}
    floor = bool(kinds & {"этаж", "площадк"}) and _floor(home) is None
    entrance = bool(kinds - {"этаж", "площадк"}) and _entrance(home) is None
    return (floor and _floor(area) is not None) or (entrance and _entrance(area) is not None)


def _landmarks(low: str) -> set[str]:
    """The spots the words place the problem by («у площадки», «над входом»), one name
    for the words of one spot."""
    spots: set[str] = set()
    for match in _BY_SPOT.finditer(low):
        for word in (match["first"], match["second"] or ""):
            named = {spot for spot, words in _SPOTS if words.match(word)}
            if named:
                spots |= named
                break  # the first word names the spot; else its adjective came first
    return spots


def places_compatible(new: str, new_text: str, old: str, old_text: str) -> bool:
    """Whether the two places can hold one problem, as their words say."""
    a, b = _decode(new), _decode(old)
    if a is None or b is None:
        return False
    low_a, low_b = _lower(new_text), _lower(old_text)
    whole = _BEYOND_FLAT.search(low_a) or _BEYOND_FLAT.search(low_b)
    if bool(_ELSEWHERE.search(low_a)) != bool(_ELSEWHERE.search(low_b)) and not whole:
        return False
    if _differ(_landmarks(low_a), _landmarks(low_b)):
        return False
    flat = LocationKind.APARTMENT
    if a.kind is flat and b.kind is flat and a.number == b.number:
        return True
    if any(k is flat and _OWN_ONLY.search(t) for k, t in ((a.kind, low_a), (b.kind, low_b))):
        return False
    if a.kind is flat and b.kind is flat:
        if _differ(_places(a, low_a)[0], _places(b, low_b)[0]) and not (
            _WHOLE_HOUSE.search(low_a) and _WHOLE_HOUSE.search(low_b)
        ):
            return False  # a riser, or the outage of one entrance, is that entrance's
        said = _BEYOND_FLAT.search(low_a) or _BEYOND_FLAT.search(low_b)
        said = said or _NEIGHBOURS.search(low_a) or _NEIGHBOURS.search(low_b)
        shared = all(_SHARED.search(t) or _BEYOND_FLAT.search(t) for t in (low_a, low_b))
        both = all(_SHARED_SCOPE.search(t) for t in (low_a, low_b))
        return bool(said and shared and both)
    if a.kind is flat or b.kind is flat:
        flat_text, home, area = (low_a, a, b) if a.kind is flat else (low_b, b, a)
        where = _FROM_PLACE.sub(" ", flat_text)
        names_area = area.kind in _AREA_WORDS and bool(_AREA_WORDS[area.kind].search(where))
        if _named_places_differ(a, low_a, b, low_b) or _own_place_unknown(flat_text, home, area):
            return False
        if _entrance_unknown(a, low_a, b, low_b):
            return False
        return names_area or bool(_BEYOND_FLAT.search(flat_text))
    if _named_places_differ(a, low_a, b, low_b) or _entrance_unknown(a, low_a, b, low_b):
        return False
    return a.kind == b.kind or {a.kind, b.kind} <= _ENTRANCE_PLACES


def words_alike(new_text: str, old_text: str, lexicon: Lexicon) -> bool:
    """Whether two descriptions speak of the same thing (half the words of the shorter)."""
    low_a, low_b = _lower(new_text), _lower(old_text)
    for family in _KIND_FAMILIES:
        kinds_a = {i for i, kind in enumerate(family) if kind.search(low_a)}
        kinds_b = {i for i, kind in enumerate(family) if kind.search(low_b)}
        if kinds_a and kinds_b and kinds_a != kinds_b:
            return False  # «грузовой стоит, пассажирский ездит» contrasts two kinds
    if any(bool(kind.search(low_a)) != bool(kind.search(low_b)) for kind in _ONE_SIDED):
        return False
    things_a, things_b = _things(new_text, lexicon), _things(old_text, lexicon)
    if _differ(things_a, things_b):
        return False
    states_a, states_b = _states(new_text, lexicon), _states(old_text, lexicon)
    if _differ(states_a, states_b):
        return False  # «переполнены» is not «сломаны», nor «горит днём» «не горит»
    if _opposite(_said(new_text, lexicon), _said(old_text, lexicon)):
        return False  # «горит днём и ночью» is not «не горит»
    a, b = _stems(new_text, lexicon), _stems(old_text, lexicon)
    if not a or not b:
        return True
    shared = a & b
    if (things_a or things_b) and not shared - _scene(new_text, lexicon):
        return False  # «газовая колонка» and «пахнет газом» share only the gas
    if (things_a or things_b) and not shared - states_a - states_b:
        return False  # «кнопка вызова не работает» and «лифт не работает» share only the fault
    return len(shared) / min(len(a), len(b)) >= 0.5


def same_problem(new: str, new_text: str, old: str, old_text: str, lexicon: Lexicon) -> bool:
    """Whether to offer joining: a compatible place and alike words, each text read in
    the letters of its language."""
    new_text, old_text = lexicon.readable(new_text), lexicon.readable(old_text)
    return places_compatible(new, new_text, old, old_text) and words_alike(
        new_text, old_text, lexicon
    )
