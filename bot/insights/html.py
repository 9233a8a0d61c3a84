"""``medfaq report --html FILE``: the report as one self-contained page.

Inline CSS and inline SVG charts (:mod:`bot.insights.charts`); no script, no font, no image
and no link to fetch, so the page opens offline and can be mailed as it is. The layout is one
column that fits a phone; tables scroll sideways inside their box when they must.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from bot.engine.replies import KINDS
from bot.insights.charts import KIND_COLOURS, bars, columns, stacked_columns
from bot.insights.formats import NO_DRUG, TEXT_OFF, iso
from bot.insights.grouping import QuestionGroup, wording
from bot.insights.suggestions import Suggestion
from bot.insights.summary import Report
from bot.insights.timeline import weekly

CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #5f6368; --line: #dadce0; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #f6f7f9; }
main { max-width: 56rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0; }
h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  padding: 1rem; margin: 0 0 1rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr)); gap: .5rem; }
.figure { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: .6rem; }
.figure b { display: block; font-size: 1.5rem; }
.muted, .figure span { color: var(--muted); font-size: .9rem; }
svg.chart { width: 100%; max-width: 40rem; height: auto; display: block; }
svg .tick { font-size: 11px; fill: var(--muted); }
svg .label { font-size: 13px; fill: var(--ink); }
svg .axis { stroke: var(--line); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.suggestion { border-left: 4px solid #1565c0; padding: .4rem .7rem; margin: .6rem 0;
  background: #f5f8fd; border-radius: 0 8px 8px 0; overflow-wrap: anywhere; }
.suggestion.person { border-color: #9e9e9e; background: #f7f7f7; }
code { background: #eef1f5; padding: 0 .25rem; border-radius: 4px; }
.kinds span { display: inline-block; margin-right: .8rem; }
.kinds i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem;
  border-radius: 2px; vertical-align: -1px; }
@media (max-width: 30rem) { main { padding: .5rem; } section { padding: .7rem; } }
"""


def render_html(report: Report) -> str:
    body = "".join(
        [
            _header(report),
            _per_day(report),
            _suggestions(report.suggestions),
            _groups("Top unanswered questions", report.unanswered, report.suggestions),
            _groups("Unsure (clarify) questions", report.unsure, report.suggestions),
            _not_helpful(report),
            _emergencies(report),
            _drugs(report),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>medfaq report</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def _header(report: Report) -> str:
    since = iso(report.period.since) or "the start"
    figures = [
        (report.questions, "questions"),
        (report.askers, "distinct askers"),
        *((report.by_kind.get(kind, 0), kind) for kind in KINDS),
    ]
    cells = "".join(
        f'<div class="figure"><b>{n}</b><span>{escape(k)}</span></div>' for n, k in figures
    )
    return (
        f'<h1>medfaq report</h1><p class="muted">Question log from {escape(since)} to '
        f"{escape(iso(report.period.until) or '')} ({report.logged_total} in the log overall)</p>"
        f'<div class="figures">{cells}</div><p></p>'
    )


def _section(title: str, inner: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{inner}</section>"


def _per_day(report: Report) -> str:
    if not report.days:
        return _section("Questions per day", '<p class="muted">No questions in this period.</p>')
    labels = [d.day for d in report.days]
    series: dict[str, Sequence[int]] = {
        kind: [d.by_kind.get(kind, 0) for d in report.days] for kind in KINDS
    }
    chart = stacked_columns(labels, series, title="Questions per day by kind")
    return _section("Questions per day, by kind", chart + _kind_key())


def _kind_key() -> str:
    keys = "".join(
        f'<span><i style="background:{c}"></i>{k}</span>' for k, c in KIND_COLOURS.items()
    )
    return f'<p class="kinds muted">{keys}</p>'


def _emergencies(report: Report) -> str:
    weeks = weekly(report.days, "emergency")
    if not weeks:
        return _section("Emergencies per week", '<p class="muted">None in this period.</p>')
    labels = [w for w, _ in weeks]
    chart = columns(labels, [n for _, n in weeks], title="Emergency replies per week")
    chart = chart.replace('fill="#1565c0"', f'fill="{KIND_COLOURS["emergency"]}"')
    return _section("Emergencies per week", chart)


def _drugs(report: Report) -> str:
    if not report.by_drug:
        return _section("Drugs asked about", '<p class="muted">None in this period.</p>')
    labels = [d.drug or NO_DRUG for d in report.by_drug]
    chart = bars(labels, [d.count for d in report.by_drug], title="Questions per drug")
    return _section("Drugs asked about", chart)


def _suggestions(suggestions: Sequence[Suggestion]) -> str:
    if not suggestions:
        return _section("Suggestions", '<p class="muted">Nothing to suggest.</p>')
    items = "".join(_suggestion(s) for s in suggestions)
    hint = '<p class="muted">Accept with <code>medfaq learn --accept ID</code>.</p>'
    return _section("Suggestions: where these questions belong", hint + items)


def _suggestion(s: Suggestion) -> str:
    person = "" if s.learnable else " person"
    where = (
        f" into <code>{escape(s.target.file)}</code>" if s.target.file else " (a person writes it)"
    )
    phrase = f"add <b>{escape(s.phrase)}</b>{where}<br>" if s.phrase else ""
    shared = f"; shared words: {escape(', '.join(s.shared))}" if s.shared else ""
    score = f"; score {s.score:.0f}" if s.score else ""
    asked = ", ".join(f"{n} {escape(why)}" for why, n in s.sources.items())
    examples = "".join(f"<li>{escape(q)}</li>" for q in s.questions[:3])
    return (
        f'<div class="suggestion{person}"><b>[{escape(s.id)}] {escape(s.target.label)}</b><br>'
        f'{phrase}<span class="muted">asked {s.count}x by {s.askers} ({asked}); '
        f"{escape(s.evidence)}{shared}{score}</span><ul>{examples}</ul></div>"
    )


def _groups(title: str, groups: Sequence[QuestionGroup], found: Sequence[Suggestion]) -> str:
    """Count, drug, and the question with the suggestion for it below: three columns fit a
    phone."""
    if not groups:
        return _section(title, '<p class="muted">None in this period.</p>')
    owner = {wording(q): s for s in found for q in s.questions}
    rows = []
    for g in groups:
        question = escape(g.question if g.question is not None else TEXT_OFF)
        s = owner.get(wording(g.question or ""))
        if s is not None:
            question += f'<br><span class="muted">{escape(_owner_label(s))}</span>'
        rows.append(
            f'<td class="n">{g.count}<br><span class="muted">{g.askers} asked</span></td>'
            f"<td>{escape(g.drug or '')}</td><td>{question}</td>"
        )
    head = "<tr><th>count</th><th>drug</th><th>question</th></tr>"
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    return _section(
        title,
        f'<div class="scroll"><table><thead>{head}</thead><tbody>{body}</tbody></table></div>',
    )


def _owner_label(s: Suggestion | None) -> str:
    return f"[{s.id}] {s.target.label}" if s else ""


def _not_helpful(report: Report) -> str:
    rows = [
        (f"{f.not_helpful} of {f.not_helpful + f.helpful}", f.entry, f.example or "")
        for f in report.feedback
    ]
    if not rows:
        return _section("Answers marked not helpful", '<p class="muted">No feedback yet.</p>')
    header = ("not helpful", "answer", "e.g. a question not helped")
    return _section("Answers marked not helpful", _table(header, rows))


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{cell}</td>'
            if isinstance(cell, int)
            else f"<td>{escape(str(cell))}</td>"
            for cell in row
        )
        + "</tr>"
        for row in rows
    )
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="scroll">{table}</div>'
