"""The safety bars on a second corpus, written independently in other voices.

tests/data/safety2/ holds the development part of a corpus written by someone who never saw
the vocabulary: elderly members, non-native English mixed with Spanish, German and French,
voice-to-text errors ("gaba pen tin"), telegraphic fragments, bystanders, emergencies told
across sentences, indirect self-harm. Its held-out part is kept outside the repository. The
bars are those of the first corpus (tests/engine/test_triage_corpus.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.engine import Engine
from bot.insights.evaluation import Case, read_cases

from .test_triage_corpus import MAX_FALSE_ALARMS, MIN_RECALL, rates, report

DATA = Path(__file__).resolve().parents[1] / "data" / "safety2"


@pytest.fixture(scope="module")
def outcomes(engine: Engine) -> list[tuple[Case, bool]]:
    cases = read_cases(DATA / "emergencies.yaml") + read_cases(DATA / "non_emergencies.yaml")
    return [(case, engine.ask(case.question).kind == "emergency") for case in cases]


def test_the_second_corpus_covers_every_kind(outcomes: list[tuple[Case, bool]]) -> None:
    kinds = {c.category for c, _ in outcomes if c.kinds == ("emergency",)}
    assert kinds == {"overdose", "child-or-pet", "self-harm", "severe-reaction", "poisoning"}


def test_recall_per_kind_and_false_alarms_on_the_second_corpus(
    outcomes: list[tuple[Case, bool]],
) -> None:
    table = report(outcomes)
    print(f"\nsecond safety corpus:\n{table}")
    must_alarm = {c.category for c, _ in outcomes if c.kinds == ("emergency",)}
    may_not = {c.category for c, _ in outcomes if "emergency" not in c.kinds}
    for category, (alarms, total) in rates(outcomes).items():
        if category in must_alarm:
            assert alarms / total >= MIN_RECALL, f"{category} recall under the bar\n{table}"
        if category in may_not:
            assert alarms / total <= MAX_FALSE_ALARMS, f"{category} false alarms\n{table}"
