"""What the triage concluded about a message: a plain value, no text."""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.safety_schema import SafetyLevel


@dataclass(frozen=True)
class Assessment:
    """``level`` "emergency": danger now; "guidance": a question about danger, answered after
    a short paragraph of emergency guidance; "dosing": a question about amounts; None: none.

    ``signals`` are the categories that were found (after figurative and past words took
    theirs away), in the order of the message: why the triage decided so.
    """

    level: SafetyLevel | None = None
    kind: str | None = None
    reply: str | None = None
    """The id of the emergency text or guidance paragraph (``pet``, ``self_harm``, ...)."""
    signals: tuple[str, ...] = ()

    @property
    def emergency(self) -> bool:
        return self.level == "emergency"


NOTHING = Assessment()
