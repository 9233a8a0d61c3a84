"""The report as text for a terminal, as JSON for tools, and as CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from bot.insights.suggestions import Suggestion
from bot.insights.summary import Report

NO_DRUG = "(no drug)"
TEXT_OFF = "(question text not kept)"


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
