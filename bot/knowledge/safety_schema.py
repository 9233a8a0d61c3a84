"""The shape of ``safety.yaml``: signals, masks, rules and the replies they choose."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot.knowledge.schema import Id, Strict, Text

REQUIRED_KINDS = ("overdose", "child_or_pet", "self_harm", "severe_reaction", "poisoning")
"""Every safety file must recognise these kinds of emergency (the product's promise)."""
SafetyLevel = Literal["emergency", "guidance", "dosing"]


class Mask(Strict):
    """A signal that cancels others: those it ``overlap``s, or all in its ``sentence``
    unless a signal of ``unless`` is in that sentence too, or (``message``) those of
    ``cancels`` anywhere in the message unless ``unless`` is anywhere in it ("asking because
    i already took them" is no question)."""

    scope: Literal["overlap", "sentence", "message"]
    unless: list[Id] = []
    cancels: list[Id] = []
    """Only these signals are cancelled (every other signal when empty)."""
    spares: list[Id] = []
    """Signals never cancelled when ``cancels`` is empty ("cut my elavil in half" is said in
    no figurative sense of cutting, and it still asks about a dose)."""


class SafetyRule(Strict):
    """One combination of signals, read as "all of these, one of those, none of the rest"."""

    kind: Id
    level: SafetyLevel = "emergency"
    reply: Id | None = None
    """The emergency text or guidance paragraph to use; the kind's own when not given."""
    all: list[Id] = []
    any: list[Id] = []
    none: list[Id] = []
    together: list[Id] = []
    """Signals of this rule that must be found in one sentence ("my dog ate my pills", not
    "my dog ate my sock. can I take my pills with food?")."""
    within: int = 1
    """How many neighbouring sentences ``together`` may span ("he just ate something. bottle
    says amitriptyline.": 2)."""


class ModelUse(Strict):
    """How the learned second opinion (safety-model.tsv) joins the rules: alone it calls an
    emergency at ``fire`` or more; a rule's emergency stands only above ``keep``, or when the
    message has fewer than ``overrule_from`` words the model knows (too little to go on:
    "overdosed on gabapentin")."""

    fire: float = Field(gt=0, le=1)
    keep: float = Field(ge=0, lt=1)
    overrule_from: int = Field(default=6, ge=1)
    defer_to: list[Id] = []
    """Signals of a question the rules recognised ("what are the signs of"): over their
    guidance or dosing reply, the model calls an emergency only when at least ``sure``."""
    sure: float = Field(default=1.0, gt=0, le=1)
    trusted: list[Id] = []
    """Signals whose rule the model never overrules (a goodbye, swelling lips)."""
    silenced_by: list[Id] = []
    """Signals under which the model never calls an emergency the rules did not
    ("figuratively": the person says it is not meant)."""


class SafetyFile(Strict):
    numbers: dict[Text, int] = {}
    shorthand: dict[Text, Text] = {}
    """Chat shorthand read as the words it stands for ("r" is "are", "tonite" "tonight")."""
    translations: dict[Text, Text] = {}
    """Common words of other languages read as their English ("pastillas" is "pills")."""
    symbols: dict[str, Text] = {}
    """Emoji and other symbols read as a word ("😂" is "lol"): the tone they set is a signal."""
    breaks: list[Text] = []
    """Words that start a new subject, read as the end of a sentence ("anyway", "btw")."""
    maximum_doses: dict[Text, float] = {}
    """Most milligrams of a drug (by name) taken in a day; more at once is an overdose."""
    classes: dict[Id, list[Text]] = Field(default_factory=dict)
    signals: dict[Id, list[Text]] = Field(min_length=1)
    masks: dict[Id, Mask] = Field(default_factory=dict)
    rules: list[SafetyRule] = Field(min_length=1)
    replies: dict[Id, Text] = Field(min_length=1)
    guidance: dict[Id, Text] = Field(default_factory=dict)
    model: ModelUse | None = None
