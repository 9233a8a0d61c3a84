"""What each ``medfaq`` command does, given its parsed arguments and the settings."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.cli.terminal import show_reply
from bot.engine.engine import Engine
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir, load_knowledge
from bot.knowledge.yamlsource import KnowledgeError
from bot.runtime.settings import Settings

Handler = Callable[[argparse.Namespace, Settings], int]


def knowledge_dir(settings: Settings) -> Path:
    return settings.knowledge or bundled_knowledge_dir()


def load_or_exit(path: Path) -> KnowledgeBase:
    try:
        return load_knowledge(path)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            f"medfaq: the knowledge in {path} has {len(exc.problems)} problem(s)", file=sys.stderr
        )
        raise SystemExit(1) from None


def engine_for(settings: Settings) -> Engine:
    """The engine for the knowledge in use, from the cache (the ``cache_dir`` setting, else the
    per-user cache directory) when no file has changed since it was stored."""
    from bot.runtime.cache import load_engine

    return load_engine(
        knowledge_dir(settings),
        cache_dir=settings.cache_dir,
        emergency_numbers=settings.emergency_numbers,
        load=load_or_exit,
    )


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    engine = engine_for(settings)
    printable_output(utf8=args.json)
    if args.question:
        questions: Iterable[str] = [valid_text(" ".join(args.question))]
    else:
        if sys.stdin.isatty():
            print(
                "medfaq ask: reading questions from standard input, one a line (Ctrl-D to "
                'end); or give the question itself: medfaq ask "what is gabapentin for?"',
                file=sys.stderr,
            )
        questions = stdin_lines()
    for question in questions:
        if not question.strip():
            continue
        reply = engine.ask(question)
        if args.json:
            print(json.dumps(reply.as_json(question), ensure_ascii=False), flush=True)
        else:
            show_reply(reply.text, end="\n\n" if not args.question else "\n")
    return 0


def printable_output(*, utf8: bool) -> None:
    """Never fail on printing a reply: JSON is always UTF-8, whatever the locale; plain text
    that the terminal's encoding cannot show (an emoji on cp1252) is printed with "?"."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        if utf8:
            sys.stdout.reconfigure(encoding="utf-8", errors="strict")
        else:
            sys.stdout.reconfigure(errors="replace")


def valid_text(text: str) -> str:
    """An argument with bytes that were not UTF-8 (decoded by Python as lone surrogates, which
    cannot be printed as UTF-8) with each such byte replaced by U+FFFD."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def stdin_lines() -> Iterable[str]:
    """Standard input, one question a line; bytes that are not UTF-8 are replaced, not fatal.

    Only a line feed ends a line (a carriage return before it is dropped): a stray carriage
    return or other line separator inside a line must not turn one question into two replies.
    """
    stream = open(  # noqa: SIM115
        sys.stdin.fileno(), encoding="utf-8", errors="replace", newline="\n", closefd=False
    )
    for line in stream:
        yield line.rstrip("\r\n")


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.chat import run_chat, run_json_chat

    if args.json:
        printable_output(utf8=True)
        return run_json_chat(engine_for(settings), stdin_lines())
    engine = engine_for(settings)
    printable_output(utf8=False)
    return run_chat(engine)


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    path = Path(args.dir) if args.dir else knowledge_dir(settings)
    knowledge = load_or_exit(path)
    print(f"{path}: OK: {knowledge.summary()}")
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.authoring.importer import run_import

    return run_import([Path(p) for p in args.pages], Path(args.out), replace=args.replace)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.insights.evaluation import run_eval

    return run_eval(engine_for(settings), Path(args.file), minimum=args.min, show_all=args.verbose)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.discord_bot.runner import run_bot

    return run_bot(settings)


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.insights.report import run_report

    return run_report(args, settings)


def cmd_prune(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime.retention import RetentionError, prune_database
    from bot.runtime.store import describe

    if settings.retention_days is None:
        print("medfaq prune: give --days N or set MEDFAQ_RETENTION_DAYS", file=sys.stderr)
        return 2
    try:
        deleted = prune_database(settings.db, settings.retention_days)
    except RetentionError as exc:
        print(f"medfaq prune: {exc}", file=sys.stderr)
        return 1
    days, where = settings.retention_days, describe(settings.db)
    print(f"deleted {deleted} question(s) older than {days:g} days from {where}")
    return 0


def cmd_learn(args: argparse.Namespace, settings: Settings) -> int:
    from bot.insights.learn import run_learn

    return run_learn(args, settings)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    """The benchmark is a developer tool: it lives in the checkout's ``bench/``, not the wheel."""
    try:
        from bench import run_bench
    except ModuleNotFoundError:
        print(
            "medfaq bench: the benchmark runs from a source checkout (its bench/ folder); "
            "install with `make install` there",
            file=sys.stderr,
        )
        return 1
    return run_bench(args)
