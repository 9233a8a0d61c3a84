"""The triage's learned second opinion: how it joins the rules, and that the shipped model
is the one its training script makes from the current vocabulary.

Small hand-made models show the mechanism (what fires, what is overruled, what is left
alone); the bundled model's quality is measured by the corpus tests and the held-out sets.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.engine.triage.triage import Triage
from bot.knowledge.loading import KnowledgeBase, load_knowledge
from bot.knowledge.triage_model import (
    TriageModelData,
    load_triage_model,
    recorded_fingerprint,
    vocabulary_fingerprint,
    write_triage_model,
)

CLASSES = ("none", "overdose", "child_or_pet", "self_harm", "severe_reaction", "poisoning")


KNOWN = (
    "took",
    "swallowed",
    "gabapentin",
    "this",
    "evening",
    "dinner",
    "home",
    "does",
    "cause",
    "weight",
)
"""Words the hand-made models know (with no weight), so that they may overrule a rule."""


def model(**weights: tuple[float, ...]) -> TriageModelData:
    """A model that says "none" unless a word with weights is there."""
    known = {f"w:{w}": (0.0,) * len(CLASSES) for w in KNOWN}
    return TriageModelData(CLASSES, (4.0, 0, 0, 0, 0, 0), known | dict(weights))


def triage(knowledge: KnowledgeBase, made: TriageModelData | None) -> Triage:
    return Triage(dataclasses.replace(knowledge, triage_model=made))


def test_the_model_calls_an_emergency_the_rules_do_not_see(knowledge: KnowledgeBase) -> None:
    sure = model(**{"w:zorblax": (0, 0, 0, 12.0, 0, 0)})
    assessment = triage(knowledge, sure).assess("zorblax tonight")
    assert assessment.level == "emergency"
    assert assessment.kind == "self_harm"
    assert assessment.signals[-1] == "model 1.00"  # explained, with its confidence
    assert triage(knowledge, None).assess("zorblax tonight").level is None


def test_the_model_overrules_a_rule_it_finds_very_unlikely(knowledge: KnowledgeBase) -> None:
    message = "swallowed 30 gabapentin at home this evening with dinner"
    assert triage(knowledge, None).assess(message).level == "emergency"
    assert triage(knowledge, model()).assess(message).level != "emergency"
    doubtful = model(**{"w:swallowed": (0, 4.0, 0, 0, 0, 0)})  # one in two: the rule stands
    assert triage(knowledge, doubtful).assess(message).level == "emergency"


def test_a_short_message_is_too_little_to_overrule_a_rule(knowledge: KnowledgeBase) -> None:
    assert triage(knowledge, model()).assess("took 30 gabapentin just now").level == "emergency"


def test_a_sentence_that_alone_looks_like_an_emergency_keeps_the_rule(
    knowledge: KnowledgeBase,
) -> None:
    question = "does gabapentin cause weight gain, asking for my mum? i cant breathe"
    alone = model(**{"b:cant_breathe": (-4.0, 0, 0, 0, 0, 0), "w:gain": (6.0, 0, 0, 0, 0, 0)})
    assert triage(knowledge, alone).assess(question).level == "emergency"


def test_the_model_calls_no_emergency_of_its_own_where_the_person_says_it_is_not_meant(
    knowledge: KnowledgeBase,
) -> None:
    sure = model(**{"w:zorblax": (0, 0, 0, 12.0, 0, 0)})
    assert triage(knowledge, sure).assess("zorblax tonight (figuratively)").level is None


def test_the_model_never_overrules_a_rule_built_on_a_trusted_signal(
    knowledge: KnowledgeBase,
) -> None:
    goodbye = "goodbye everyone, this is my last message to all of you here"
    assert triage(knowledge, model()).assess(goodbye).level == "emergency"


@pytest.mark.parametrize(
    ("question", "level"),
    [
        ("what are the signs of an amitriptyline overdose", "guidance"),
        ("what is the right amount of amitriptyline to take", "dosing"),
    ],
)
def test_the_model_leaves_questions_about_danger_and_doses_to_the_rules_unless_very_sure(
    knowledge: KnowledgeBase, question: str, level: str
) -> None:
    fairly_sure = model(**{"w:amitriptyline": (0, 5.4, 0, 0, 0, 0)})  # 0.8: over "fire"
    assert triage(knowledge, fairly_sure).assess(question).level == level
    very_sure = model(**{"w:amitriptyline": (0, 12.0, 0, 0, 0, 0)})  # over "sure"
    assert triage(knowledge, very_sure).assess(question).level == "emergency"


def test_the_models_emergency_gets_the_reply_its_signals_call_for(
    knowledge: KnowledgeBase,
) -> None:
    pet = model(**{"w:zorblax": (0, 0, 12.0, 0, 0, 0)})
    assert triage(knowledge, pet).assess("my dog zorblax").reply == "pet"
    assert triage(knowledge, pet).assess("my toddler zorblax").reply == "child"


def test_without_a_model_setting_the_rules_decide_alone(knowledge: KnowledgeBase) -> None:
    sure = model(**{"w:zorblax": (0, 0, 0, 12.0, 0, 0)})
    safety = knowledge.safety.model_copy(update={"model": None})
    plain = Triage(dataclasses.replace(knowledge, triage_model=sure, safety=safety))
    assert plain.assess("zorblax tonight").level is None


def test_the_bundled_model_is_trained_on_the_current_vocabulary(knowledge: KnowledgeBase) -> None:
    """Its features include the signals safety.yaml finds: a changed vocabulary reads
    messages differently, so retrain (scripts/train_triage_model.py) after changing it."""
    assert knowledge.triage_model is not None
    recorded = recorded_fingerprint(knowledge.root / "safety-model.tsv")
    assert recorded == vocabulary_fingerprint(knowledge.safety)


def test_the_training_script_writes_a_model_the_knowledge_loads(
    knowledge: KnowledgeBase, tmp_path: Path
) -> None:
    from scripts.train_triage_model import main

    cases = tmp_path / "cases.yaml"
    lines = [
        '- {cat: overdose, q: "took 40 pills an hour ago", kind: [emergency]}',
        '- {cat: overdose, q: "swallowed the whole bottle just now", kind: [emergency]}',
        '- {cat: self-harm, q: "i want to die tonight", kind: [emergency]}',
        '- {cat: self-harm, q: "goodbye everyone for good", kind: [emergency]}',
        '- {cat: child-or-pet, q: "my toddler ate my pills", kind: [emergency]}',
        '- {cat: child-or-pet, q: "the dog chewed the pill bottle", kind: [emergency]}',
        '- {cat: severe-reaction, q: "his lips are blue, not breathing", kind: [emergency]}',
        '- {cat: severe-reaction, q: "her throat is swelling shut", kind: [emergency]}',
        '- {cat: poisoning, q: "my son drank bleach", kind: [emergency]}',
        '- {cat: poisoning, q: "i took my wifes pills by mistake", kind: [emergency]}',
        '- {cat: ordinary, q: "does gabapentin cause weight gain", kind: [answer]}',
        '- {cat: ordinary, q: "what is amitriptyline used for", kind: [answer]}',
    ]
    cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "safety-model.tsv"
    assert main(["--knowledge", str(knowledge.root), "--out", str(out), str(cases)]) == 0
    problems: list[object] = []
    loaded = load_triage_model(out, ("overdose", "self_harm"), problems)  # type: ignore[arg-type]
    assert not problems and loaded is not None
    assert set(loaded.classes) == set(CLASSES)


def test_leaving_one_out_groups_the_sets_by_writer() -> None:
    from scripts.train_triage_model import writer

    data = Path("tests/data")
    assert writer(data / "safety5" / "c-emergencies.yaml") == "safety5/c"
    assert writer(data / "safety5" / "c-non_emergencies.yaml") == "safety5/c"
    assert writer(data / "safety2" / "emergencies.yaml") == "safety2"
    assert writer(data / "safety2" / "non_emergencies.yaml") == "safety2"
    assert writer(data / "eval" / "bundled.yaml") == "base"


def test_the_training_script_refuses_the_held_out_sets(
    knowledge: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scripts.train_triage_model as training

    monkeypatch.setattr(training, "HELD_OUT", tmp_path)
    held_out = tmp_path / "round9" / "safety.yaml"
    held_out.parent.mkdir()
    held_out.write_text("- {q: x, kind: [emergency]}\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="held-out"):
        training.main(["--knowledge", str(knowledge.root), "--out", "/dev/null", str(held_out)])


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("intercept\t1\n", "'classes' row"),
        ("classes\tnone\toverdose\nintercept\t1\t2\n", "classes lack"),
        ("classes\tnone\tself_harm\nintercept\t1\t2\nw:x\t1\tabc\n", "expected 2 numbers"),
    ],
)
def test_a_broken_model_file_is_named_with_its_line(
    tmp_path: Path, text: str, complaint: str
) -> None:
    path = tmp_path / "safety-model.tsv"
    path.write_text(text, encoding="utf-8")
    problems: list[object] = []
    assert load_triage_model(path, ("self_harm",), problems) is None  # type: ignore[arg-type]
    assert complaint in str(problems[0])


def test_a_knowledge_directory_loads_a_written_model(
    knowledge: KnowledgeBase, tmp_path: Path
) -> None:
    made = model(**{"w:zorblax": (0, 0, 0, 12.0, 0, 0)})
    write_triage_model(tmp_path / "m.tsv", made, ["a comment"])
    problems: list[object] = []
    loaded = load_triage_model(tmp_path / "m.tsv", ("self_harm",), problems)  # type: ignore[arg-type]
    assert loaded == made
    assert load_knowledge(knowledge.root).triage_model is not None
