"""Rendering takes every sentence from messages.yaml: with each message marked, every reply
shows the marks of the messages it used and none of the bundled English."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.engine import decisions as d
from bot.engine.engine import Engine
from bot.knowledge.loading import load_knowledge
from tests.engine.tinykb import write_tiny

BUNDLED_ENGLISH = [
    "Yes:",
    "is among the",
    "Generic name",
    "Brand names",
    "None of",
    "is listed as",
    "which medicines",
    "Common questions",
    "I don't know",
    "Did you mean",
    "the medicines in my knowledge base",
    "taking them together",
]


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The tiny knowledge with each message "X" rewritten as "<name> X"."""
    root = write_tiny(tmp_path_factory.mktemp("marked") / "knowledge")
    path = root / "messages.yaml"
    messages = yaml.safe_load(path.read_text(encoding="utf-8"))
    for name, text in messages.items():
        messages[name] = f"<{name}> " + " ".join(
            w for w in text.split() if "{" in w or w.startswith(",")
        )
    path.write_text(yaml.safe_dump(messages, allow_unicode=True), encoding="utf-8")
    safety_path = root / "safety.yaml"  # the emergency replies, one per kind of danger
    safety = yaml.safe_load(safety_path.read_text(encoding="utf-8"))
    safety["replies"] = {name: f"<{name}> {{numbers}}" for name in safety["replies"]}
    safety_path.write_text(yaml.safe_dump(safety, allow_unicode=True), encoding="utf-8")
    return Engine(load_knowledge(Path(root)))


CASES: list[tuple[d.Decision, list[str]]] = [
    (d.Check("zorvaline", "nausea", "side_effects", ("Nausea",)), ["<listed>"]),
    (d.Check("zorvaline", "dizziness", "side_effects", ()), ["<not_listed>"]),
    (
        d.Reverse("dizziness", "side_effects", ("quintorex",), (("quintorex", "X"),), False),
        ["<reverse_found>", "<reverse_title>"],
    ),
    (
        d.Reverse("nausea", "usage", ("melvasone", "quintorex", "zorvaline"), (), True),
        ["<reverse_none>", "<all_medicines>", "<reverse_title>"],
    ),
    (d.Overview("zorvaline"), ["<generic_name>", "<brand_names>"]),
    (d.Combination("zorvaline-quintorex"), ["<common_questions>"]),
    (d.Clarify((d.DrugChoice("zorvaline"),), 80.0, "zorvalux"), ["<unknown_word>", "<clarify>"]),
    (d.Fallback("unknown_topic", drugs=("zorvaline",)), ["<unknown_topic>", "<can_answer>"]),
    (d.Fallback("unknown_drug", names=("vicodin",)), ["<unknown_drug>", "<combined_clause>"]),
    (d.Fallback("off_topic"), ["<off_topic>", "<can_answer>"]),
    (d.Fallback("no_drug_named", topic="usage"), ["<no_drug_named>"]),
    (
        d.Fallback("unknown_pair", drugs=("melvasone", "zorvaline")),
        ["<unknown_pair>", "<list_and>"],
    ),
    (d.Dosing(("zorvaline",)), ["<dosing>"]),
    (d.Emergency("overdose"), ["<overdose>"]),
    (d.Emergency("child_or_pet", reply="pet"), ["<pet>"]),
]


@pytest.mark.parametrize(("decision", "marks"), CASES, ids=[type(c).__name__ for c, _ in CASES])
def test_every_sentence_comes_from_the_messages(
    marked: Engine, decision: d.Decision, marks: list[str]
) -> None:
    reply = marked.renderer.render(decision)
    for mark in marks:
        assert mark in reply.text
    for english in BUNDLED_ENGLISH:
        assert english not in reply.text
    if reply.kind != "emergency":
        assert reply.text.endswith(marked.knowledge.messages.disclaimer)
