"""What the engine decided to say, as values: ids and scores, never text.

:mod:`bot.engine.decide` makes them, :mod:`bot.engine.render` words them, and the reply
carries its decision, so tests, ``eval`` and the question log can assert on what was decided
rather than on English. :func:`as_dict` is their JSON form (``ask --json``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

FallbackReason = Literal[
    "unknown_drug",  # names only drugs we do not know
    "drug_with_unknown",  # one of ours with one we do not know
    "unknown_pair",  # several of ours with no combination page
    "unknown_topic",  # ours, but on something their pages do not cover
    "no_drug_named",  # a topic, but which medicine?
    "off_topic",  # nothing we can answer
]


# -- choices offered by a Clarify -----------------------------------------------------------


@dataclass(frozen=True)
class TopicChoice:
    drug: str
    topic: str


@dataclass(frozen=True)
class DrugChoice:
    drug: str
    asked: str | None = None
    """The question to ask when picked, when not just the drug's name (a near miss: the
    question again, with the name the bot knows)."""


@dataclass(frozen=True)
class CombinationChoice:
    combination: str


@dataclass(frozen=True)
class FaqChoice:
    combination: str
    faq: str


Choice = TopicChoice | DrugChoice | CombinationChoice | FaqChoice


# -- decisions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Emergency:
    kind: str
    signals: tuple[str, ...] = ()
    reply: str | None = None
    """The emergency text of safety.yaml to use (``pet`` for a pet); the kind's when None."""


@dataclass(frozen=True)
class Dosing:
    drugs: tuple[str, ...]


@dataclass(frozen=True)
class Fallback:
    reason: FallbackReason
    drugs: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    """Words of the question taken for drugs we do not know."""
    topic: str | None = None


@dataclass(frozen=True)
class Sections:
    drug: str
    topics: tuple[str, ...]
    score: float = 100.0


@dataclass(frozen=True)
class Overview:
    drug: str
    score: float = 100.0


@dataclass(frozen=True)
class Check:
    """Is ``term`` among the items of ``drug``'s ``topic`` section? ``found``: those naming it
    (by the items' own words or the term's lay words)."""

    drug: str
    term: str
    """A lay term's id, or "" when the question's own words are checked (``concept``)."""
    topic: str
    found: tuple[str, ...]
    score: float = 100.0
    concept: str = ""
    """The words asked about, as typed, when no lay term names them ("hair loss")."""


@dataclass(frozen=True)
class Reverse:
    """Which of ``drugs`` list ``term`` under ``topic``: ``found`` as (drug, item) pairs."""

    term: str
    topic: str
    drugs: tuple[str, ...]
    found: tuple[tuple[str, str], ...]
    everyone: bool
    """True when ``drugs`` are all the knowledge's drugs."""
    score: float = 100.0
    concept: str = ""
    """The words asked about when no lay term names them; for a text topic (how it works),
    ``found`` pairs each drug with its text."""


@dataclass(frozen=True)
class FaqAnswer:
    combination: str
    faq: str
    score: float


@dataclass(frozen=True)
class Combination:
    combination: str
    score: float = 100.0


@dataclass(frozen=True)
class Clarify:
    choices: tuple[Choice, ...]
    score: float = 0.0
    unknown_word: str | None = None
    """A word like one of our drug names but not one ("I don't know ...")."""


@dataclass(frozen=True)
class Uncovered:
    """A topic the knowledge does not cover (lexicon/conversation.yaml), named honestly."""

    topic: str
    drugs: tuple[str, ...] = ()


@dataclass(frozen=True)
class SmallTalk:
    kind: str
    """hello, thanks, capabilities ... (lexicon/conversation.yaml)."""


@dataclass(frozen=True)
class InvalidChoice:
    """A number that is not one of the choices just offered; they are offered again."""

    number: str
    count: int


@dataclass(frozen=True)
class Both:
    """A question with two parts: ``first`` (the safety-relevant one), then ``second``."""

    first: Decision
    second: Decision


@dataclass(frozen=True)
class Each:
    """One answer per drug ("what is each one for?")."""

    parts: tuple[Decision, ...]


Decision = (
    Emergency
    | Dosing
    | Fallback
    | Sections
    | Overview
    | Check
    | Reverse
    | FaqAnswer
    | Combination
    | Clarify
    | Uncovered
    | SmallTalk
    | InvalidChoice
    | Both
    | Each
)


ANSWERS = (Sections, Overview, Check, Reverse, FaqAnswer, Combination, Each)
"""The decisions that answer from the knowledge (not a fallback, a clarify or small talk)."""


def as_dict(decision: Decision) -> dict[str, Any]:
    """``{"type": "Check", "drug": ..., ...}``: the decision's type name and fields."""
    fields = asdict(decision)
    if isinstance(decision, Clarify):
        fields["choices"] = [{"type": type(c).__name__, **asdict(c)} for c in decision.choices]
    return {"type": type(decision).__name__, **fields}
