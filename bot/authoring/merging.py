"""Entries merged with the files ``out`` already holds: the page's content replaces the page
fields; the matching aids added by hand, FAQ phrasings and comments are kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.authoring.entries import COMBINATIONS, DRUGS, Entry, unique
from bot.authoring.provenance import conflict
from bot.authoring.yamlwriter import dump
from bot.knowledge.loading import load_file
from bot.knowledge.schema import Combination, Drug
from bot.knowledge.text import normalise
from bot.knowledge.yamlsource import KnowledgeError, Problem, read_text

HAND_FIELDS = ("brands", "misspellings", "abbreviations", "classes", "intended_names")
"""A drug's fields that no page has: added by hand for matching, kept on every import."""
HEADER_NOTES = {
    DRUGS: "# Page content is replaced on each import; brands, misspellings and classes "
    "added by hand are kept.",
    COMBINATIONS: "# Page content is replaced on each import; FAQ phrasings added by hand "
    "are kept.",
}


@dataclass
class Written:
    """A file of the result: the entry it renders and its text (None: unchanged)."""

    entry: Entry
    text: str | None
    notes: list[Problem] = field(default_factory=list)
    """What the merge dropped from the existing file (FAQs no longer on the page)."""


def merge_all(entries: list[Entry], out: Path, replace: bool) -> list[Written]:
    """Every entry merged; the problems of every unreadable existing file, not only the first."""
    results: list[Written] = []
    problems: list[Problem] = []
    for entry in entries:
        try:
            results.append(merge_with_existing(entry, out, replace=replace))
        except KnowledgeError as exc:
            problems.extend(exc.problems)
    if problems:
        raise KnowledgeError(problems)
    return results


def merge_with_existing(entry: Entry, out: Path, *, replace: bool = False) -> Written:
    """The entry merged with ``out``'s file of the same id; text None when nothing changes."""
    path = out / entry.rel
    existing_text: str | None = None
    existing: Drug | Combination | None = None
    model: type[Drug] | type[Combination] = Drug if entry.folder == DRUGS else Combination
    if path.is_file():
        existing = load_file(path, model)
        existing_text = read_text(path)
    data = dict(entry.data)
    notes: list[Problem] = []
    if isinstance(existing, Drug):
        data.update({name: getattr(existing, name) for name in HAND_FIELDS})
        # brands the page names join those a maintainer added by hand
        page_brands = [b for b in entry.data.get("brands", []) if b not in existing.brands]
        data["brands"] = [*existing.brands, *page_brands]
    elif isinstance(existing, Combination):
        data["faqs"] = _merge_faqs(data.get("faqs", []), existing)
        kept = {faq["id"] for faq in data["faqs"]}
        notes = [
            Problem(
                path,
                0,
                f"FAQ {faq.id!r} is not on {entry.pages[0].name} any more; removed "
                f"with its {len(faq.phrasings)} phrasings",
            )
            for faq in existing.faqs
            if faq.id not in kept
        ]
    merged = _validated(model, data, entry)
    if existing is not None and merged == existing:
        return Written(entry, None)
    if existing_text is not None and not replace:
        why = conflict(entry.kind, entry.id, entry.pages, path, existing_text)
        if why:
            raise KnowledgeError([Problem(entry.pages[0], 0, why)])
    return Written(entry, render(merged, entry, existing_text), notes)


def _merge_faqs(faqs: list[dict[str, Any]], existing: Combination) -> list[dict[str, Any]]:
    """Page FAQs, each keeping the id and phrasings of the existing FAQ it matches."""
    by_id = {faq.id: faq for faq in existing.faqs}
    by_question = {normalise(faq.question): faq for faq in existing.faqs}
    used: set[str] = set()
    merged = []
    for faq in faqs:
        old = by_question.get(normalise(faq["question"])) or by_id.get(faq["id"])
        if old is not None and old.id not in used:
            used.add(old.id)
            faq = {**faq, "id": old.id, "phrasings": list(old.phrasings)}
        merged.append(faq)
    taken: set[str] = set(used)
    for faq in merged:
        if "phrasings" not in faq:
            faq["id"] = unique(faq["id"], taken)
    return merged


def _validated(
    model: type[Drug] | type[Combination], data: dict[str, Any], entry: Entry
) -> Drug | Combination:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(
            [
                Problem(
                    entry.pages[0],
                    0,
                    f"{entry.kind} {entry.id!r}: {'.'.join(map(str, e['loc']))}: {e['msg']}",
                )
                for e in exc.errors()
            ]
        ) from exc


def render(model: BaseModel, entry: Entry, existing_text: str | None) -> str:
    """The file's YAML: a header, then the data, with the old file's comments kept."""
    header = [
        f"# Imported from {_page_names(entry.pages)} by medfaq import.",
        HEADER_NOTES[entry.folder],
    ]
    return dump(
        _without_empty(model.model_dump(exclude_none=True)),
        header=header,
        flow=(*HAND_FIELDS, "drugs"),
        previous=existing_text,
        keep_comment=lambda line: "by medfaq import" not in line,
    )


def _page_names(pages: list[Path]) -> str:
    names = [p.name for p in pages[:3]]
    more = len(pages) - len(names)
    return ", ".join(names) + (f" and {more} other page{'s' if more > 1 else ''}" if more else "")


def _without_empty(value: Any) -> Any:
    """Drop empty lists (no brands yet, no phrasings yet): the file reads cleaner."""
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v != []}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value
