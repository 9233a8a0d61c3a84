"""``medfaq chat``: the terminal front end, keeping the context for follow-up questions."""

from __future__ import annotations

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
    choices: list[str] = []
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
        if line.isascii() and line.isdigit() and len(line) < 4 and 0 < int(line) <= len(choices):
            line = choices[int(line) - 1]
        reply = engine.ask(line, context)
        context = reply.context
        choices = [s.question for s in reply.suggestions]
        print()
        show_reply(reply.text, end="\n\n")
