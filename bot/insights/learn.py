"""``medfaq learn``: accept suggestions from the question log into the knowledge.

Interactive (each suggestion numbered: y, n, skip, quit, or a lay term's id to file the words
under that term), or ``--accept ID ...`` for scripts (``ID=TERM`` files it under a term). The
accepted ones are written as phrasings or lay terms (:mod:`bot.insights.knowledge_edits`); the
diff is shown, and nothing is written if the edited knowledge would not load.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bot.engine.engine import Engine
from bot.insights.applying import unified_diff, validate, write
from bot.insights.knowledge_edits import Edit, EditError, plan
from bot.insights.report import ReportError, parse_since
from bot.insights.suggestions import Suggestion, redirect, suggest
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir, load_knowledge
from bot.knowledge.yamlsource import KnowledgeError
from bot.runtime.settings import Settings
from bot.runtime.store import StorageError, describe, open_store

Ask = Callable[[str], str]


def suggestions_from_log(
    target: Path | str, knowledge: KnowledgeBase, since: float | None = None
) -> list[Suggestion]:
    """Every suggestion from the log at ``target`` (a SQLite path or a PostgreSQL URL) for
    ``knowledge``; ReportError if it cannot be read."""
    if isinstance(target, Path) and not target.is_file():
        raise ReportError(f"no question log at {target}; set MEDFAQ_DB or pass --db")
    try:
        with open_store(target) as store:
            rows = store.questions(since), store.feedback(since), store.choices(since)
    except StorageError as exc:
        raise ReportError(str(exc)) from None
    except (sqlite3.Error, psycopg.Error) as exc:
        raise ReportError(f"{describe(target)}: cannot read the question log: {exc}") from None
    return suggest(*rows, knowledge, engine=Engine(knowledge))


def lines_for(number: int, s: Suggestion) -> list[str]:
    """A suggestion as a few lines for a terminal."""
    asked = ", ".join(f"{n} {why}" for why, n in s.sources.items())
    lines = [
        f"{number}. [{s.id}] {s.target.label}",
        f'   add: "{s.phrase}"' + (f" -> {s.target.file}" if s.target.file else ""),
        f"   asked {s.count}x by {s.askers} asker(s) ({asked}); {s.evidence}"
        + (f"; shared words: {', '.join(s.shared)}" if s.shared else "")
        + (f"; score {s.score:.0f}" if s.score else ""),
    ]
    lines += [f"   e.g. {q}" for q in s.questions[:3]]
    return lines


def choose(
    found: Sequence[Suggestion], knowledge: KnowledgeBase, ask: Ask, out: Callable[[str], None]
) -> list[Suggestion]:
    """Walk through ``found``, asking about each; the accepted ones (possibly redirected)."""
    accepted: list[Suggestion] = []
    terms = ", ".join(t.id for t in knowledge.terms.terms)
    for number, s in enumerate(found, 1):
        for line in lines_for(number, s):
            out(line)
        while True:
            answer = ask("   accept? [y]es, [n]o, [s]kip, [q]uit, or a lay term id: ").strip()
            if answer.lower() in ("y", "yes"):
                accepted.append(s)
            elif answer.lower() in ("q", "quit"):
                return accepted
            elif answer and answer.lower() not in ("n", "no", "s", "skip"):
                try:
                    accepted.append(redirect(s, answer, knowledge))
                except KeyError:
                    out(f"   no lay term {answer!r}; one of: {terms}")
                    continue
            break
    return accepted


def pick(
    found: Sequence[Suggestion], wanted: Sequence[str], knowledge: KnowledgeBase
) -> list[Suggestion]:
    """The suggestions ``--accept`` names (``ID`` or ``ID=TERM``); ReportError if one is unknown."""
    by_id = {s.id: s for s in found}
    chosen = []
    for given in wanted:
        sid, _, term = given.partition("=")
        s = by_id.get(sid.strip())
        if s is None:
            known = ", ".join(by_id) or "none"
            raise ReportError(
                f"--accept {given}: no such suggestion (now: {known}); see medfaq report"
            )
        try:
            chosen.append(redirect(s, term.strip(), knowledge) if term else s)
        except KeyError as exc:
            raise ReportError(f"--accept {given}: {exc.args[0]}") from None
    return chosen


def edits_for(chosen: Sequence[Suggestion], today: str) -> list[Edit]:
    return [
        Edit(s.target, s.phrase, f"learned {today} from {s.count} question(s) in the log")
        for s in chosen
    ]


def run_learn(args: argparse.Namespace, settings: Settings) -> int:
    """``medfaq learn``; 0 when written (or nothing to do), 1 with a message when it cannot."""
    root = settings.knowledge or bundled_knowledge_dir()
    try:
        knowledge = load_knowledge(root)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"medfaq learn: fix the knowledge in {root} first", file=sys.stderr)
        return 1
    try:
        since = parse_since(args.since, time.time()) if args.since else None
        db = settings.db.expanduser() if isinstance(settings.db, Path) else settings.db
        found = suggestions_from_log(db, knowledge, since)
        learnable = [s for s in found if s.learnable]
        interactive = not args.accept
        if interactive and not sys.stdin.isatty():
            raise ReportError("no terminal to ask in: pass --accept ID ... (ids: medfaq report)")
        chosen = pick(found, args.accept, knowledge) if args.accept else []
    except ReportError as exc:
        print(f"medfaq learn: {exc}", file=sys.stderr)
        return 1
    if interactive:
        if not learnable:
            print("Nothing to learn: no suggestion from the log can be written as a phrasing.")
            return 0
        chosen = choose(learnable, knowledge, input, print)
    for s in chosen:
        if not s.learnable:
            print(f"[{s.id}] {s.target.label}: a person must write this one; skipped")
    chosen = [s for s in chosen if s.learnable]
    if not chosen:
        print("Nothing accepted; nothing written.")
        return 0
    return _write(root, chosen, dry_run=args.dry_run, confirm=interactive)


def _write(root: Path, chosen: Sequence[Suggestion], *, dry_run: bool, confirm: bool) -> int:
    today = datetime.now(UTC).date().isoformat()
    try:
        changes = plan(root, edits_for(chosen, today))
    except EditError as exc:
        for problem in exc.problems:
            print(f"medfaq learn: {problem}", file=sys.stderr)
        return 1
    for change in changes:
        for phrase in change.skipped:
            print(f'{change.path}: already has "{phrase}"')
    problems = validate(root, changes)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print("medfaq learn: the edited knowledge would not load; nothing written", file=sys.stderr)
        return 1
    sys.stdout.write(unified_diff(root, changes))
    if dry_run:
        print("(--dry-run: nothing written)")
        return 0
    if confirm and input("Write these changes? [y/N] ").strip().lower() not in ("y", "yes"):
        print("Nothing written.")
        return 0
    write(changes)
    written = sum(c.new != c.old for c in changes)
    print(f"Learned {len(chosen)} suggestion(s) into {written} file(s) under {root}.")
    return 0
