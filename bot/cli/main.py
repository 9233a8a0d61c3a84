"""The ``medfaq`` command line. Each command's work lives in its own module; this one parses
arguments, reads the settings once, prints, and turns known errors into messages and exit codes
(never a traceback).

Every command reads the same settings (environment, ``.env``, ``MEDFAQ_CONFIG``): an option
given on the command line whose name is a setting (``--knowledge``, ``--db``, ``--shard-ids``,
...) overrides it. Global options work before or after the command."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from bot.cli.terminal import show_reply
from bot.engine.engine import Engine
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir, load_knowledge
from bot.knowledge.yamlsource import KnowledgeError
from bot.runtime.settings import Settings, SettingsError, load_settings

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


def positive(text: str) -> int:
    """A whole number of at least 1 (argparse names the option in its message)."""
    if not text.strip().isdecimal() or len(text.strip()) > 9 or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a whole number of at least 1")
    return int(text)


def sizes(text: str) -> str:
    """Drug counts separated by commas, each at least 1 (``250,1000,4000``)."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    try:
        if parts and all(positive(part) for part in parts):
            return ",".join(parts)
    except argparse.ArgumentTypeError:
        pass
    raise argparse.ArgumentTypeError(
        f"{text[:40]!r}: give drug counts separated by commas, e.g. 250,1000,4000"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medfaq",
        description="Answers medication questions from a curated knowledge base. "
        "Not medical advice.",
    )
    add_global_options(parser, default=None)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # The same options after the command; SUPPRESS keeps one given before it.
    common = argparse.ArgumentParser(add_help=False)
    add_global_options(common, default=argparse.SUPPRESS)

    ask = commands.add_parser(
        "ask", parents=[common], help="answer one question, or one a line from stdin"
    )
    ask.add_argument("question", nargs="*", help="the question (none: read stdin)")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.set_defaults(handler=cmd_ask)

    chat = commands.add_parser(
        "chat", parents=[common], help="interactive terminal chat; no token needed"
    )
    chat.add_argument(
        "--json", action="store_true", help="one message a line in, one JSON reply a line out"
    )
    chat.set_defaults(handler=cmd_chat)

    check = commands.add_parser("check", parents=[common], help="validate a knowledge directory")
    check.add_argument("dir", nargs="?", help="the directory (default: the knowledge in use)")
    check.set_defaults(handler=cmd_check)

    importer = commands.add_parser(
        "import", parents=[common], help="turn markdown drug pages into knowledge YAML"
    )
    importer.add_argument("pages", nargs="+", metavar="PAGE.md")
    importer.add_argument(
        "--out", default="knowledge", metavar="DIR", help="knowledge directory (./knowledge)"
    )
    importer.add_argument(
        "--replace",
        action="store_true",
        help="let the pages replace drugs another page or a maintainer wrote",
    )
    importer.set_defaults(handler=cmd_import)

    evaluate = commands.add_parser(
        "eval", parents=[common], help="score the engine on a question set"
    )
    evaluate.add_argument("file", metavar="FILE.yaml")
    evaluate.add_argument("--min", type=float, default=100.0, metavar="PCT", help="pass mark")
    evaluate.add_argument("-v", "--verbose", action="store_true", help="show passing cases too")
    evaluate.set_defaults(handler=cmd_eval)

    run = commands.add_parser(
        "run", parents=[common], help="start the Discord bot (token from DISCORD_TOKEN)"
    )
    run.add_argument("--db", metavar="PATH", help="question log database (default: $MEDFAQ_DB)")
    run.add_argument(
        "--dev-guild", type=int, metavar="ID", help="sync commands to this guild only (instant)"
    )
    run.add_argument("--shard-count", type=int, metavar="N", help="shards in the whole deployment")
    run.add_argument(
        "--shard-ids", metavar="0,1", help="the shards this process runs (needs --shard-count)"
    )
    run.add_argument(
        "--watch",
        action="store_true",
        default=None,
        help="reload the knowledge when its files change ($MEDFAQ_WATCH)",
    )
    run.set_defaults(handler=cmd_run)

    report = commands.add_parser(
        "report", parents=[common], help="what went unanswered, from the question log"
    )
    report.add_argument(
        "--since", metavar="WHEN", help="7d, 24h, 30m, 2w or an ISO date (UTC); default: all"
    )
    report_format = report.add_mutually_exclusive_group()
    report_format.add_argument("--json", action="store_true", help="one JSON object, for tools")
    report_format.add_argument("--csv", action="store_true", help="CSV rows, for spreadsheets")
    report_format.add_argument(
        "--html", metavar="FILE", help="write one self-contained page with charts to FILE"
    )
    report.add_argument("--db", metavar="PATH", help="the question log (default: $MEDFAQ_DB)")
    report.add_argument(
        "--limit", type=int, default=10, metavar="N", help="rows per section (default 10; 0: all)"
    )
    report.set_defaults(handler=cmd_report)

    prune = commands.add_parser(
        "prune", parents=[common], help="delete questions older than the retention period"
    )
    prune.add_argument(
        "--days",
        dest="retention_days",
        type=float,
        metavar="N",
        help="older than N days (default: $MEDFAQ_RETENTION_DAYS)",
    )
    prune.add_argument("--db", metavar="PATH", help="the question log (default: $MEDFAQ_DB)")
    prune.set_defaults(handler=cmd_prune)

    learn = commands.add_parser(
        "learn", parents=[common], help="write suggestions from the question log into the knowledge"
    )
    learn.add_argument(
        "--accept",
        nargs="+",
        default=[],
        metavar="ID",
        help="accept these suggestions (ids from medfaq report; ID=TERM files one under a lay "
        "term) instead of asking",
    )
    learn.add_argument("--since", metavar="WHEN", help="only questions since (7d, 2026-11-01)")
    learn.add_argument("--db", metavar="PATH", help="the question log (default: $MEDFAQ_DB)")
    learn.add_argument("--dry-run", action="store_true", help="show the diff, write nothing")
    learn.set_defaults(handler=cmd_learn)

    bench = commands.add_parser(
        "bench", parents=[common], help="benchmark at scale beside a naive baseline"
    )
    bench.add_argument("--pages", type=positive, default=2000, help="pages, two drugs each (2000)")
    bench.add_argument("--questions", type=positive, default=400, help="questions asked (400)")
    bench.add_argument(
        "--sizes", type=sizes, default="250,1000,4000", help="drug counts for scaling"
    )
    bench.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
    bench.add_argument("--out", metavar="FILE.json", help="write the figures as JSON here")
    bench.add_argument("--workdir", metavar="DIR", help="keep generated files here (default: temp)")
    bench.add_argument("--dev-set", metavar="FILE.yaml", help="question templates (dev set)")
    bench.add_argument("--medicationqa", metavar="FILE.jsonl", help="real consumer questions")
    bench.add_argument("--e2e", action="store_true", help="also drive the bot via a fake Discord")
    bench.add_argument("--e2e-messages", type=int, default=2000, help="messages sent (2000)")
    bench.add_argument(
        "--e2e-db",
        metavar="URL",
        help="the e2e bot's store: a postgresql:// URL or a SQLite path (default: a new file)",
    )
    bench.set_defaults(handler=cmd_bench)

    return parser


def add_global_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument(
        "--knowledge",
        metavar="DIR",
        default=default,
        help="knowledge directory (default: the knowledge setting, else the bundled one)",
    )


def read_settings(args: argparse.Namespace) -> Settings:
    """The settings, with every given option named like a setting as an override."""
    overrides = {
        name: value
        for name, value in vars(args).items()
        if name in Settings.model_fields and value is not None
    }
    return load_settings(**overrides)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        settings = read_settings(args)
    except SettingsError as exc:
        print(f"medfaq: {exc}", file=sys.stderr)
        return 1
    try:
        return handler(args, settings)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
