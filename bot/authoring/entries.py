"""Pages to entries: each drug and combination a page holds, as the fields of a knowledge file;
pages that share a drug must agree on it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.authoring.brands import page_brands, without_brands
from bot.authoring.pages import Headings, Page, PageDrug, bundled_headings, read_page
from bot.knowledge.lexicon_schema import TopicsFile
from bot.knowledge.loading import TOPICS_FILE, load_file
from bot.knowledge.text import normalise
from bot.knowledge.yamlsource import KnowledgeError, Problem

DRUGS = Path("drugs")
COMBINATIONS = Path("combinations")
FAQ_ID_WORDS = 8
MAX_ID_LENGTH = 100


"""Ids name files; a combination's joins its drugs' ids, and file names stop at 255 bytes."""


@dataclass
class Entry:
    """One knowledge file to produce: its page fields and the pages they came from."""

    folder: Path
    data: dict[str, Any]
    pages: list[Path] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def rel(self) -> Path:
        return self.folder / f"{self.id}.yaml"

    @property
    def kind(self) -> str:
        return "drug" if self.folder == DRUGS else "combination"


def headings_for(out: Path) -> Headings:
    """The headings of the topics ``out`` declares, else of the bundled ones (which the
    import copies into ``out`` when it has none)."""
    topics = out / TOPICS_FILE
    return Headings.of(load_file(topics, TopicsFile)) if topics.is_file() else bundled_headings()


def catalogue(
    pages: Iterable[Path], headings: Headings | None = None
) -> tuple[list[Entry], list[Problem]]:
    """Every drug and combination on ``pages``, shared drugs checked for agreement."""
    found: dict[Path, Entry] = {}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for path in pages:
        try:
            page = read_page(path, headings)
            new = page_entries(page)
        except KnowledgeError as exc:
            problems.extend(exc.problems)
            continue
        warnings.extend(page.warnings)
        for entry in new:
            _add(found, entry, problems)
    if problems:
        raise KnowledgeError(problems)
    return list(found.values()), warnings


def _add(found: dict[Path, Entry], entry: Entry, problems: list[Problem]) -> None:
    known = found.get(entry.rel)
    if known is None:
        found[entry.rel] = entry
        return
    differences = _differences(known.data, entry.data)
    if not differences:
        known.pages.extend(p for p in entry.pages if p not in known.pages)
        return
    what = "section" if len(differences) == 1 else "sections"
    problems.append(
        Problem(
            entry.pages[0],
            0,
            f"{entry.kind} {entry.id!r} differs from the one in {known.pages[0]} "
            f"({what} {', '.join(differences)}); make the pages agree or import them separately",
        )
    )


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for key in dict.fromkeys([*old, *new]):
        if key == "sections":
            old_sections, new_sections = old.get(key, {}), new.get(key, {})
            names.extend(
                topic.replace("_", " ")
                for topic in dict.fromkeys([*old_sections, *new_sections])
                if old_sections.get(topic) != new_sections.get(topic)
            )
        elif old.get(key) != new.get(key):
            names.append(key.replace("_", " "))
    return names


def page_entries(page: Page) -> list[Entry]:
    """The page's drugs and, when it names two or more drugs, its combination."""
    drugs: dict[Path, Entry] = {}
    problems: list[Problem] = []
    for drug in page.drugs:
        try:
            entry = Entry(DRUGS, drug_fields(page, drug), [page.path])
        except KnowledgeError as exc:
            problems.extend(exc.problems)
            continue
        _add(drugs, entry, problems)
    if problems:
        raise KnowledgeError(problems)
    entries = list(drugs.values())
    if len(entries) >= 2:
        combination = Entry(COMBINATIONS, combination_fields(page, entries), [page.path])
        if len(combination.id) > 2 * MAX_ID_LENGTH:
            raise KnowledgeError(
                [Problem(page.path, 0, f"{len(entries)} drugs are too many for one combination")]
            )
        entries.append(combination)
    else:
        _warn_single(page)
    return entries


def drug_fields(page: Page, drug: PageDrug) -> dict[str, Any]:
    if not drug.generic_name:
        raise KnowledgeError(
            [
                Problem(
                    page.path,
                    drug.line,
                    f"drug section {drug.name or '(unnamed)'!r} has no '**Generic Name:** ...' "
                    "line; add one (it gives the drug its id)",
                )
            ]
        )
    drug_id = slug(re.sub(r"\(.*?\)", " ", drug.generic_name))  # "X (Brand)" -> "x"
    if not drug_id or len(drug_id) > MAX_ID_LENGTH:
        raise KnowledgeError(
            [
                Problem(
                    page.path,
                    drug.line,
                    f"generic name {drug.generic_name[:80]!r} cannot be a file name (it needs "
                    f"letters or digits, at most {MAX_ID_LENGTH} of them)",
                )
            ]
        )
    fields: dict[str, Any] = {
        "id": drug_id,
        "name": drug.name or drug.generic_name,
        # the brands it names become the drug's brands, not part of its generic name
        "generic_name": without_brands(drug.generic_name),
        "sections": drug.sections,
    }
    name = without_brands(drug.name or drug.generic_name)
    brands = page_brands(drug.generic_name, page.about, re.sub(r"\(.*?\)", "", name).strip())
    return {**fields, "brands": brands} if brands else fields


def combination_fields(page: Page, drugs: list[Entry]) -> dict[str, Any]:
    names = [str(d.data["name"]) for d in drugs]
    faq_ids: set[str] = set()
    faqs = [
        {"id": unique(slug(faq.question, FAQ_ID_WORDS) or "faq", faq_ids), **_qa(faq)}
        for faq in page.faqs
    ]
    fields = {
        "id": "-".join(d.id for d in drugs),
        "title": page.title or " + ".join(names),
        "drugs": [d.id for d in drugs],
        "about": page.about,
        "combined_use": page.combined_use,
        "faqs": faqs,
        "disclaimer": page.disclaimer,
        "note": page.note,
    }
    return {key: value for key, value in fields.items() if value not in (None, [])}


def _qa(faq: Any) -> dict[str, str]:
    return {"question": faq.question, "answer": faq.answer}


def _warn_single(page: Page) -> None:
    """A single-drug page has no combination file: say what of it is not kept."""
    dropped = [name for name in ("combined_use", "faqs") if getattr(page, name) not in (None, [])]
    if dropped:
        page.warnings.append(
            Problem(
                page.path,
                0,
                f"skipped {', '.join(n.replace('_', ' ') for n in dropped)}: a page with one "
                "drug has no combination file to hold them",
            )
        )


def slug(text: str, max_words: int | None = None) -> str:
    """``"Amitriptyline HCl"`` -> ``"amitriptyline-hcl"``: lowercase words joined by '-'."""
    words = re.sub(r"[^a-z0-9]+", " ", normalise(text)).split()
    return "-".join(words[:max_words])


def unique(candidate: str, taken: set[str]) -> str:
    name, number = candidate, 2
    while name in taken:
        name, number = f"{candidate}-{number}", number + 1
    taken.add(name)
    return name


# --- merge with the existing file --------------------------------------------------------
