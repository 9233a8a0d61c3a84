"""The ``medfaq`` command line's grammar: commands, their options and the global ones."""

from __future__ import annotations

import argparse

from bot.cli.commands import (
    cmd_ask,
    cmd_bench,
    cmd_chat,
    cmd_check,
    cmd_eval,
    cmd_import,
    cmd_learn,
    cmd_prune,
    cmd_report,
    cmd_run,
)


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
