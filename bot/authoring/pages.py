"""Parse a drug page in the seed's markdown format into a :class:`Page`.

The format (see ``../shared/seeds/gabapentin-amitriptyline.md``)::

    ---                                   front matter; ``title`` names the page
    title: Gabapentin + Amitriptyline
    ---
    # Gabapentin + Amitriptyline          the title again
    Intro paragraph.                      -> the combination's ``about``
    **Gabapentin**                        a drug section starts with the drug's name
    **Generic Name:** Gabapentin
    **Usage:** Primarily used to treat:   a lead-in line, then bullets
    * Nerve pain
    **Side Effects:** ...                 the same
    **How it Works:** text
    **Combined Use of ...**               a paragraph -> ``combined_use``
    **FAQs (...):**                       bullets ``* **Question?** Answer``
    **Disclaimer:** text
    **Note:** text

Sections may be missing or come in another order, headings may be ``## Markdown`` headings
instead of bold lines, and whitespace may vary. Only the page is read here; turning pages
into knowledge files is :mod:`bot.authoring.importer`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.loading import TOPICS_FILE, bundled_knowledge_dir, load_file
from bot.knowledge.schema import TopicsFile
from bot.knowledge.text import normalise
from bot.knowledge.yamlsource import KnowledgeError, Problem, read_text

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

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_HEADING = re.compile(r"^\*\*(.+?)\*\*\s*(.*)$")
_BULLET = re.compile(r"^\s*(?:[*+•-]|\d+[.)])\s+(.*)$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*\*|__|`|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“'])")
_PAGE_POINTER = re.compile(r"\b(below|above)\b", re.IGNORECASE)


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


def read_page(path: Path, headings: Headings | None = None) -> Page:
    """Read and parse one page; raise :class:`KnowledgeError` naming the page if it can't.
    ``headings``: the knowledge's topics (default: the bundled ones)."""
    return parse_page(path, read_text(path).lstrip("\ufeff"), headings)


def parse_page(path: Path, text: str, headings: Headings | None = None) -> Page:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    page = Page(path)
    body_start = 0
    front = _FRONT_MATTER.match(text)
    if front:
        page.title = _front_matter_title(path, front.group(1))
        body_start = front.group(0).count("\n")
    intro, sections = _split(text.split("\n")[body_start:], body_start + 1, page)
    _Builder(page, headings or bundled_headings()).build(intro, sections)
    if not page.drugs:
        raise KnowledgeError(
            [
                Problem(
                    path,
                    0,
                    "no drug sections found; a page needs a bold drug name line followed by "
                    "'**Generic Name:** ...' (see the seed page's format)",
                )
            ]
        )
    return page


def clean(text: str) -> str:
    """Markdown emphasis, links and runs of whitespace removed: the plain text of a line."""
    return " ".join(_EMPHASIS.sub("", _LINK.sub(r"\1", text)).split())


def _front_matter_title(path: Path, source: str) -> str | None:
    # libyaml crashes the process on brackets nested thousands deep; front matter is a few
    # lines, so any bracket sends it to the pure-Python parser, which fails cleanly.
    loader = yaml.SafeLoader if "[" in source or "{" in source else _Loader
    try:
        # Composed, never constructed: an alias bomb (``&a [*b, *b, ...]``) stays a few
        # shared nodes instead of expanding to gigabytes; only the title's text is read.
        root = yaml.compose(source, Loader=loader)
    except RecursionError as exc:
        raise KnowledgeError([Problem(path, 2, "front matter nested too deeply")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise KnowledgeError(
            [Problem(path, line, "front matter is not valid YAML; check the lines between ---")]
        ) from exc
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "title":
            if not isinstance(value, yaml.ScalarNode) or value.tag.endswith(":null"):
                return None
            return clean(str(value.value)) or None
    return None


def _split(lines: list[str], first_line: int, page: Page) -> tuple[list[Block], list[Section]]:
    """Group lines into the intro's blocks and headed sections; take the ``# Title``."""
    intro: list[Block] = []
    sections: list[Section] = []
    blocks = intro
    last: Block | None = None
    for number, raw in enumerate(lines, start=first_line):
        line = raw.rstrip()
        if not line.strip() or _RULE.match(line):
            last = None  # a blank line or a rule ends a paragraph
            continue
        heading = _heading(line, number)
        if heading is not None:
            if heading.label.startswith("#"):  # a level-one heading: the page title
                page.title = page.title or clean(heading.label[1:]) or None
                last = None
                continue
            sections.append(heading)
            blocks, last = heading.blocks, None
            continue
        bullet = _BULLET.match(line)
        if bullet:
            last = Block("bullet", bullet.group(1), number)
            blocks.append(last)
        elif last is not None:  # a wrapped line continues its paragraph or bullet
            last.text += " " + line.strip()
        else:
            last = Block("para", line.strip(), number)
            blocks.append(last)
    return intro, sections


def _heading(line: str, number: int) -> Section | None:
    """A markdown heading, or a line that opens with bold text ending in ':' or alone."""
    markdown = _MD_HEADING.match(line)
    if markdown:
        text = markdown.group(2)
        if len(markdown.group(1)) == 1:
            return Section("#" + text, "", number, colon=False)
        label = clean(text)
        return Section(label.rstrip(":").strip(), "", number, colon=label.endswith(":"))
    bold = _BOLD_HEADING.match(line.strip())
    if not bold:
        return None
    label, rest = bold.group(1).strip(), bold.group(2).strip()
    colon = label.endswith(":") or rest.startswith(":")
    if rest and not colon:  # a paragraph that merely starts in bold
        return None
    return Section(clean(label.rstrip(":")), clean(rest.removeprefix(":")), number, colon)


def field_of(label: str, headings: Headings) -> str | None:
    """The page or drug field a heading label names, if any."""
    words = normalise(label)
    if words in headings.fields:
        return headings.fields[words]
    for prefix, name in LABEL_PREFIXES:
        if words.startswith(prefix):
            return name
    return None


class _Builder:
    """Walks the sections in order, filling the current drug or the page."""

    def __init__(self, page: Page, headings: Headings) -> None:
        self.page = page
        self.headings = headings
        self.drug: PageDrug | None = None
        self.in_faqs = False

    def build(self, intro: list[Block], sections: list[Section]) -> None:
        self.page.about = _about(intro)
        for section in sections:
            self._section(section)
        kept = []
        for drug in self.page.drugs:
            if drug.generic_name is None and not drug.sections:
                self._skip(drug.line, f"section {drug.name!r}: not a drug (no Generic Name)")
            else:
                kept.append(drug)
        self.page.drugs = kept

    def _section(self, section: Section) -> None:
        name = field_of(section.label, self.headings)
        if self.in_faqs and name is None and section.label.endswith("?"):
            self._faq_heading(section)
            return
        self.in_faqs = name == "faqs"
        if name == "generic_name" or name in self.headings.shapes:
            self._drug_field(name, section)
        elif name in PAGE_FIELDS:
            self.drug = None
            self._page_field(name, section)
        elif section.colon or section.rest:
            self._skip(section.line, f"section {section.label!r}: no place for it in knowledge")
        else:
            self.drug = PageDrug(section.label, section.line)
            self.page.drugs.append(self.drug)
            for block in section.blocks:
                self._skip(block.line, f"text under {section.label!r} before its first field")

    def _drug_field(self, name: str, section: Section) -> None:
        drug = self.drug
        if drug is not None and name != "generic_name" and self._is_stray_heading(drug):
            drug = self.drug = self.page.drugs[-1]  # a heading such as **Warnings** in between
        if drug is None or (name == "generic_name" and drug.generic_name is not None):
            drug = self.drug = PageDrug("", section.line)  # named by its generic name
            self.page.drugs.append(drug)
        if name == "generic_name":
            drug.generic_name = _joined(section) or None
            if not drug.name:
                drug.name = drug.generic_name or ""
            return
        if name in drug.sections:
            self._skip(section.line, f"second {section.label!r} section of {drug.name!r}")
            return
        is_list = self.headings.shapes[name] == "list"
        if is_list:
            self._drop_text_after_list(section)
        value = _list_section(section) if is_list else _text_section(section)
        if value is None:
            self._skip(section.line, f"empty section {section.label!r}")
        elif isinstance(value, str):
            raise KnowledgeError([Problem(self.page.path, section.line, value)])
        else:
            drug.sections[name] = value

    def _is_stray_heading(self, drug: PageDrug) -> bool:
        """A bold line taken for a drug, with no field yet, inside another drug's section:
        the field that follows belongs to that other drug. Drop it (with a note) and say so."""
        drugs = self.page.drugs
        if drug.generic_name or drug.sections or len(drugs) < 2 or drugs[-1] is not drug:
            return False
        drugs.pop()
        self._skip(drug.line, f"section {drug.name!r}: not a drug (no Generic Name)")
        return True

    def _drop_text_after_list(self, section: Section) -> None:
        """A paragraph after a list (past a blank line) is no item of it: skip it, say so."""
        first = next((i for i, b in enumerate(section.blocks) if b.kind == "bullet"), None)
        if first is None:
            return
        kept = section.blocks[:first]
        for block in section.blocks[first:]:
            if block.kind == "bullet":
                kept.append(block)
            else:
                self._skip(block.line, f"text after the list of {section.label!r}")
        section.blocks = kept

    def _page_field(self, name: str, section: Section) -> None:
        if name == "faqs":
            for block in section.blocks:
                self.page.faqs.append(self._faq(block))
            return
        text = _joined(section, paragraphs=True)
        if not text:
            self._skip(section.line, f"empty section {section.label!r}")
        elif getattr(self.page, name) is not None:
            self._skip(section.line, f"second {section.label!r} section")
        else:
            setattr(self.page, name, text)

    def _faq(self, block: Block) -> PageFaq:
        bold = _BOLD_HEADING.match(block.text.strip())
        if bold:
            question, answer = bold.group(1), bold.group(2)
        elif "?" in block.text:
            question, _, answer = block.text.partition("?")
            question += "?"
        else:
            raise KnowledgeError(
                [
                    Problem(
                        self.page.path,
                        block.line,
                        "FAQ item without a question; write '* **Question?** Answer'",
                    )
                ]
            )
        question, answer = clean(question), clean(answer)
        if not answer:
            raise KnowledgeError(
                [Problem(self.page.path, block.line, f"FAQ {question!r} has no answer")]
            )
        return PageFaq(question, answer, block.line)

    def _faq_heading(self, section: Section) -> None:
        """``**Question?**`` on its own line, the answer in the paragraphs under it."""
        answer = _joined(section, paragraphs=True)
        block = Block("bullet", f"**{section.label}** {answer}", section.line)
        self.page.faqs.append(self._faq(block))

    def _skip(self, line: int, message: str) -> None:
        self.page.warnings.append(Problem(self.page.path, line, f"skipped {message}"))


def _about(intro: list[Block]) -> str | None:
    """The intro, without sentences that point at the page layout ("The information below")."""
    paragraphs = []
    for block in intro:
        sentences = _SENTENCE_END.split(clean(block.text))
        kept = [s for s in sentences if not _PAGE_POINTER.search(s)]
        if kept:
            paragraphs.append(" ".join(kept))
    return "\n\n".join(paragraphs) or None


def _joined(section: Section, *, paragraphs: bool = False) -> str:
    """The heading's inline text and every block under it, as plain text."""
    parts = [section.rest] if section.rest else []
    for block in section.blocks:
        text = clean(block.text)
        parts.append(f"- {text}" if block.kind == "bullet" and paragraphs else text)
    return ("\n\n" if paragraphs else " ").join(p for p in parts if p)


def _list_section(section: Section) -> dict[str, Any] | str | None:
    """``{"lead": ..., "items": [...]}``; a message if the list is missing; None if empty."""
    lead_parts = [section.rest] if section.rest else []
    items: list[str] = []
    for block in section.blocks:
        text = clean(block.text)
        if block.kind == "bullet":
            items.append(text)
        else:
            lead_parts.append(text)
    lead = " ".join(p for p in lead_parts if p) or None
    if not items:
        if lead is None:
            return None
        if lead.endswith(":"):
            return f"section {section.label!r} has the lead-in {lead!r} but no '* item' lines"
        return {"items": [lead]}
    return {"lead": lead, "items": items} if lead else {"items": items}


def _text_section(section: Section) -> dict[str, Any] | None:
    text = _joined(section)
    return {"text": text} if text else None
