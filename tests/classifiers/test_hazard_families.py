"""Each family of hazard wordings and each calm look-alike, in wordings of its own: a rule
that stops covering its family, or an exception that stops holding a look-alike back,
fails here."""

from __future__ import annotations

import pytest

from classifiers import rules
from classifiers.api import DEFAULT_MODEL_PATH
from classifiers.model import load
from classifiers.text import normalize


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # sewage running or standing in a basement
        ("в подвале нашего дома текут фекалии, воняет на весь подъезд", rules.SEWAGE),
        ("подвал залит стоками, они уже поднялись до ступенек", rules.SEWAGE),
        ("raw sewage is rising in the basement of block 4", rules.SEWAGE),
        # no heating told by the people who live there, or asked after days without it
        ("во всём подъезде дети мёрзнут, спим в пуховиках", rules.HEATING),
        ("когда включат отопление во всём доме? третий день сидим без тепла", rules.HEATING),
        # an open door named beside the heating gone does not hide it
        ("дверь подъезда не закрывается, а ещё во всём доме отключили отопление", rules.HEATING),
        # a person shut in a lift, in other words than «застрял»
        ("бабушку заперло в лифте на пятом этаже", rules.LIFT),
        ("в лифте закрылась девочка, ревёт", rules.LIFT),
        ("лифт стоит, она там уже полчаса, помогите", rules.LIFT),
        ("my son got locked in the elevator on the way up", rules.LIFT),
        # a well or a manhole without its cover
        ("колодец у школы без крышки, дети бегают рядом", rules.OUTDOOR),
        # water reaching wiring or a light fitting
        ("вода капает прямо на проводку в коридоре", rules.FLOOD),
        ("water is running onto the switchboard on our landing", rules.FLOOD),
        # a shout that water is coming, nothing small named
        ("Льёт!!! помогите, кв 15", rules.FLOOD),
        ("СРОЧНО ТЕЧЁТ, 3 подъезд 40 кв", rules.FLOOD),
        # gas heard rather than smelt
        ("there is a loud hiss from behind the gas meter", rules.GAS),
        # a flood under way whose start is told in minutes or hours
        ("залило час назад, вода всё ещё бежит по стене", rules.FLOOD),
        # a ceiling drip that is getting worse is no slow drip
        ("с потолка капает в ведро, но всё сильнее и сильнее", rules.FLOOD),
    ],
)
def test_each_hazard_family_is_named(text: str, kind: str) -> None:
    assert rules.hazard(normalize(text)) == kind


@pytest.mark.parametrize(
    "text",
    [
        # the past: a flood days ago, dried up
        "соседи залили три недели назад, сейчас всё высохло, нужен ремонт",
        # a slow drip, or one caught in a basin
        "с потолка в ванной капает понемногу, подставили таз",
        "water from the ceiling is dripping slowly into a bowl",
        # a sewer pipe dripping in a basement is a leak, not sewage standing there
        "в подвале капает канализационная труба, под ней лужица",
        "smell of sewage coming up from the basement",
        "из подвала несёт нечистотами, но не течёт",
        "в подвале стоят стоки, вонь по всему подъезду",
        # the season's question, with no outage lasting
        "когда включат отопление во всём доме? на улице уже холодно",
        # a stairwell chilled by a door that will not shut
        "во всём подъезде холодно, мёрзнем, потому что входная дверь не закрывается",
        "входная дверь третий день открыта настежь, все трубы в подъезде мёрзнут",
        # icicles and snow still hanging (an emergency once something falls), a lift closed
        # for repair, a lift that keeps sticking with nobody in it
        "над входом висят сосульки, собейте",
        "над входом в подъезд нависла снежная шапка с крыши, угроза людям",
        "лифт застревает между этажами, ребят, сделайте что-нибудь",
        # a long letter with a gutter pouring onto the porch among other things
        "кнопка вызова лифта не работает всю ночь, а ещё с водостока льёт на крыльцо, "
        "прошу срочно прислать кого-нибудь",
        "лифт закрыли на ремонт до пятницы",
        "the gas hissed a little when I lit the burner",
        # a hatch to the loft
        "колодец люка на чердак открыт настежь",
    ],
)
def test_calm_look_alikes_are_no_hazard(text: str) -> None:
    assert rules.hazard(normalize(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "с потолка в ванной капает понемногу, подставили таз",
        "the roof leaks a little into a bucket upstairs",
        "на потолке остались разводы от давнего залива, нужен акт",
        "a dry stain on the ceiling from last year's leak",
        "в лифте пахнет мочой",
        "the stairwell smells of cat pee",
        "из колодца у гаражей сочатся стоки на газон",
        "sewage is seeping out of a well onto the road behind the shop",
    ],
)
def test_calm_look_alikes_are_kept_from_the_model(text: str) -> None:
    assert rules.calm_look_alike(normalize(text))


@pytest.mark.parametrize(
    "text",
    [
        "под ванной течёт вода, уже на полу",
        "с потолка капает всё сильнее, тазик набрался за полчаса",
        "пятно на потолке растёт, течёт по стене",
        # a Friday or fifteen is no stain, a lid is no roof
        "во всём доме нет отопления с прошлой пятницы",
        "у всех по стояку ледяные батареи, дома плюс пятнадцать",
        "крышка мусоропровода сломана, а в ванной капает с потолка",
    ],
)
def test_water_under_way_is_no_look_alike(text: str) -> None:
    assert not rules.calm_look_alike(normalize(text))


def test_the_model_alone_raises_no_calm_look_alike() -> None:
    model = load(DEFAULT_MODEL_PATH)
    model.emergency_bias = 50.0  # the emergency model now says yes to everything
    for text in (
        "с потолка в ванной капает понемногу, подставили таз",
        "на потолке старое пятно от залива, сейчас сухо",
        "на лестнице воняет мочой",
        "из колодца во дворе на газон сочатся стоки",
    ):
        assert model.predict(text).emergency is False
    assert model.predict("под ванной течёт вода").emergency is True


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a leak named as such, even with no smell yet
        ("есть утечка газа у счётчика, хотя запаха почти нет", rules.GAS),
        ("газ утекает из шланга плиты", rules.GAS),
        ("there's a gas leak near the meter", rules.GAS),
        ("I can smell gas in the hallway", rules.GAS),
        # water through a light fitting, a burst, knee-deep water, a ceiling leak spreading
        ("через люстру сочится вода", rules.FLOOD),
        ("в ванной лопнула труба", rules.FLOOD),
        ("в подвале воды по колено", rules.FLOOD),
        ("потолок на кухне протекает, на полу уже лужа", rules.FLOOD),
        ("опять течёт от соседей сверху", rules.FLOOD),
        ("по лестнице бежит вода ручьём", rules.FLOOD),
        # a lift moving with open doors, people in a stopped car
        ("лифт ездит с открытыми дверями", rules.LIFT),
        ("the elevator has passengers inside and will not move", rules.LIFT),
        # smoke, a burnt smell, fire, a bin burning
        ("в подъезде задымление", rules.FIRE),
        ("из розетки пахнет палёным", rules.FIRE),
        ("на балконе у соседей возгорание", rules.FIRE),
        ("горит мусорный бак у подъезда", rules.FIRE),
        ("smoke is pouring out of the basement", rules.FIRE),
        # bare wires, a crackling switchboard
        ("на площадке оголённый провод торчит из стены", rules.ELECTRIC),
        ("щиток на этаже трещит", rules.ELECTRIC),
        # pieces of the building coming down
        ("с дома падают куски", rules.STRUCTURE),
        ("bits of the balcony slab keep falling", rules.STRUCTURE),
        # a tree down in the yard or on the wires
        ("на детскую площадку рухнула берёза", rules.OUTDOOR),
        ("после урагана дерево лежит на проводах", rules.OUTDOOR),
    ],
)
def test_every_older_rule_has_a_wording_of_its_own(text: str, kind: str) -> None:
    assert rules.hazard(normalize(text)) == kind
