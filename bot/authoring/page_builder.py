"""Turn a page's sections, in order, into its drugs and page fields (:class:`_Builder`)."""

from __future__ import annotations

import re
from typing import Any

from bot.knowledge.yamlsource import KnowledgeError, Problem

from .page_model import (
    BOLD_HEADING,
    PAGE_FIELDS,
    Block,
    Headings,
    Page,
    PageDrug,
    PageFaq,
    Section,
    clean,
    field_of,
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“'])")
_PAGE_POINTER = re.compile(r"\b(below|above)\b", re.IGNORECASE)


class PageBuilder:
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
        bold = BOLD_HEADING.match(block.text.strip())
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
