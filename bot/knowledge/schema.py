"""The shape of each knowledge file, as typed, validated objects.

Pydantic checks required fields and types; its error locations are turned into ``file:line``
by :mod:`bot.knowledge.loading`. Unknown keys are refused so a typo in a key name is never ignored.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ListSection(Strict):
    """A section that is a lead-in line and a list, such as "Primarily used to treat:"."""

    lead: Text | None = None
    items: list[Text] = Field(min_length=1)


class TextSection(Strict):
    text: Text


class Sections(Strict):
    usage: ListSection | None = None
    side_effects: ListSection | None = None
    how_it_works: TextSection | None = None


class Drug(Strict):
    id: Id
    name: Text
    generic_name: Text
    brands: list[Text] = []
    misspellings: list[Text] = []
    classes: list[Text] = []
    sections: Sections


class Faq(Strict):
    id: Id
    question: Text
    answer: Text
    phrasings: list[Text] = []


class Combination(Strict):
    id: Id
    title: Text
    drugs: list[Id] = Field(min_length=2)
    about: Text | None = None
    combined_use: Text | None = None
    faqs: list[Faq] = []
    disclaimer: Text | None = None
    note: Text | None = None


class Messages(Strict):
    disclaimer: Text
    note: Text | None = None
    emergency: Text
    dosing: Text
    unknown_drug: Text
    drug_with_unknown: Text
    unknown_pair: Text
    unknown_topic: Text
    no_drug_named: Text
    off_topic: Text
    can_answer: Text
    clarify: Text
    not_listed: Text
    not_used_for: Text


MESSAGE_FIELDS: dict[str, frozenset[str]] = {
    "emergency": frozenset({"numbers"}),
    "dosing": frozenset({"drug_clause"}),
    "unknown_drug": frozenset({"names"}),
    "drug_with_unknown": frozenset({"names", "drugs"}),
    "unknown_pair": frozenset({"drugs"}),
    "unknown_topic": frozenset({"drugs"}),
    "no_drug_named": frozenset({"example"}),
    "can_answer": frozenset({"drugs", "combined_clause"}),
    "not_listed": frozenset({"concept", "drug"}),
    "not_used_for": frozenset({"concept", "drug"}),
}
"""The placeholders each message may use; any other is a mistake in the file."""


class Topic(Strict):
    label: Text
    phrasings: list[Text] = Field(min_length=1)
    check_cues: list[Text] = []


class TopicsFile(Strict):
    topics: dict[Id, Topic]


class Term(Strict):
    id: Id
    label: Text
    listed: list[Text] = Field(min_length=1)
    said: list[Text] = Field(min_length=1)


class TermsFile(Strict):
    terms: list[Term]


class WordsFile(Strict):
    filler: list[Text]
    overview: list[Text]
    together: list[Text]
    which: list[Text]
    follow_up: list[Text]
    faq_ignore: list[Text]


class SafetyFile(Strict):
    emergency: dict[Id, list[Text]]
    dosing: list[Text]
