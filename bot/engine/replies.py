"""The reply contract every front end shares: what the engine says, before any rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from bot.engine.decisions import Decision, as_dict
from bot.engine.triage.assessment import Assessment

Kind = Literal["answer", "clarify", "fallback", "emergency"]
KINDS: tuple[Kind, ...] = ("answer", "clarify", "fallback", "emergency")

MAX_TEXT = 4000
"""The longest full reply text; under Discord's 4,096-character embed description."""


@dataclass(frozen=True)
class Suggestion:
    """One "did you mean" choice: ``label`` to show, ``question`` to ask when it is picked."""

    label: str
    question: str
    drug: str | None = None
    """The drug the choice is about, when one is: so it can be picked by what sets it apart."""


@dataclass(frozen=True)
class Context:
    """What a follow-up question may refer back to ("what about amitriptyline?")."""

    drugs: tuple[str, ...] = ()
    topic: str | None = None
    term: str | None = None
    """The lay term a side-effect or use check asked about ("what about X?" asks it again)."""
    choices: tuple[Suggestion, ...] = ()
    """The "did you mean" choices just offered: a number picks one."""
    unknown: tuple[str, ...] = ()
    """Drug names just asked about that the knowledge does not have: "it" may mean them."""
    asked: tuple[str, ...] = ()
    """The words of the question just answered, without drug names: "and with X?" asks
    them again."""


class ReplyFields(TypedDict, total=False):
    """A reply's fields besides its kind, text and decision, as rendering fills them in."""

    title: str
    drug: str | None
    topic: str | None
    entry: str
    score: float
    suggestions: tuple[Suggestion, ...]
    context: Context


@dataclass(frozen=True)
class Reply:
    kind: Kind
    body: str
    """The reply without the disclaimer."""
    disclaimer: str | None = None
    title: str | None = None
    drug: str | None = None
    topic: str | None = None
    entry: str | None = None
    """The knowledge entry answered from: ``drug-id/section`` or ``combination-id#faq-id``."""
    score: float = 0.0
    suggestions: tuple[Suggestion, ...] = ()
    context: Context = field(default_factory=Context)
    decision: Decision | None = None
    """What the engine decided, as ids and scores: assert on this rather than on the text."""
    safety: Assessment | None = None
    """What the safety triage found, when it found something (emergency, guidance, dosing)."""

    @property
    def text(self) -> str:
        """The full reply as plain text: the title, the body, then the disclaimer."""
        parts = [f"**{self.title}**\n{self.body}" if self.title else self.body]
        if self.disclaimer:
            parts.append(self.disclaimer)
        return "\n\n".join(parts)

    def as_json(self, question: str) -> dict[str, Any]:
        return {
            "question": question,
            "kind": self.kind,
            "text": self.text,
            "drug": self.drug,
            "topic": self.topic,
            "entry": self.entry,
            "score": round(self.score, 1),
            "suggestions": [s.label for s in self.suggestions],
            "decision": as_dict(self.decision) if self.decision else None,
            "safety": self.safety_json(),
        }

    def safety_json(self) -> dict[str, Any] | None:
        """The triage's finding as plain data: its level, kind and signals."""
        if self.safety is None:
            return None
        found = self.safety
        return {"level": found.level, "kind": found.kind, "signals": list(found.signals)}
