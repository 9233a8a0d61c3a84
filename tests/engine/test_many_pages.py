"""The engine on a knowledge base of several pages: what changes when drugs share pages."""

from __future__ import annotations

import shutil

import pytest

from bot.engine.engine import Engine
from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge

DRUG = """\
id: {id}
name: {name}
generic_name: {name}
sections:
  usage:
    lead: "Primarily used to treat:"
    items: [{use}]
  side_effects:
    lead: "Common side effects include:"
    items: [{effect}]
  how_it_works:
    text: {name} is an invented medicine used only in tests.
"""

COMBINATION = """\
id: {id}
title: {title}
drugs: [{drugs}]
about: Two separate medicines.
faqs:
  - id: stop-suddenly
    question: Can I stop taking these drugs suddenly?
    answer: No; taper off under supervision ({title}).
"""

INVENTED = [
    ("zorvaline", "Zorvaline", "Depression", "Dry mouth"),
    ("quintorex", "Quintorex", "Seizures (epilepsy)", "Nausea"),
    ("belmacor", "Belmacor", "Insomnia", "Fatigue"),
    ("tralomid", "Tralomid", "Migraines", "Dizziness"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = tmp_path_factory.mktemp("kb") / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), root)
    for drug_id, name, use, effect in INVENTED:
        (root / "drugs" / f"{drug_id}.yaml").write_text(
            DRUG.format(id=drug_id, name=name, use=use, effect=effect)
        )
    (root / "combinations" / "gabapentin-zorvaline.yaml").write_text(
        COMBINATION.format(
            id="gabapentin-zorvaline", title="Gabapentin + Zorvaline", drugs="gabapentin, zorvaline"
        )
    )
    return Engine(load_knowledge(root))


def test_a_drug_in_two_pages_asks_which_page(engine: Engine) -> None:
    reply = engine.ask("can I stop gabapentin suddenly")
    assert reply.kind == "clarify"
    labels = [s.label for s in reply.suggestions]
    assert any("Gabapentin + Amitriptyline" in label for label in labels)
    assert any("Gabapentin + Zorvaline" in label for label in labels)
    picked = engine.ask(reply.suggestions[0].question)
    assert picked.kind == "answer" and picked.topic == "faq"


def test_naming_the_pair_picks_its_page(engine: Engine) -> None:
    reply = engine.ask("can I stop gabapentin and zorvaline suddenly")
    assert reply.entry == "gabapentin-zorvaline#stop-suddenly"


def test_a_pair_without_a_page_is_never_implied_safe(engine: Engine) -> None:
    reply = engine.ask("can I take quintorex and belmacor together")
    assert reply.kind == "fallback"
    assert "Do not assume" in reply.text


def test_a_topic_without_a_drug_asks_for_the_drug_when_there_are_many(engine: Engine) -> None:
    reply = engine.ask("what are the side effects")
    assert reply.kind == "fallback"
    assert "Which medicine" in reply.text


def test_reverse_lists_every_drug_that_lists_the_term(engine: Engine) -> None:
    reply = engine.ask("which drugs cause dry mouth")
    assert "Zorvaline" in reply.text and "Amitriptyline" in reply.text
    assert "Quintorex" not in reply.text


def test_invented_drugs_answer_their_own_sections(engine: Engine) -> None:
    assert engine.ask("tralomid side effects").entry == "tralomid/side_effects"
    assert engine.ask("does quintorex cause nausea").text.startswith("**Quintorex")
    assert engine.ask("quintorexx uses").entry == "quintorex/usage"
