"""What a drug page holds once read: its drugs, sections, FAQs and page fields, and the heading
labels that name them (derived from the declared topics)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bot.knowledge.lexicon_schema import TopicsFile
from bot.knowledge.loading import TOPICS_FILE, bundled_knowledge_dir, load_file
from bot.knowledge.text import normalise
from bot.knowledge.yamlsource import Problem

PAGE_FIELDS = ("combined_use", "faqs", "disclaimer", "note")
FIXED_LABELS = {
    "generic name": "generic_name",
    "generic": "generic_name",
    "disclaimer": "disclaimer",
    "note": "note",
}
"""Heading labels (normalised) of the fields that are not topics; the topics' own headings
come from ``lexicon/topics.yaml`` (see :class:`Headings`)."""
LABEL_PREFIXES = (("combined use", "combined_use"), ("faq", "faqs"), ("frequently asked", "faqs"))

BOLD_HEADING = re.compile(r"^\*\*(.+?)\*\*\s*(.*)$")
"""A line that starts with a bold label: ``**Usage:** text``."""
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*\*|__|`|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")


@dataclass(frozen=True)
class Headings:
    """Which field each heading label (normalised) names, and each topic's section shape;
    built from the declared topics, so a new topic is imported with no change of code."""

    fields: dict[str, str]
    shapes: dict[str, str]

    @classmethod
    def of(cls, topics: TopicsFile) -> Headings:
        fields = dict(FIXED_LABELS)
        for topic_id, topic in topics.topics.items():
            for label in (topic_id.replace("_", " "), topic.label, *topic.headings):
                fields.setdefault(normalise(label), topic_id)
        return cls(fields, {t: topic.section for t, topic in topics.topics.items()})


@cache
def bundled_headings() -> Headings:
    return Headings.of(load_file(bundled_knowledge_dir() / TOPICS_FILE, TopicsFile))


@dataclass
class Block:
    """A paragraph or a bullet item, with the line it starts on."""

    kind: str  # "para" or "bullet"
    text: str
    line: int


@dataclass
class Section:
    """A heading (bold line or markdown heading) and the blocks under it."""

    label: str
    rest: str
    line: int
    colon: bool
    blocks: list[Block] = field(default_factory=list)


@dataclass
class PageDrug:
    name: str
    line: int
    generic_name: str | None = None
    sections: dict[str, Any] = field(default_factory=dict)
    """Topic id -> section, shaped as in :class:`bot.knowledge.schema.Sections`."""


@dataclass
class PageFaq:
    question: str
    answer: str
    line: int


@dataclass
class Page:
    path: Path
    title: str | None = None
    about: str | None = None
    drugs: list[PageDrug] = field(default_factory=list)
    combined_use: str | None = None
    faqs: list[PageFaq] = field(default_factory=list)
    disclaimer: str | None = None
    note: str | None = None
    warnings: list[Problem] = field(default_factory=list)
    """Content the knowledge files have no place for; reported, not fatal."""


def clean(text: str) -> str:
    """Markdown emphasis, links and runs of whitespace removed: the plain text of a line."""
    return " ".join(_EMPHASIS.sub("", _LINK.sub(r"\1", text)).split())


def field_of(label: str, headings: Headings) -> str | None:
    """The page or drug field a heading label names, if any."""
    words = normalise(label)
    if words in headings.fields:
        return headings.fields[words]
    for prefix, name in LABEL_PREFIXES:
        if words.startswith(prefix):
            return name
    return None
