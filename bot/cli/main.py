"""The ``medfaq`` entry point: parse the arguments (:mod:`bot.cli.parser`), read the settings
once, run the command (:mod:`bot.cli.commands`), and turn known errors into messages and exit
codes (never a traceback).

Every command reads the same settings (environment, ``.env``, ``MEDFAQ_CONFIG``): an option
given on the command line whose name is a setting (``--knowledge``, ``--db``, ``--shard-ids``,
...) overrides it. Global options work before or after the command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli.commands import Handler
from bot.cli.parser import build_parser
from bot.runtime.settings import Settings, SettingsError, load_settings


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
