"""The report's figures over a period of the question log: counts by kind and drug, similar
questions grouped, clarify choices, feedback, questions per day, and suggestions.
:func:`build_report` is pure (rows in, a :class:`Report` out)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from bot.engine.engine import Engine
from bot.engine.replies import KINDS
from bot.insights.grouping import QuestionGroup, distinct_askers, group_similar
from bot.insights.suggestions import Suggestion, suggest
from bot.insights.timeline import DayCount, daily_counts
from bot.runtime.store import Choice, Feedback, LoggedQuestion, Store

T = TypeVar("T")
L = TypeVar("L", str, str | None)


@dataclass(frozen=True)
class Period:
    since: float | None
    """None: from the first question logged."""
    until: float


@dataclass(frozen=True)
class DrugCount:
    drug: str | None
    """None: questions that named no drug the knowledge base knows."""
    count: int


@dataclass(frozen=True)
class ChoiceCount:
    choice: str
    count: int


@dataclass(frozen=True)
class EntryFeedback:
    """Feedback on one answer (a knowledge entry), with a question that was not helped."""

    entry: str
    drug: str | None
    not_helpful: int
    helpful: int
    example: str | None


@dataclass(frozen=True)
class Report:
    period: Period
    logged_total: int
    """Questions in the whole log, any period (0: nothing to report yet)."""
    questions: int
    askers: int
    by_kind: dict[str, int]
    by_drug: list[DrugCount]
    unanswered: list[QuestionGroup]
    unsure: list[QuestionGroup]
    clarify_with_choice: int
    choices: list[ChoiceCount]
    feedback: list[EntryFeedback]
    days: list[DayCount] = field(default_factory=list)
    """Questions per day (UTC) by kind, oldest first."""
    suggestions: list[Suggestion] = field(default_factory=list)
    """Where the unanswered, unsure and not-helpful questions belong (needs the knowledge)."""


def report_from_store(
    store: Store, period: Period, *, limit: int = 10, engine: Engine | None = None
) -> Report:
    """The report; with ``engine`` (its knowledge), also where the questions belong."""
    since, until = period.since, period.until
    rows = store.questions(since, until), store.feedback(since, until), store.choices(since, until)
    report = build_report(*rows, period=period, logged_total=store.question_count(), limit=limit)
    if engine is None:
        return report
    found = suggest(*rows, engine.knowledge, engine=engine, limit=limit)
    return replace(report, suggestions=found)


def build_report(
    questions: Sequence[LoggedQuestion],
    feedback: Sequence[Feedback],
    choices: Sequence[Choice],
    *,
    period: Period,
    logged_total: int,
    limit: int = 10,
) -> Report:
    """The report over rows already selected for ``period``; ``limit`` rows a section (0: all)."""

    def top(rows: list[T]) -> list[T]:
        return rows[:limit] if limit > 0 else rows

    clarify_ids = {q.id for q in questions if q.kind == "clarify"}
    return Report(
        period=period,
        logged_total=logged_total,
        questions=len(questions),
        askers=distinct_askers(questions),
        by_kind={kind: sum(q.kind == kind for q in questions) for kind in KINDS},
        by_drug=top([DrugCount(d, n) for d, n in _counts(q.drug for q in questions)]),
        unanswered=top(group_similar([q for q in questions if q.kind == "fallback"])),
        unsure=top(group_similar([q for q in questions if q.kind == "clarify"])),
        clarify_with_choice=len({c.question_id for c in choices} & clarify_ids),
        choices=top([ChoiceCount(c, n) for c, n in _counts(c.choice for c in choices)]),
        feedback=top(feedback_by_entry(questions, feedback)),
        days=daily_counts(questions),
    )


def _counts(labels: Iterable[L]) -> list[tuple[L, int]]:
    """Most frequent first; ties in label order (None last)."""
    counted = Counter(labels)
    return sorted(counted.items(), key=lambda i: (-i[1], i[0] is None, str(i[0])))


def feedback_by_entry(
    questions: Sequence[LoggedQuestion], feedback: Sequence[Feedback]
) -> list[EntryFeedback]:
    """Helpful and not-helpful clicks per answer entry, the least helpful first."""
    asked = {q.id: q for q in questions}
    clicks: dict[str, list[tuple[LoggedQuestion, bool]]] = defaultdict(list)
    for click in feedback:
        q = asked.get(click.question_id)
        if q is not None:
            clicks[q.entry or f"({q.kind} reply)"].append((q, click.helpful))
    rows = [_entry_feedback(entry, pairs) for entry, pairs in clicks.items()]
    return sorted(rows, key=lambda r: (-r.not_helpful, r.helpful, r.entry))


def _entry_feedback(entry: str, pairs: list[tuple[LoggedQuestion, bool]]) -> EntryFeedback:
    unhelped = [q.question for q, helpful in pairs if not helpful and q.question]
    return EntryFeedback(
        entry=entry,
        drug=pairs[0][0].drug,
        not_helpful=sum(not helpful for _, helpful in pairs),
        helpful=sum(helpful for _, helpful in pairs),
        example=unhelped[-1] if unhelped else None,
    )
