"""``medfaq chat``: the terminal front end, keeping the context for follow-up questions.

``--json`` is for tools and tests: one message a line in, one JSON reply a line out (the
fields of ``ask --json``), with the conversation's context kept from line to line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from bot.cli.terminal import show_reply
from bot.engine.engine import Engine
from bot.engine.replies import Context

WELCOME = (
    "medfaq chat: ask about {drugs}. Not medical advice.\n"
    "Type a question, a number to pick a suggestion, or 'quit'."
)


def run_chat(engine: Engine, prompt: str = "you> ") -> int:
    names = ", ".join(d.name for d in list(engine.knowledge.drugs.values())[:10])
    print(WELCOME.format(drugs=names))
    context: Context | None = None
    while True:
        try:
            line = input(prompt).strip()
        except EOFError:
            print()
            return 0
        if line.casefold() in {"quit", "exit", "q"}:
            return 0
        if not line:
            continue
        reply = engine.ask(line, context)  # a number picks a choice the context offered
        context = reply.context
        print()
        show_reply(reply.text, end="\n\n")


def run_json_chat(engine: Engine, lines: Iterable[str]) -> int:
    """One JSON reply per non-empty line, in order, each with the context of the ones before."""
    context: Context | None = None
    for line in lines:
        message = line.strip()
        if not message:
            continue
        reply = engine.ask(message, context)
        context = reply.context
        print(json.dumps(reply.as_json(message), ensure_ascii=False), flush=True)
    return 0
