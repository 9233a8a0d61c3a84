"""Follow-up questions: what a question leaves out, filled in from the previous reply's
context ("and how does it work?", "what about amitriptyline?")."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from bot.engine.reading import Analysis
from bot.engine.replies import Context


def with_context(a: Analysis, context: Context, topics: Collection[str]) -> Analysis:
    """Fill in the drug ("and how does it work?") or the topic ("what about amitriptyline?");
    ``topics`` are the declared topics, the only ones a follow-up may inherit."""
    asks_something = bool(a.topics or a.terms or a.has("follow_up"))
    if not a.drugs and not a.others and not a.near and context.drugs and asks_something:
        return replace(a, drugs=list(context.drugs))
    follows_up = a.drugs and not (a.topics or a.terms) and a.has("follow_up")
    if follows_up and context.topic in topics:
        terms = [context.term] if context.term else []
        return replace(a, topics=[context.topic or ""], terms=terms)
    return a
