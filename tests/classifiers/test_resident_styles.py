"""Emergencies as residents really write them: hazard wordings the rules name, Russian typed
in Latin letters, and the calm look-alikes (smells, a shower tray, a drainpipe) that stay calm."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifiers import rules
from classifiers.model import load
from classifiers.text import fix_typos, from_latin, normalize


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("снег с крыши сходит глыбами прямо на вход", rules.STRUCTURE),
        ("кирпичи сыплются с парапета на тротуар", rules.STRUCTURE),
        ("на фасаде отошла плитка и вот-вот упадет на людей", rules.STRUCTURE),
        ("потолок провис от воды, вот-вот обвалится", rules.FLOOD),
        ("вода сочится по стенам из квартиры выше, все мокнет", rules.FLOOD),
        ("переполнилась канализация, в туалете нечистоты до порога", rules.SEWAGE),
        ("в подвале дома разлив канализационных стоков, уровень прибывает", rules.SEWAGE),
        ("сток выбивает из унитаза, вся ванная в нечистотах", rules.SEWAGE),
        ("из под раковины хлынула канализация с соседских сливов", rules.SEWAGE),
        ("из под ванны хлынула вода", rules.FLOOD),
        ("в доме отключили тепло, а на улице минус 25", rules.HEATING),
        ("в нашем доме вторые сутки нету тепла ни в одной квартире", rules.HEATING),
        ("Диспетчер! давно смердит газом на всю площадку", rules.GAS),
        ("на кухне запах газа, плита выключена", rules.GAS),
        ("из под пола на кухне бьет горячая вода", rules.FLOOD),
        ("глыба льда съехала с крыши прямо на дорожку", rules.STRUCTURE),
        ("Water dripping through my bathroom ceiling, getting worse", rules.FLOOD),
        ("leak from above getting worse, walls soaked", rules.FLOOD),
        ("a radiator exploded and hot water is everywhere", rules.FLOOD),
        ("the tap broke off the riser and we cannot stop the water", rules.FLOOD),
        ("a pipe exploded and the floor is flooded", rules.FLOOD),
        ("our bathroom is completely flooded", rules.FLOOD),
        ("the radiator pipe has split at the joint", rules.FLOOD),
        ("basement full of water from a broken pipe, it keeps rising", rules.FLOOD),
        ("the basement is flooded with sewage", rules.SEWAGE),
        ("the sewer burst in the basement and it is full of sewage", rules.SEWAGE),
        ("pipe is broken in bathroom, water is going everywhere", rules.FLOOD),
        ("elevator stopped between floors with my kids inside", rules.LIFT),
        ("residents are trapped in the lift and the emergency button does not work", rules.LIFT),
        ("the lift is moving with the doors open", rules.LIFT),
        ("heating switched off for the whole riser during the frost", rules.HEATING),
        ("the wind tore off roof sheets, they are hanging over the yard", rules.STRUCTURE),
        ("snow sliding off the roof in blocks onto the entrance", rules.STRUCTURE),
        ("the socket smells burnt and is hot", rules.FIRE),
        ("radiator is broken and hot water go on the floor", rules.FLOOD),
        ("All building without heating, outside minus 25", rules.HEATING),
        ("the cover of manhole is missing on the road", rules.OUTDOOR),
        ("в лифте человек, лифт не едет, кричит", rules.LIFT),
        # «выпустите» holds «пуст» but says people are inside
        ("застряли в лифте, выпустите нас!", rules.LIFT),
        ("щиток на площадке горит", rules.FIRE),
        ("the flat upstairs is leaking into mine, water dripping from the lamp", rules.FLOOD),
        ("bare wires hanging from the ceiling in the hallway", rules.ELECTRIC),
    ],
)
def test_hazard_wordings_residents_use(text: str, kind: str) -> None:
    assert rules.hazard(normalize(text)) == kind


@pytest.mark.parametrize(
    "text",
    [
        "слив в душевой не уходит, стоит по щиколотку в поддоне",
        "водосточная труба оторвалась и висит, вода хлещет на отмостку",
        "воду из ванной выбивает обратно",
        "RADIATOR IS COLD IN ONE ROOM, BUILDING 45 ENTRANCE 2",
        "the lift button is stuck, nobody can call it",
        "the lift stops between floors without anyone inside and has to be reset",
        "the lift is stuck on the 9th floor and my mother has to climb the stairs",
        "the lift stopped working yesterday, nobody was inside",
        "в доме батарея в ванной холодная",
        "дерево засохло, может упасть",
        "дерево накренилось и вот-вот упадет на дорожку где ходят дети",
        "huge icicles over the front entrance",
        "щиток на площадке не горит, лампочка перегорела",
        "на щитке горит красная лампочка",
    ],
)
def test_calm_look_alikes_are_no_hazard(text: str) -> None:
    assert rules.hazard(normalize(text)) is None


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("u nas net goryachey vody", "у нас нет горячей воды"),
        ("pakhnet gazom v podezde", "пахнет газом в подъезде"),
        ("lift zastryal, vnutri rebenok", "лифт застрял, внутри ребенок"),
        ("s potolka techet voda", "с потолка течет вода"),
        ("iskrit rozetka na kukhne", "искрит розетка на кухне"),
    ],
)
def test_russian_in_latin_letters_is_read_as_russian(latin: str, cyrillic: str) -> None:
    assert normalize(latin) == cyrillic


@pytest.mark.parametrize(
    "text",
    [
        "no hot water in my flat since monday",
        "please send a plumber, the toilet is blocked",
        "in my apartment is not hot water since two days",
        "I smell gas near the meter, what do I do",
    ],
)
def test_english_stays_english(text: str) -> None:
    assert from_latin(text) == text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Pakhnet gazom na ploshchadke!!", rules.GAS),
        ("sosedi sverkhu zalivayut, s potolka techet voda", rules.FLOOD),
        ("v lifte zastryal rebenok", rules.LIFT),
        ("v shchitke iskrit", rules.ELECTRIC),
    ],
)
def test_emergencies_in_latin_letters_are_caught(text: str, kind: str) -> None:
    assert rules.hazard(normalize(text)) == kind


@pytest.mark.parametrize(
    "text",
    [
        "в квартире стоит жуткий запах из канализации, дышать нечем",
        "из раковины запах канализации",
        "sewage smell coming from the basement into the hall",
        "мусорные баки стоят прямо под окнами и воняют",
    ],
)
def test_a_smell_alone_is_no_model_emergency(text: str, small_model: Path) -> None:
    assert rules.smell_only(normalize(text))
    model = load(small_model)
    model.emergency_bias = 50.0  # the emergency model now says yes to everything
    p = model.predict(text)
    assert p.emergency is False and p.hazard is None
    # the same problem without the smell is left to the model
    assert model.predict("канализация засорилась, вода не уходит").emergency is True


def test_sewage_pouring_out_is_no_mere_smell() -> None:
    assert not rules.smell_only(normalize("воняет канализацией, из унитаза льется на пол"))
    assert not rules.smell_only(normalize("sewage smell and it is flooding the basement"))


def test_a_vowel_put_for_another_and_short_words_are_mended() -> None:
    common = {"отопления": 2.0, "застряли": 3.0, "lift": 1.0, "заливает": 1.0}
    assert fix_typos("нет отапления", common) == "нет отопления"
    assert fix_typos("застрали в лфит", common) == "застряли в лфит"
    assert fix_typos("stuck in the lfit", common) == "stuck in the lift"
    # a consonant is never replaced: a real word would become a hazard word
    assert fix_typos("кнопка залипает", common) == "кнопка залипает"
