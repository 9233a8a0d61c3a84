"""``medfaq report``: what a maintainer works through to improve the knowledge.

Over a chosen period of the question log: the most frequent unanswered (fallback) and unsure
(clarify) questions grouped by similarity, the clarify choices people picked, answers marked
not helpful, counts by kind and by drug, distinct askers, and suggestions of where the questions
belong. The figures are built in :mod:`bot.insights.summary`, printed by
:mod:`bot.insights.formats` (text, JSON, CSV) or :mod:`bot.insights.html`; this module is the
command: its arguments, reading the log, and its messages.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bot.engine.engine import Engine
from bot.insights.formats import render_csv, render_json, render_text
from bot.insights.summary import Period, Report, build_report, report_from_store
from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge
from bot.knowledge.yamlsource import KnowledgeError
from bot.runtime.cache import load_engine
from bot.runtime.settings import Settings
from bot.runtime.store import StorageError, describe, open_for_reading

__all__ = ["Period", "Report", "ReportError", "build_report", "parse_since", "report_from_store"]

EARLIEST = datetime(1, 1, 2, tzinfo=UTC).timestamp()
"""The earliest time a report can show (``datetime`` starts at the year 1)."""
UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


class ReportError(Exception):
    """A bad argument or an unreadable log; the message is one line for the user."""


# -- the period ---------------------------------------------------------------------------------


def parse_since(text: str, now: float) -> float:
    """``7d``, ``24h``, ``30m``, ``2w`` before ``now``, or an ISO date or time (naive is UTC)."""
    match = re.fullmatch(r"(\d+)\s*([mhdw])", text.strip().lower())
    if match:
        digits, unit = match[1].lstrip("0") or "0", UNITS[match[2]]
        if len(digits) > 15 or now - int(digits) * unit < EARLIEST:
            raise ReportError(
                f"--since {text.strip()[:40]!r} reaches back before the year 1; "
                "leave --since out to report on the whole log"
            )
        return now - int(digits) * unit
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ReportError(
            f"--since {text[:40]!r}: use a duration such as 7d, 24h, 30m or 2w, "
            "or an ISO date such as 2026-11-01"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when.timestamp(), EARLIEST)


# -- the command --------------------------------------------------------------------------------


def run_report(args: argparse.Namespace, settings: Settings) -> int:
    """``medfaq report``: print the report; 1 with a one-line message if it cannot.
    ``--db`` is already in ``settings.db``."""
    try:
        target = settings.db
        now = time.time()
        period = Period(parse_since(args.since, now) if args.since else None, now)
        report = load_report(target, period, limit=args.limit, engine=_engine(settings))
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


def _engine(settings: Settings) -> Engine | None:
    """The engine (and knowledge) suggestions are made for, from the engine cache when it is
    current; None (and a note) when the knowledge does not load."""
    root = settings.knowledge or bundled_knowledge_dir()
    try:
        return load_engine(root, cache_dir=settings.cache_dir, load=load_knowledge)
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
    target: Path | str, period: Period, *, limit: int, engine: Engine | None = None
) -> Report:
    if limit < 0:
        raise ReportError(f"--limit {limit}: use a number of rows, or 0 for all")
    if isinstance(target, Path) and not target.is_file():
        raise ReportError(
            f"no question log at {target}; the bot creates it when it logs its first question "
            "(set MEDFAQ_DB or pass --db)"
        )
    try:
        with open_for_reading(target) as store:
            return report_from_store(store, period, limit=limit, engine=engine)
    except StorageError as exc:
        raise ReportError(str(exc)) from None
    except (sqlite3.Error, psycopg.Error) as exc:
        where = describe(target)
        raise ReportError(f"{where}: cannot read the question log: {exc}") from None
