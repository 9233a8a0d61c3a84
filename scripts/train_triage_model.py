"""Train the triage's learned second opinion (``knowledge/safety-model.tsv``).

    python scripts/train_triage_model.py [--knowledge DIR] [--out FILE] [SET.yaml ...]
    python scripts/train_triage_model.py --leave-one-out    # how well it generalises

Reads labelled sets in the format ``medfaq eval`` reads: a case whose only accepted kind is
``emergency`` is an emergency of the kind its category names ("child-or-pet" is
``child_or_pet``); a case that does not accept ``emergency`` is no emergency; others are left
out. Never trains on ``tests/data/heldout/``: those sets measure whether the triage
generalises. The model is a multinomial logistic regression (scikit-learn, the ``train``
extra) over the features of ``bot/engine/triage/features.py``; retrain it whenever
``safety.yaml``'s vocabulary changes (a test compares the fingerprint in its header).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from pathlib import Path

from bot.engine.triage.triage import Triage
from bot.insights.evaluation import read_cases
from bot.knowledge.loading import KnowledgeBase, load_knowledge
from bot.knowledge.safety_schema import REQUIRED_KINDS
from bot.knowledge.triage_model import (
    FINGERPRINT,
    NO_DANGER,
    TriageModelData,
    vocabulary_fingerprint,
    write_triage_model,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = [
    *sorted((ROOT / "tests" / "data").glob("safety*/*.yaml")),
    *sorted((ROOT / "tests" / "data" / "eval").glob("bundled*.yaml")),
    ROOT.parent / "shared" / "eval" / "dev-safety.yaml",
    ROOT.parent / "shared" / "eval" / "dev-questions.yaml",
    ROOT.parent / "shared" / "eval" / "dev-questions-2.yaml",
]
HELD_OUT = ROOT / "tests" / "data" / "heldout"
MIN_SEEN = 2
"""A feature must occur in this many training messages to get a weight."""
SMALLEST = 0.005
"""Weights this close to zero for every class are left out of the file."""
STRENGTH = 1.0
"""The inverse regularisation strength (scikit-learn's C)."""


def labelled(paths: list[Path], rules: Triage) -> list[tuple[str, str]]:
    """(message, class) pairs; an emergency whose category names no kind ("emergency")
    takes the kind the rules give it, or is left out when they give none."""
    found: list[tuple[str, str]] = []
    for path in paths:
        if path.resolve().is_relative_to(HELD_OUT):
            sys.exit(f"{path}: held-out sets measure the model; never train on them")
        for case in read_cases(path):
            if case.kinds == ("emergency",):
                kind = case.category.replace("-", "_")
                if kind not in REQUIRED_KINDS:
                    assessment = rules.assess(case.question)
                    kind = (assessment.kind or "") if assessment.emergency else ""
                if kind in REQUIRED_KINDS:
                    found.append((case.question, kind))
            elif "emergency" not in case.kinds:
                found.append((case.question, NO_DANGER))
    return found


def train(knowledge: KnowledgeBase, cases: list[tuple[str, str]]) -> TriageModelData:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    triage = Triage(knowledge)
    seen = [triage.features(question) for question, _ in cases]
    counts = Counter(name for features in seen for name in features)
    rows = [{name: 1 for name in features if counts[name] >= MIN_SEEN} for features in seen]
    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform(rows)
    fitted = LogisticRegression(C=STRENGTH, max_iter=5000).fit(matrix, [k for _, k in cases])
    classes = tuple(str(c) for c in fitted.classes_)
    weights = {
        str(name): tuple(float(w) for w in fitted.coef_[:, index])
        for index, name in enumerate(vectoriser.get_feature_names_out())
        if max(abs(float(w)) for w in fitted.coef_[:, index]) >= SMALLEST
    }
    intercepts = tuple(float(w) for w in fitted.intercept_)
    return TriageModelData(classes, intercepts, dict(sorted(weights.items())))


def writer(path: Path) -> str:
    """Who wrote a set: its folder under tests/data/, and the letter before the dash of its
    name where a folder holds several writers ("safety5/c"); every other set is "base"."""
    if not path.parent.name.startswith("safety"):
        return "base"
    prefix, dash, _ = path.stem.partition("-")
    return f"{path.parent.name}/{prefix}" if dash and len(prefix) == 1 else path.parent.name


def leave_one_out(knowledge: KnowledgeBase, paths: list[Path], rules: Triage) -> None:
    """For each writer, train on the others and ask the triage about that writer's messages:
    the measure of how it does on a voice it never learned from."""
    by_writer: dict[str, list[tuple[str, str]]] = {}
    for path in paths:
        by_writer.setdefault(writer(path), []).extend(labelled([path], rules))
    found: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for left_out, cases in sorted(by_writer.items()):
        rest = [case for name, more in by_writer.items() if name != left_out for case in more]
        triage = Triage(dataclasses.replace(knowledge, triage_model=train(knowledge, rest)))
        alarms = Counter(k for q, k in cases if triage.assess(q).level == "emergency")
        counts = Counter(kind for _, kind in cases)
        found.update(alarms)
        totals.update(counts)
        emergencies = counts.total() - counts[NO_DANGER]
        caught = alarms.total() - alarms[NO_DANGER]
        print(
            f"{left_out:12} emergencies {caught}/{emergencies}  "
            f"false alarms {alarms[NO_DANGER]}/{counts[NO_DANGER]}"
        )
    for kind in sorted(totals):
        label = "false alarms" if kind == NO_DANGER else kind
        print(f"{label:16} {found[kind]}/{totals[kind]} = {100 * found[kind] / totals[kind]:.1f}%")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--leave-one-out", action="store_true", help="measure on each writer, trained without"
    )
    parser.add_argument("sets", nargs="*", type=Path, default=DEFAULT_SETS)
    options = parser.parse_args(argv)
    knowledge = load_knowledge(options.knowledge)
    rules = Triage(dataclasses.replace(knowledge, triage_model=None))
    paths = [p for p in options.sets if p.is_file()]
    if options.leave_one_out:
        leave_one_out(knowledge, paths, rules)
        return 0
    cases = labelled(paths, rules)
    model = train(knowledge, cases)
    kinds = Counter(kind for _, kind in cases)
    header = [
        "The triage's learned second opinion: written by scripts/train_triage_model.py, do",
        "not edit by hand. A multinomial logistic regression over the features of",
        "bot/engine/triage/features.py, trained on the labelled safety sets in tests/data/",
        "and ../shared/eval/ (never on tests/data/heldout/).",
        f"messages: {len(cases)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})",
    ]
    footer = f"{FINGERPRINT.removeprefix('# ')} {vocabulary_fingerprint(knowledge.safety)}"
    out = options.out or options.knowledge / "safety-model.tsv"
    write_triage_model(out, model, [*header, footer])
    print(f"{out}: {len(model.weights)} features from {len(cases)} messages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
