"""``medfaq eval``: score the engine on a question set (the format of dev-questions.yaml) or
a set of conversations (dev-dialogues.yaml), or, given a ``.jsonl`` file of real questions
(MedicationQA's), count false answers.

Each case: ``q`` (the question), ``kind`` (accepted reply kinds), ``has`` (every item must
appear in the reply text, case-insensitive; "a|b" means either), ``not`` (none may appear),
``cat`` (category), ``decision`` (optional: accepted decision types, such as ``Check`` or
``Fallback``, as in ``ask --json``'s ``decision.type``). A conversation is
``{name, turns: [cases]}``: each turn is judged with the conversation so far as its context,
and the report adds a line per turn position.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.engine.engine import Engine
from bot.engine.replies import Context
from bot.knowledge.yamlsource import KnowledgeError, YamlDocument, load_yaml


@dataclass(frozen=True)
class Case:
    question: str
    kinds: tuple[str, ...]
    has: tuple[str, ...] = ()
    has_not: tuple[str, ...] = ()
    category: str = "uncategorised"
    decisions: tuple[str, ...] = ()
    dialogue: str | None = None
    """The conversation's name, for a turn of one."""
    turn: int = 0
    """The turn's position in its conversation (1 for the first), 0 for a single question."""


@dataclass
class Outcome:
    case: Case
    kind: str
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def read_cases(path: Path) -> list[Case]:
    """Every case of a file: each single question, and each turn of each conversation."""
    return [case for dialogue in read_dialogues(path) for case in dialogue]


def read_dialogues(path: Path) -> list[list[Case]]:
    """The conversations of a file; a single question is a conversation of one turn."""
    document = load_yaml(path)
    if not isinstance(document.data, list):
        raise KnowledgeError([document.problem((), "expected a list of cases")])
    found = []
    for index, item in enumerate(document.data):
        if isinstance(item, dict) and isinstance(item.get("turns"), list):
            name = str(item.get("name", f"dialogue {index + 1}"))
            turns = item["turns"]
            category = str(item.get("cat", "dialogue"))
            found.append(
                [
                    read_case(document, (index, "turns", n), turn, category, name, n + 1)
                    for n, turn in enumerate(turns)
                ]
            )
        else:
            found.append([read_case(document, (index,), item)])
    return found


def read_case(
    document: YamlDocument,
    where: tuple[str | int, ...],
    item: Any,
    category: str = "uncategorised",
    dialogue: str | None = None,
    turn: int = 0,
) -> Case:
    if not isinstance(item, dict) or not isinstance(item.get("q"), str):
        raise KnowledgeError([document.problem(where, "each case needs a text 'q'")])
    return Case(
        question=item["q"],
        kinds=tuple(as_list(item.get("kind"))),
        has=tuple(as_list(item.get("has"))),
        has_not=tuple(as_list(item.get("not"))),
        category=str(item.get("cat", category)),
        decisions=tuple(as_list(item.get("decision"))),
        dialogue=dialogue,
        turn=turn,
    )


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def judge_dialogue(engine: Engine, cases: list[Case]) -> list[Outcome]:
    """Each turn asked with the context the previous reply left."""
    context: Context | None = None
    outcomes = []
    for case in cases:
        outcome, context = judge_in_context(engine, case, context)
        outcomes.append(outcome)
    return outcomes


def judge(engine: Engine, case: Case) -> Outcome:
    return judge_in_context(engine, case, None)[0]


def judge_in_context(
    engine: Engine, case: Case, context: Context | None
) -> tuple[Outcome, Context]:
    reply = engine.ask(case.question, context)
    text = reply.text.casefold()
    outcome = Outcome(case, reply.kind)
    if case.kinds and reply.kind not in case.kinds:
        outcome.problems.append(f"kind {reply.kind}, expected {'/'.join(case.kinds)}")
    decided = type(reply.decision).__name__ if reply.decision else None
    if case.decisions and decided not in case.decisions:
        outcome.problems.append(f"decision {decided}, expected {'/'.join(case.decisions)}")
    for wanted in case.has:
        if not any(option.casefold() in text for option in wanted.split("|")):
            outcome.problems.append(f"missing {wanted!r}")
    for unwanted in case.has_not:
        if unwanted.casefold() in text:
            outcome.problems.append(f"contains {unwanted!r}")
    return outcome, reply.context


def run_eval(engine: Engine, path: Path, minimum: float = 100.0, show_all: bool = False) -> int:
    if path.suffix == ".jsonl":
        return run_unknown_drug_check(engine, path, show_all)
    try:
        cases = read_dialogues(path)
    except KnowledgeError as exc:
        print(exc)
        return 1
    outcomes = [o for dialogue in cases for o in judge_dialogue(engine, dialogue)]
    by_category: dict[str, list[Outcome]] = defaultdict(list)
    by_turn: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        case = outcome.case
        by_category[case.category].append(outcome)
        if case.turn:
            by_turn[f"turn {case.turn}"].append(outcome)
        if show_all or not outcome.passed:
            mark = "ok  " if outcome.passed else "FAIL"
            detail = "; ".join(outcome.problems)
            where = f"{case.dialogue} #{case.turn} " if case.dialogue else ""
            print(f"{mark} {where}[{case.category}] {case.question!r} -> {outcome.kind} {detail}")
    print(f"\n{'category':<20} {'passed':>8} {'total':>6} {'%':>7}")
    for groups in (by_category, by_turn):
        for name, group in sorted(groups.items()) if groups is by_turn else groups.items():
            passed = sum(o.passed for o in group)
            print(f"{name:<20} {passed:>8} {len(group):>6} {100 * passed / len(group):>6.1f}%")
    passed = sum(o.passed for o in outcomes)
    share = 100 * passed / len(outcomes) if outcomes else 0.0
    print(f"{'overall':<20} {passed:>8} {len(outcomes):>6} {share:>6.1f}%")
    return 0 if share >= minimum else 1


MAX_FALSE_ANSWERS = 1.0
"""Percent of questions naming none of our drugs that may get an answer (the quality bar)."""


def run_unknown_drug_check(engine: Engine, path: Path, show_all: bool = False) -> int:
    """Real questions (MedicationQA's format): those that name none of our drugs must almost
    never get an ``answer``; prints the figure and each such answer."""
    kinds: Counter[str] = Counter()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        rows = [(number, json.loads(line)) for number, line in enumerate(lines, 1) if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"{path}: cannot read the questions: {exc}", file=sys.stderr)
        return 1
    for number, row in rows:
        if not isinstance(row, dict):
            print(
                f"{path}:{number}: expected a JSON object such as "
                '{"question": "..."}, found ' + type(row).__name__,
                file=sys.stderr,
            )
            return 1
    for _, row in rows:
        if row.get("names_kb_drug"):
            continue
        question = str(row.get("question", ""))
        reply = engine.ask(question)
        kinds[reply.kind] += 1
        if reply.kind == "answer" or show_all:
            print(f"{reply.kind:<9} {question!r} -> {reply.entry}")
    total = sum(kinds.values())
    share = 100 * kinds["answer"] / total if total else 0.0
    figures = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    print(f"questions naming none of our drugs: {total} ({figures})")
    print(f"answered anyway: {kinds['answer']} = {share:.2f}% (bar: {MAX_FALSE_ANSWERS}%)")
    return 0 if share <= MAX_FALSE_ANSWERS else 1
