"""The shape of each knowledge file, as typed, validated objects.

Pydantic checks required fields and types; its error locations are turned into ``file:line``
by :mod:`bot.knowledge.loading`. Unknown keys are refused so a typo in a key name is never
ignored. The lexicon files and the safety file have modules of their own (``lexicon_schema``,
``safety_schema``).
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
)

Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(sys.intern)
]
"""Stripped (a new string), then interned: thousands of pages repeat the same texts."""
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ListSection(Strict):
    """A section that is a lead-in line and a list, such as "Primarily used to treat:"."""

    lead: Text | None = None
    items: list[Text] = Field(min_length=1)


class TextSection(Strict):
    text: Text


def _section_shape(value: Any) -> str:
    """A section with ``text`` is a text section; any other is read as a list section."""
    return "text" if isinstance(value, dict) and "text" in value else "list"


Section = Annotated[
    Annotated[ListSection, Tag("list")] | Annotated[TextSection, Tag("text")],
    Discriminator(_section_shape),
]
SECTION_SHAPES = ("list", "text")
"""Tags in a section's error location (``sections.usage.list.items``), left out of messages."""


class Sections(dict[str, ListSection | TextSection]):
    """A drug's sections by topic id, in the file's order; the topics are declared in
    ``lexicon/topics.yaml`` and :mod:`bot.knowledge.loading` checks each key against them."""

    def __getattr__(self, name: str) -> Any:
        # Older callers read ``sections.usage``; a topic the drug lacks reads as None.
        if name.startswith("_"):
            raise AttributeError(name)
        return self.get(name)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(
            cls,
            handler(dict[Id, Section]),
            serialization=core_schema.plain_serializer_function_ser_schema(
                _dump_sections, info_arg=True
            ),
        )


def _dump_sections(sections: Sections, info: Any) -> dict[str, Any]:
    return {
        topic: section.model_dump(mode=info.mode, exclude_none=info.exclude_none)
        for topic, section in sections.items()
    }


class Drug(Strict):
    id: Id
    name: Text
    generic_name: Text
    brands: list[Text] = []
    misspellings: list[Text] = []
    abbreviations: list[Text] = []
    """Short forms people use ("gaba"); a name of this drug even where the reference list
    gives the word to another substance."""
    classes: list[Text] = []
    intended_names: list[Text] = []
    """Names that are everyday words or very short on purpose (``medfaq check`` allows them)."""
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
    emergency: Text | None = None
    """No longer used: the emergency replies, one per kind of danger, are in safety.yaml.
    Still accepted, so that a knowledge folder written before keeps loading."""
    dosing: Text
    unknown_drug: Text
    drug_with_unknown: Text
    unknown_pair: Text
    unknown_topic: Text
    no_drug_named: Text
    off_topic: Text
    can_answer: Text
    combined_clause: Text
    list_and: Text
    more: Text
    and_more: Text
    clarify: Text
    unknown_word: Text
    listed: Text
    not_listed: Text
    not_listed_many: Text
    full_list: Text
    reverse_found: Text
    reverse_none: Text
    reverse_title: Text
    all_medicines: Text
    generic_name: Text
    brand_names: Text
    common_questions: Text
    emergency_for_someone_else: Text | None = None
    """Leads the emergency reply when it is about someone else's message ("Ask medfaq")."""


MESSAGE_FIELDS: dict[str, frozenset[str]] = {
    "dosing": frozenset({"drug_clause"}),
    "unknown_drug": frozenset({"names"}),
    "drug_with_unknown": frozenset({"names", "drugs"}),
    "unknown_pair": frozenset({"drugs"}),
    "unknown_topic": frozenset({"drugs"}),
    "no_drug_named": frozenset({"example"}),
    "can_answer": frozenset({"drugs", "topics", "combined_clause"}),
    "combined_clause": frozenset(),
    "list_and": frozenset(),
    "more": frozenset({"count"}),
    "and_more": frozenset({"count"}),
    "unknown_word": frozenset({"word"}),
    "listed": frozenset({"concept", "listing", "drug"}),
    "not_listed": frozenset({"concept", "listing", "drug", "advice"}),
    "not_listed_many": frozenset({"concept", "listing", "drug", "advice"}),
    "full_list": frozenset({"listing", "drug", "items"}),
    "reverse_found": frozenset({"concept", "item"}),
    "reverse_none": frozenset({"among", "concept", "item"}),
    "reverse_title": frozenset({"concept"}),
    "all_medicines": frozenset(),
    "generic_name": frozenset({"name"}),
    "brand_names": frozenset({"names"}),
    "common_questions": frozenset(),
}
"""The placeholders each message may use; any other is a mistake in the file."""


class EmergencyNumbersFile(Strict):
    """``emergency-numbers.yaml``: the numbers for the emergency reply by Discord locale."""

    locales: dict[Text, Text] = {}

    def for_locale(self, locale: str | None) -> str | None:
        """The numbers for ``locale`` ("es-ES"), else for its language ("es"), else None."""
        if not locale:
            return None
        return self.locales.get(locale) or self.locales.get(locale.split("-")[0])
