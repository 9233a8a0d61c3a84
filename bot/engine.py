"""The answer engine: a question in, a :class:`~bot.replies.Reply` out. Knows nothing of Discord."""

from __future__ import annotations

from bot.knowledge import KnowledgeBase
from bot.replies import Context, Reply, Suggestion
from bot.settings import DEFAULT_EMERGENCY_NUMBERS



class Engine:
    """Load the knowledge once; answer any number of questions, deterministically."""

    def __init__(
        self, knowledge: KnowledgeBase, *, emergency_numbers: str = DEFAULT_EMERGENCY_NUMBERS
    ) -> None:
        self.knowledge = knowledge
        self.emergency_numbers = emergency_numbers

    def ask(self, question: str, context: Context | None = None) -> Reply:
        """Answer ``question``; ``context`` is the previous reply's, for follow-ups."""
        raise NotImplementedError

    def answer_topic(self, drug_id: str, topic: str) -> Reply:
        """The section ``topic`` (usage, side_effects, how_it_works, overview) of one drug."""
        raise NotImplementedError

    def suggest(self, typed: str, limit: int = 25) -> list[Suggestion]:
        """Autocomplete: FAQ questions and "drug: topic" pairs that match what is typed."""
        raise NotImplementedError
