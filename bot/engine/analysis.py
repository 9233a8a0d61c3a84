"""What reading a question found: a plain value, with no decisions (:mod:`bot.engine.reading`
fills it in, :mod:`bot.engine.decide` decides on it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.engine.drugs import DrugMention

Cue = str
"""One of: overview, together, which, follow_up, each, both, or "check:<topic>"."""


@dataclass
class Analysis:
    tokens: list[str]
    drugs: list[str] = field(default_factory=list)
    others: list[DrugMention] = field(default_factory=list)
    near: list[DrugMention] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    cues: set[Cue] = field(default_factory=set)
    classes: list[str] = field(default_factory=list)
    """Drugs whose class the question names ("is amitriptyline a TCA?")."""
    leftover: list[str] = field(default_factory=list)
    """Words nothing in the knowledge accounts for: a topic the knowledge may not cover."""
    content: list[str] = field(default_factory=list)
    """The words without drug names, for comparing with FAQ phrasings."""
    unknown: list[str] = field(default_factory=list)
    """Words that look like the name of a drug we do not know (a near miss of a reference
    name); any other unknown word is just a word."""
    uncovered: list[str] = field(default_factory=list)
    """Topics the knowledge does not cover that the question names (alcohol, pregnancy ...)."""
    uncovered_said: list[list[str]] = field(default_factory=list)
    """The phrases that named those topics ("addictive", "getting hooked")."""
    small_talk: list[str] = field(default_factory=list)
    """Small talk the message is made of (hello, thanks, what can you do)."""
    spelled: list[str] = field(default_factory=list)
    """All the words with spelling mended in context (drug names as typed)."""
    strange: list[str] = field(default_factory=list)
    """Leftover words neither English (the reference list) nor the lexicon's: maybe a name."""
    named_at: list[int] = field(default_factory=list)
    """Where our drugs are named (word positions)."""
    foreign: list[str] = field(default_factory=list)
    """Leftover words no list knows ("co-codamol"), as written: maybe a drug's name."""
    paired: list[str] = field(default_factory=list)
    """Of those, the ones joined to one of our drugs' names ("co-codamol and gabapentin")."""
    asked: list[str] | None = None
    """The leftover words of the sentence that asks, when a message tells a story first
    ("My wife takes Elavil for her depression. Is it safe for her to stop it suddenly?")."""
    second_at: int | None = None
    """Where a yes/no question joined on after another starts ("how does it work and is it
    for sleep?": at "is")."""

    @property
    def second_yes_no(self) -> bool:
        return self.second_at is not None

    yes_no: bool = False
    """Asked as a yes/no question ("is it used for anxiety?"), not a wh-question."""

    @property
    def uncovered_words(self) -> list[str]:
        """The words that named the uncovered topics."""
        return [w for said in self.uncovered_said for w in said]

    def has(self, cue: Cue) -> bool:
        return cue in self.cues

    @property
    def together(self) -> bool:
        """Asks about taking drugs together."""
        return self.has("together")
