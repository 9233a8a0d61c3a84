"""``medfaq report``: what a maintainer works through to improve the knowledge.

Over a chosen period of the question log: the most frequent unanswered (fallback) and unsure
(clarify) questions grouped by similarity, the clarify choices people picked, answers marked
not helpful, counts by kind and by drug, distinct askers. :func:`build_report` is pure (rows
in, a :class:`Report` out); :func:`render_text`, :func:`render_json` and :func:`render_csv`
format it; :func:`run_report` is the command.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from bot.engine.engine import Engine
from bot.engine.replies import KINDS
from bot.insights.grouping import (
    QuestionGroup,
    distinct_askers,
    group_similar,
)
from bot.insights.suggestions import Suggestion, suggest
from bot.insights.timeline import DayCount, daily_counts
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir, load_knowledge
from bot.knowledge.yamlsource import KnowledgeError
from bot.runtime.settings import Settings
from bot.runtime.store import (
    Choice,
    Feedback,
    LoggedQuestion,
    StorageError,
    Store,
    describe,
    open_store,
)

T = TypeVar("T")
L = TypeVar("L", str, str | None)

UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}

NO_DRUG = "(no drug)"
TEXT_OFF = "(question text not kept)"


class ReportError(Exception):
    """A bad argument or an unreadable log; the message is one line for the user."""


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


# -- the period ---------------------------------------------------------------------------------


def parse_since(text: str, now: float) -> float:
    """``7d``, ``24h``, ``30m``, ``2w`` before ``now``, or an ISO date or time (naive is UTC)."""
    match = re.fullmatch(r"(\d+)\s*([mhdw])", text.strip().lower())
    if match:
        return now - int(match[1]) * UNITS[match[2]]
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ReportError(
            f"--since {text!r}: use a duration such as 7d, 24h, 30m or 2w, "
            "or an ISO date such as 2026-11-01"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


# -- building the report ------------------------------------------------------------------------


def report_from_store(
    store: Store, period: Period, *, limit: int = 10, knowledge: KnowledgeBase | None = None
) -> Report:
    """The report; with ``knowledge``, also the suggestions of where questions belong."""
    since, until = period.since, period.until
    rows = store.questions(since, until), store.feedback(since, until), store.choices(since, until)
    report = build_report(*rows, period=period, logged_total=store.question_count(), limit=limit)
    if knowledge is None:
        return report
    found = suggest(*rows, knowledge, engine=Engine(knowledge))
    return replace(report, suggestions=found[:limit] if limit > 0 else found)


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


# -- output -------------------------------------------------------------------------------------


def iso(when: float | None) -> str | None:
    if when is None:
        return None
    return datetime.fromtimestamp(when, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def as_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON data; times as ISO 8601 UTC."""
    data = asdict(report)
    data["period"] = {"from": iso(report.period.since), "to": iso(report.period.until)}
    for section in ("unanswered", "unsure"):
        for group in data[section]:
            group["last_asked"] = iso(group["last_asked"])
    return data


def render_json(report: Report) -> str:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2)


CSV_FIELDS = ("section", "label", "count", "askers", "drug", "helpful", "not_helpful", "question")


def render_csv(report: Report) -> str:
    """One row per figure: a ``section`` column, then the fields that section uses."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(report):
        writer.writerow({key: _spreadsheet_safe(value) for key, value in row.items()})
    return out.getvalue()


def csv_rows(report: Report) -> Iterator[dict[str, Any]]:
    yield {"section": "period", "label": "from", "question": iso(report.period.since) or ""}
    yield {"section": "period", "label": "to", "question": iso(report.period.until)}
    yield {"section": "summary", "label": "questions", "count": report.questions}
    yield {"section": "summary", "label": "distinct askers", "count": report.askers}
    yield {
        "section": "summary",
        "label": "clarify with a choice",
        "count": report.clarify_with_choice,
    }
    for kind, n in report.by_kind.items():
        yield {"section": "kind", "label": kind, "count": n}
    for drug in report.by_drug:
        yield {"section": "drug", "label": drug.drug or NO_DRUG, "count": drug.count}
    for name, groups in (("unanswered", report.unanswered), ("unsure", report.unsure)):
        for g in groups:
            label = g.question if g.question is not None else TEXT_OFF
            yield {
                "section": name,
                "label": label,
                "count": g.count,
                "askers": g.askers,
                "drug": g.drug,
            }
    for choice in report.choices:
        yield {"section": "choice", "label": choice.choice, "count": choice.count}
    for sug in report.suggestions:
        yield {
            "section": "suggestion",
            "label": f"{sug.id} {sug.target.label}",
            "count": sug.count,
            "askers": sug.askers,
            "drug": ",".join(sug.drugs),
            "question": sug.phrase,
        }
    for f in report.feedback:
        yield {
            "section": "feedback",
            "label": f.entry,
            "drug": f.drug,
            "helpful": f.helpful,
            "not_helpful": f.not_helpful,
            "question": f.example,
        }


def _spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) gets a ``'``."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


QUESTION_WIDTH = 72


def render_text(report: Report) -> str:
    return "\n".join(text_lines(report)) + "\n"


def text_lines(report: Report) -> Iterator[str]:
    since = _when(report.period.since) if report.period.since is not None else "the start"
    yield f"Question log from {since} to {_when(report.period.until)}"
    if report.questions == 0:
        yield f"No questions in this period ({report.logged_total} in the log overall)."
        return
    yield f"{report.questions} questions from {report.askers} distinct askers"
    kinds = [(k, n, _share(n, report.questions)) for k, n in report.by_kind.items()]
    yield from _section("By kind", ("kind", "count", "share"), kinds)
    drugs = [
        (c.drug or NO_DRUG, c.count, _share(c.count, report.questions)) for c in report.by_drug
    ]
    yield from _section("By drug", ("drug", "count", "share"), drugs)
    for title, groups in (
        ("Unanswered (fallback), similar questions grouped", report.unanswered),
        ("Unsure (clarify), similar questions grouped", report.unsure),
    ):
        rows = [(g.count, g.askers, g.drug or "", _show(g.question)) for g in groups]
        yield from _section(title, ("count", "askers", "drug", "question"), rows)
    yield from _section(
        f"Clarify choices picked ({report.clarify_with_choice} of "
        f"{report.by_kind.get('clarify', 0)} clarify replies got a pick)",
        ("count", "choice"),
        [(c.count, _show(c.choice)) for c in report.choices],
    )
    rows = [(f.not_helpful, f.helpful, f.entry, _show(f.example)) for f in report.feedback]
    yield from _section(
        "Feedback on answers, least helpful first",
        ("not helpful", "helpful", "entry", "e.g."),
        rows,
    )
    if report.suggestions:
        yield from suggestion_lines(report.suggestions)


def suggestion_lines(suggestions: Sequence[Suggestion]) -> Iterator[str]:
    yield ""
    yield "Suggestions: where these questions belong (accept with: medfaq learn --accept ID)"
    for s in suggestions:
        learn = "" if s.learnable else "  (a person must write this)"
        yield f"  [{s.id}] {s.count}x  {_show(s.target.label)}{learn}"
        verb = "add" if s.learnable else "words"
        said = f'{verb} "{_show(s.phrase)}": ' if s.phrase else ""
        yield f"         {said}{_show(s.evidence)}" + (
            f"; shared words: {', '.join(s.shared)}" if s.shared else ""
        )
        yield f"         e.g. {_show(s.questions[0]) if s.questions else TEXT_OFF}"


def _section(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Iterator[str]:
    yield ""
    yield title
    if not rows:
        yield "  (none)"
        return
    body = [[str(cell) for cell in row] for row in rows]
    table = [list(header), *body]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    numeric = [all(_figure(row[i]) for row in body) for i in range(len(header))]
    if not numeric[-1]:
        widths[-1] = 0  # free text last: never padded
    for row in table:
        cells = [
            cell.rjust(w) if num else cell.ljust(w)
            for cell, w, num in zip(row, widths, numeric, strict=True)
        ]
        yield "  " + "  ".join(cells).rstrip()


def _figure(cell: str) -> bool:
    return cell.removesuffix("%").isdigit() or cell == "-"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _show(text: str | None) -> str:
    """A question made safe for a terminal: one line, control characters escaped, shortened."""
    if text is None:
        return TEXT_OFF
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)
    shown = " ".join(shown.split())
    return shown if len(shown) <= QUESTION_WIDTH else shown[: QUESTION_WIDTH - 1] + "…"


def _when(when: float) -> str:
    return datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%d %H:%M UTC")


# -- the command --------------------------------------------------------------------------------


def run_report(args: argparse.Namespace, settings: Settings) -> int:
    """``medfaq report``: print the report; 1 with a one-line message if it cannot.
    ``--db`` is already in ``settings.db``."""
    try:
        target = settings.db
        now = time.time()
        period = Period(parse_since(args.since, now) if args.since else None, now)
        report = load_report(path, period, limit=args.limit, knowledge=_knowledge(settings))
    except ReportError as exc:
        print(f"medfaq report: {exc}", file=sys.stderr)
        return 1
    if getattr(args, "html", None):
        return _write_html(report, Path(args.html))
    if report.logged_total == 0:
        # Tools still get a well-formed (empty) report on stdout; people get the sentence.
        machine = args.json or args.csv
        print(
            f"Nothing to report yet: the question log {describe(target)} is empty.",
            file=sys.stderr if machine else sys.stdout,
        )
        if not machine:
            return 0
    if args.json:
        print(render_json(report))
    elif args.csv:
        sys.stdout.write(render_csv(report))
    else:
        sys.stdout.write(render_text(report))
    return 0


def _knowledge(settings: Settings) -> KnowledgeBase | None:
    """The knowledge suggestions are made for; None (and a note) when it does not load."""
    root = settings.knowledge or bundled_knowledge_dir()
    try:
        return load_knowledge(root)
    except KnowledgeError as exc:
        print(
            f"medfaq report: no suggestions: the knowledge in {root} has {len(exc.problems)} "
            "problem(s) (see medfaq check)",
            file=sys.stderr,
        )
        return None


def _write_html(report: Report, path: Path) -> int:
    from bot.insights.html import render_html

    try:
        path.write_text(render_html(report), encoding="utf-8")
    except OSError as exc:
        print(f"medfaq report: cannot write {path}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"Wrote the report to {path}")
    return 0


def load_report(
    path: Path, period: Period, *, limit: int, knowledge: KnowledgeBase | None = None
) -> Report:
    if limit < 0:
        raise ReportError(f"--limit {limit}: use a number of rows, or 0 for all")
    if isinstance(target, Path) and not target.is_file():
        raise ReportError(
            f"no question log at {target}; the bot creates it when it logs its first question "
            "(set MEDFAQ_DB or pass --db)"
        )
    try:
        with Store(path) as store:
            return report_from_store(store, period, limit=limit, knowledge=knowledge)
    except StorageError as exc:
        raise ReportError(str(exc)) from None
    except (sqlite3.Error, psycopg.Error) as exc:
        where = describe(target)
        raise ReportError(f"{where}: cannot read the question log: {exc}") from None
