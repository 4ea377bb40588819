"""Whether a new message and an open request of the same building and type are one problem."""

from __future__ import annotations

import pytest

from bot.field_words import load_field_words
from core.duplicates import places_compatible, same_problem, words_alike

WORDS = load_field_words()


@pytest.mark.parametrize(
    ("new", "new_text", "old", "old_text"),
    [
        ("apartment:30", "не работает розетка в комнате", "stairwell", "не горит свет на лестнице"),
        ("apartment:12", "течёт кран на кухне", "apartment:30", "кран на кухне подтекает"),
        ("entrance:3", "не горит свет", "entrance:1", "не горит свет"),
        ("elevator;entrance:2", "лифт не работает", "elevator;entrance:3", "лифт не работает"),
        ("basement", "не горит свет", "stairwell;entrance:1", "не горит свет"),
        ("apartment:5", "пахнет газом на кухне", "stairwell;entrance:1", "запах газа"),
        ("not a place", "нет воды", "apartment:1", "нет воды"),
        # Two flats: a problem of one flat until a text says it goes beyond it.
        ("apartment:12", "нет горячей воды", "apartment:40", "нет горячей воды"),
        ("apartment:17", "протекает стояк в туалете", "apartment:57", "протекает стояк"),
        ("apartment:18", "тараканы у соседей тоже", "apartment:22", "тараканы"),
        # A supply both lack joins two flats only when both speak of more than one flat.
        ("apartment:12", "нет горячей воды во всём доме", "apartment:30", "нет горячей воды"),
        ("apartment:100", "нет отопления", "apartment:101", "нет отопления, у соседей тоже"),
        ("apartment:64", "у всего стояка холодно", "apartment:68", "холодные батареи"),
        # Different floors or entrances, in the place or in the words.
        ("entrance:3;floor:5", "на площадке мусор", "entrance:3;floor:9", "мусор"),
        ("yard", "во дворе яма у 1 подъезда", "yard", "яма у четвёртого подъезда"),
        (
            "elevator;entrance:2",
            "не открывает двери на 8 этаже",
            "elevator;entrance:2",
            "на 3 этаже",
        ),
        # A lift of a known entrance and one of an unknown entrance.
        ("elevator", "лифт не работает", "elevator;entrance:1", "лифт стоит"),
        (
            "apartment:30",
            "кв 30, 2 подъезд, не горит свет",
            "stairwell;entrance:2",
            "не горит свет",
        ),
        # A flat's own entrance and floor decide, even when its words name the area.
        (
            "apartment:20;entrance:1;floor:5",
            "с крыши капает к нам на кухню",
            "roof;entrance:3",
            "течёт кровля над 3 подъездом",
        ),
        ("apartment:41;entrance:2", "на лестнице у нас темно", "stairwell;entrance:4", "темно"),
        ("apartment:9;entrance:2", "лифт не едет", "elevator;entrance:1", "лифт стоит"),
        (
            "apartment:41;entrance:2;floor:6",
            "на площадке у нас не горит свет",
            "stairwell;entrance:2;floor:2",
            "на площадке темно",
        ),
        # "Our floor" of a flat whose floor is unknown may be another floor.
        ("apartment:30", "на площадке нашего этажа темно", "entrance:1;floor:8", "темно"),
        # Words that place the problem in another entrance or house.
        ("entrance:1", "в подъезде не горит свет", "entrance:1", "в соседнем подъезде темно"),
        # The whole entrance's or house's outage and one floor's fault.
        ("entrance:2;floor:3", "нет света во всём подъезде", "entrance:2;floor:7", "нет света"),
        (
            "stairwell;entrance:2",
            "на 5 этаже перегорела лампочка",
            "stairwell;entrance:2",
            "в подъезде темно, на всех этажах нет света",
        ),
        # A text saying the fault is its flat's own: the neighbours or the entrance have it.
        (
            "apartment:12",
            "нет горячей воды, у соседей есть",
            "apartment:120",
            "нет горячей воды во всём доме",
        ),
        ("apartment:71", "нет света в квартире, в подъезде свет есть", "entrance:2", "нет света"),
        (
            "apartment:5",
            "нет света только у нас, по стояку у всех есть",
            "apartment:7",
            "нет света по всему стояку",
        ),
        (
            "apartment:5",
            "свет горит у соседей, а у нас по стояку нет",
            "apartment:8",
            "нет света по стояку, у соседей тоже",
        ),
        (
            "apartment:5",
            "в соседних квартирах вода есть, у нас по стояку нет",
            "apartment:8",
            "нет воды по стояку, у соседей тоже",
        ),
        # Two flats of different entrances share a riser or an entrance's outage only
        # when both speak of the whole house.
        (
            "apartment:61;entrance:2",
            "по стояку нет горячей воды",
            "apartment:141;entrance:4",
            "нет горячей воды по стояку, у соседей тоже",
        ),
        (
            "apartment:20",
            "засор стояка, у всех по стояку в 1 подъезде",
            "apartment:60",
            "засор стояка во 2 подъезде, у соседей тоже",
        ),
        # A lift of an entrance unknown on either side may be another entrance's.
        ("elevator", "лифт застревает", "elevator", "лифт застревает"),
        ("apartment:44", "лифт не работает", "elevator;entrance:2", "лифт стоит"),
        # Ordinals in every case.
        ("roof", "течёт крыша над третьим подъездом", "roof", "течёт крыша над вторым подъездом"),
        ("yard", "яма у третьей парадной", "yard", "яма у первой парадной"),
        # An entrance of no floor that lacks a supply is the whole entrance, not one floor.
        ("entrance:3", "в третьем подъезде темно", "entrance:3;floor:7", "не горит лампа"),
        (
            "stairwell;entrance:1",
            "в подъезде холодно",
            "stairwell;entrance:1;floor:4",
            "холодная батарея на площадке",
        ),
        # One kind of thing at two named spots of one area.
        ("yard", "не горит фонарь у гаражей", "yard", "фонарь возле шлагбаума не горит"),
        ("yard", "яма около детской площадки", "yard", "яма перед подъездом"),
        # A flat's problem that only comes from an area is the flat's.
        ("apartment:8", "мыши бегают по квартире, лезут из подвала", "basement", "мыши"),
        ("apartment:8", "mice in our flat, they come from the basement", "basement", "mice"),
    ],
)
def test_places_that_never_share_a_problem(
    new: str, new_text: str, old: str, old_text: str
) -> None:
    assert not places_compatible(new, new_text, old, old_text)


@pytest.mark.parametrize(
    ("new", "new_text", "old", "old_text"),
    [
        ("apartment:12", "течёт кран", "apartment:12", "кран подтекает"),
        (
            "apartment:12",
            "нет горячей воды во всём доме",
            "apartment:30",
            "нет горячей воды, у соседей тоже",
        ),
        ("apartment:100", "нет отопления по стояку", "apartment:101", "нет отопления, у всех"),
        ("apartment:64", "у всего стояка холодно", "apartment:68", "холодный стояк"),
        ("apartment:9", "газом пахнет во всём подъезде", "entrance:1", "пахнет газом"),
        ("apartment:40", "дверь не открывается ни у кого", "entrance:2", "дверь"),
        ("entrance:3;floor:5", "мусор", "entrance:3;floor:5", "на 5 этаже мусор"),
        ("apartment:7;floor:2", "нет света во всём доме", "basement", "весь дом без света"),
        ("elevator", "лифт в первом подъезде стоит", "elevator;entrance:1", "лифт стоит"),
        ("apartment:5", "во всём доме нет света", "stairwell", "весь дом без света"),
        (
            "apartment:9;entrance:2",
            "нет воды во всём доме",
            "apartment:70;entrance:4",
            "по всему дому нет воды",
        ),
        ("apartment:12", "течёт кран, у соседей есть вода", "apartment:12", "течёт кран"),
        (
            "apartment:5",
            "нет воды по стояку, у соседей есть такая же проблема",
            "apartment:8",
            "нет воды по стояку, у соседей тоже",
        ),
        # The whole house or entrance in the words of its every case.
        (
            "apartment:40",
            "нет горячей воды, у всего дома нет",
            "apartment:140",
            "по всему дому нет",
        ),
        ("apartment:150", "у всего четвёртого подъезда холодно", "entrance:4", "холодно"),
        (
            "apartment:12",
            "всем в доме начислили дважды",
            "apartment:77",
            "у всех двойное начисление",
        ),
        ("entrance:2", "не горит свет", "stairwell;entrance:2", "не горит свет"),
        (
            "apartment:41;entrance:2;floor:6",
            "на нашей площадке не горит свет",
            "stairwell;entrance:2;floor:6",
            "на площадке темно",
        ),
        ("apartment:9;entrance:1", "лифт не едет", "elevator;entrance:1", "лифт стоит"),
        ("entrance:2", "в подъезде холодно", "entrance:2", "батареи в подъезде холодные"),
        ("yard", "фонарь у гаражей не горит", "yard", "возле гаража темно"),
        ("apartment:3", "в подвале крысы, их видели во всём подъезде", "basement", "крысы"),
    ],
)
def test_places_that_may_share_a_problem(new: str, new_text: str, old: str, old_text: str) -> None:
    assert places_compatible(new, new_text, old, old_text)


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [
        ("лифт не работает", "лифт стоит не едет", True),
        ("в лифте не горит свет", "лифт не едет", False),
        ("нет холодной воды", "нет горячей воды", False),
        ("слабый напор воды", "очень слабый напор холодной воды", True),
        ("двери лифта не закрываются", "не работает лифт совсем", False),
        # Synonyms of the field and word forms.
        ("течёт крыша", "протекает кровля", True),
        ("нет света", "не горит лампа", True),
        ("батарея холодная", "не греет радиатор", True),
        ("подвал затопило", "в подвале потоп", True),
        ("трубка домофона не звонит", "домофонная трубка молчит", True),
        ("во всём доме нет света", "во всем доме отключили электричество", True),
        # Kinds of one type's problem that exclude each other.
        ("ржавая вода из крана", "нет горячей воды", False),
        ("нет холодной воды", "нет горячей воды", False),
        ("батареи холодные", "батареи очень горячие", False),
        ("течёт крыша", "снег на крыше", False),
        ("слабый напор холодной воды", "нет холодной воды вообще", False),
        ("течёт батарея", "батарея холодная", False),
        ("полотенцесушитель не греет", "полотенцесушитель холодный", True),
        ("засор на кухне", "засор в унитазе", False),
        ("течёт батарея в спальне", "течёт батарея на кухне", False),
        ("грузовой лифт не работает", "пассажирский лифт не работает", False),
        ("большой лифт стоит", "не работает грузовой лифт", True),
        ("открытый люк во дворе", "из люка течёт канализация", False),
        ("квитанция не пришла", "ошибка в квитанции", False),
        ("вода ржавая из крана", "из крана течёт рыжая вода", True),
        # Different things, however alike their faults.
        ("не работает звонок в квартиру", "не работает розетка", False),
        ("течёт бачок унитаза", "течёт смеситель", False),
        ("на детской площадке сломаны качели", "сломана горка", False),
        ("в подъезде не моют окна", "не моют полы, грязь", False),
        # A supply shared by different things is no common thing.
        ("не работает газовая колонка", "пахнет газом", False),
        ("канализационный люк без крышки", "во дворе воняет канализацией", False),
        ("мусорный контейнер сломан", "мусор не вывозят", False),
        ("мусор не вывозят", "переполнены мусорные баки", True),
        ("контейнеры переполнены", "мусор не вывозят", True),
        ("засор канализации в ванной", "в ванной засор, канализация не уходит", True),
        # Durations are no part of the problem; groups of smells, ice, shutting.
        ("мусор не вывозят неделю", "мусор не вывозят третий день", True),
        ("течёт крыша после дождя", "протекает кровля", True),
        ("в лифте воняет", "в кабине лифта ужасный запах", True),
        ("у подъезда гололёд", "скользко у входа", True),
        ("не закрывается входная дверь", "дверь подъезда не захлопывается", True),
        # More kinds of one thing's fault that exclude each other.
        ("батареи раскалённые, жарко", "батареи еле тёплые", False),
        ("гудят трубы в ванной", "течёт труба в ванной", False),
        ("капает из-под раковины", "подтекает смеситель на раковине", False),
        ("лужа под ванной, капает", "под ванной течёт", True),
        ("кран сломан, не поворачивается", "кран подтекает", False),
        ("засорилась раковина", "подтекает раковина", False),
        ("запах газа в подъезде", "в подъезде нет газа", False),
        ("плита не зажигается", "от плиты пахнет газом", False),
        ("выбито стекло в двери подъезда", "дверь подъезда не закрывается", False),
        ("дверь не открывается ключом", "дверь не захлопывается", False),
        ("домофон не звонит в квартиру", "домофон не открывает дверь", False),
        ("на лестнице мигает лампа", "на лестнице темно, лампа не горит", False),
        ("ветка упала на машину", "ветка может упасть", False),
        ("не закрывается тамбурная дверь на этаже", "входная дверь подъезда не закрывается", False),
        ("дверь тамбура не закрывается", "на этаже не закрывается тамбур", True),
        ("сломана ручка на двери подъезда", "домофон не работает, дверь не открыть", False),
        ("замок на двери подвала сломан", "сломана ручка подвальной двери", False),
        ("домофон не работает, ключ не открывает", "сломан домофон, дверь не открывается", True),
        ("контейнеры переполнены", "не вывозят крупногабаритный мусор", False),
        ("не вывозят крупногабаритный мусор", "у баков стоит крупногабарит, не вывозят", True),
        # Words of one meaning, Russian or English, and phrases saying what one word says.
        ("лифт не работает", "the lift is out of order", True),
        ("the entrance door intercom is dead", "домофон на входе не работает", True),
        ("no electricity in the entire building", "электричества нет по всему дому", True),
        ("подвал затопило", "в подвале вода стоит по щиколотку", True),
        ("в подвале воды по колено", "подвал затоплен", True),
        ("батареи холодные во всём подъезде", "нет отопления в подъезде", True),
        ("the radiators are cold in the whole house", "отопление не работает во всём доме", True),
        ("засор в ванной", "не уходит вода в ванне", True),
        ("разбито стекло в двери", "в двери выбито стекло", True),
        ("сосульки свисают над входом", "над входом висят сосульки", True),
        ("сломаны качели", "оторваны качели", True),
        ("не вывозят старый диван", "лежит старая мебель, не вывозят", True),
        ("на парковке яма", "выбоина на парковке", True),
        ("слабый напор холодной воды", "слабое давление холодной воды", True),
        ("раковина на кухне засорилась", "засор в кухонной мойке", True),
        ("скамейка у подъезда сломана", "лавочка у подъезда сломана", True),
        ("на парковке брошенная машина", "на парковке брошенный автомобиль", True),
        ("не работает водомер", "сломался счётчик воды", True),
        ("в щитке искрит", "искрит электрощиток", True),
        ("течёт кран на кухне", "капает смеситель на кухне", True),
        ("течёт вентиль на стояке", "течёт смеситель", False),
        ("вода еле течёт", "слабый напор воды", True),
        ("в подвале вода", "подвал затопило", True),
        ("в подвале вода течёт из трубы", "подвал затопило", False),
        ("нет отопления", "батарея течёт", False),
        ("в ванной стоит вода", "в подвале вода стоит", False),
        # A text that names two kinds of one family contrasts them.
        ("грузовой лифт не работает, пассажирский ездит", "пассажирский лифт не работает", False),
        ("мигает свет в коридоре", "свет моргает", True),
        ("the bulb burnt out in the kitchen", "light flickers in the kitchen", False),
        ("упало дерево на дорогу", "дерево рухнуло во дворе", True),
        # An emergency never joins an ordinary fault, nor a request for work a fault, nor
        # a meter the supply it counts.
        ("лифт не работает, внутри застряли люди", "лифт не работает", False),
        ("розетка искрит и не работает", "не работает розетка", False),
        ("лифт не едет, внутри ребёнок", "лифт не едет", False),
        ("в мусоропроводе дым", "мусоропровод не чистят", False),
        ("дым в подъезде, что-то горит", "в подъезде сильный дым", True),
        ("нужно заменить старый радиатор", "радиатор не греет", False),
        ("поменяйте кран, течёт", "кран течёт", False),
        ("потеряли ключ от домофона, нужен новый", "ключ от домофона не работает", False),
        ("счётчик горячей воды не крутится", "нет горячей воды", False),
        # Two texts that both say what is wrong share a state: a denied word or a bare
        # «нет» says a thing does not work, words of one state are one.
        ("баки переполнены", "баки сломаны", False),
        ("фонарь горит днём", "не горит фонарь", False),
        ("клапан мусоропровода не закрывается", "засорился мусоропровод", False),
        ("кран не закрывается", "кран капает", False),
        ("не горит фонарь", "фонарь не работает", True),
        ("нет света в подвале", "в подвале не горит свет", True),
        ("лампочка перегорела", "лампочка не горит", True),
        ("трубка домофона не звонит", "трубка домофона молчит", True),
        ("в подвале завелись крысы", "крысы бегают по подвалу", True),
        ("мигает свет", "свет моргает", True),
        ("light is not working", "the light does not work", True),
        # Opposite states of one thing: on and off, too hot and barely warm.
        ("свет на лестнице не выключается, горит круглосуточно", "не горит свет", False),
        ("лампа горит и днём и ночью", "лампа не горит", False),
        ("the lamp stays on all day", "the lamp is dark", False),
        ("свет в подъезде не выключается", "в подъезде темно", False),
        ("вентилятор в ванной крутится без остановки", "вентилятор в ванной не крутится", False),
        ("вентилятор крутится", "вентилятор крутится постоянно", True),
        ("батареи очень горячие", "батареи еле тёплые", False),
        ("батареи горячие, дышать нечем", "батареи еле тёплые", False),
        ("радиаторы раскалённые, жарко", "батареи слишком горячие", True),
        ("качели сломаны", "качели оборваны", True),
        # A door or hatch not locked, or of a broken or missing lock, is open.
        ("люк на крышу открыт", "люк на крышу не заперт, замка нет", True),
        ("дверь в подвал открыта", "сломан замок на двери в подвал", True),
        ("дверь в подвал открыта", "дверь в подвал не закрывается, доводчик сломан", False),
        # What is broken is shared, not only the fault: a part against the whole, a
        # thing against a supply.
        ("на 7 этаже не работает кнопка вызова лифта", "лифт не работает совсем", False),
        ("во дворе не убран снег", "во дворе не убирают", False),
    ],
)
def test_words_alike(a: str, b: str, alike: bool) -> None:
    assert words_alike(a, b, WORDS) is alike
    assert words_alike(b, a, WORDS) is alike


def test_russian_in_latin_letters_is_read_in_cyrillic() -> None:
    assert same_problem(
        "apartment:121;entrance:4",
        "u nas net vody vo vsem dome",
        "apartment:5;entrance:1",
        "нет воды во всём доме",
        WORDS,
    )
    assert same_problem(
        "elevator;entrance:2",
        "lift v 2 podezde ne edet",
        "elevator;entrance:2",
        "лифт во втором подъезде не работает",
        WORDS,
    )
    assert not same_problem(
        "elevator;entrance:2",
        "lift v 2 podezde ne edet",
        "elevator;entrance:2",
        "в лифте 2 подьезда не горит свет",
        WORDS,
    )


def test_same_problem_needs_both_the_place_and_the_words() -> None:
    hot = "нет горячей воды во всём доме"
    assert same_problem("apartment:12", hot, "apartment:30", hot, WORDS)
    assert not same_problem("apartment:12", hot, "apartment:30", "нет холодной воды", WORDS)
    assert not same_problem("apartment:12", "нет горячей воды", "roof", "нет горячей воды", WORDS)
