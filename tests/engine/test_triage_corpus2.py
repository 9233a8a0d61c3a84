"""The safety bars on the later corpora, each written independently in other voices.

tests/data/safety2/ (elderly members, non-native English mixed with Spanish, German and
French, voice-to-text errors, fragments, bystanders), safety3/ (the former held-out part of
the same corpus), safety4/ (young Discord regulars; carers and formal letters) and safety5/
(a pain-server's long vents; terse and non-native; plain sentences and bystanders) and safety6/
(self-harm, and harmless messages in its words). The triage
model is trained on them, so these are regression bars; how the triage does on messages it
never saw is measured on tests/data/heldout/. The bars are those of the first corpus
(tests/engine/test_triage_corpus.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.engine import Engine
from bot.insights.evaluation import Case, read_cases

from .test_triage_corpus import MAX_FALSE_ALARMS, MIN_RECALL, rates, report

DATA = Path(__file__).resolve().parents[1] / "data"
KINDS = {"overdose", "child-or-pet", "self-harm", "severe-reaction", "poisoning"}
CORPORA = {
    "safety2": KINDS,
    "safety3": KINDS,
    "safety4": KINDS,
    "safety5": KINDS,
    "safety6": {"self-harm"},  # self-harm only, and harmless messages in its words
    "safety7": KINDS,
    "safety8": KINDS,
    "safety9": KINDS,
    "safety10": KINDS,
    "safety11": KINDS,
    "safety12": KINDS,
    "safety13": KINDS,
    "safety14": KINDS,
    "safety15": KINDS,
    "safety16": KINDS,
    "safety17": KINDS,
    "safety18": KINDS,
    "safety19": KINDS,
}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def outcomes(corpus: str, engine: Engine) -> list[tuple[Case, bool]]:
    cases = [c for path in sorted((DATA / corpus).glob("*.yaml")) for c in read_cases(path)]
    return [(case, engine.ask(case.question).kind == "emergency") for case in cases]


def test_each_corpus_covers_its_kinds(corpus: str, outcomes: list[tuple[Case, bool]]) -> None:
    assert {c.category for c, _ in outcomes if c.kinds == ("emergency",)} == CORPORA[corpus]


def test_recall_per_kind_and_false_alarms(outcomes: list[tuple[Case, bool]]) -> None:
    """Recall per kind; false alarms over all the corpus's non-emergencies (as the issue puts
    the bar: some categories here hold 20 messages, where one alarm is 5%)."""
    table = report(outcomes)
    print(f"\n{table}")
    must_alarm = {c.category for c, _ in outcomes if c.kinds == ("emergency",)}
    for category, (alarms, total) in rates(outcomes).items():
        if category in must_alarm:
            assert alarms / total >= MIN_RECALL, f"{category} recall under the bar\n{table}"
    calm = [alarmed for case, alarmed in outcomes if "emergency" not in case.kinds]
    assert sum(calm) / len(calm) <= MAX_FALSE_ALARMS, f"false alarms\n{table}"
