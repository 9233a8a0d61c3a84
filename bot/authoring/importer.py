"""``medfaq import``: turn drug pages into knowledge files, merged with what ``out`` holds.

1. Read every page (:mod:`bot.authoring.pages`) into one catalogue of drugs and
   combinations; pages that share a drug must agree on it.
2. Merge each entry with the file of the same id already in ``out``: the page's content
   replaces the page fields, the matching aids added by hand (brands, misspellings, classes,
   FAQ phrasings) are kept, and so are the file's comments above top-level keys.
3. Write the files that change all or nothing (:mod:`bot.authoring.staging`): into a staging copy of
   ``out``, validated once as a whole, then moved in.

A page with one drug gives only that drug's file: its intro has no place in a drug file and
is dropped, and FAQs or combined-use text on it are reported as skipped.

Any problem is reported as ``path: message`` and leaves ``out`` as it was.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.authoring.journal import WORK
from bot.authoring.pages import Headings, Page, PageDrug, bundled_headings, read_page
from bot.authoring.provenance import conflict
from bot.authoring.staging import write_knowledge
from bot.authoring.yamlwriter import dump
from bot.knowledge.loading import TOPICS_FILE, load_file
from bot.knowledge.schema import Combination, Drug, TopicsFile
from bot.knowledge.text import normalise
from bot.knowledge.yamlsource import KnowledgeError, Problem, read_text

DRUGS = Path("drugs")
COMBINATIONS = Path("combinations")
HAND_FIELDS = ("brands", "misspellings", "classes", "intended_names")
"""A drug's fields that no page has: added by hand for matching, kept on every import."""
HEADER_NOTES = {
    DRUGS: "# Page content is replaced on each import; brands, misspellings and classes "
    "added by hand are kept.",
    COMBINATIONS: "# Page content is replaced on each import; FAQ phrasings added by hand "
    "are kept.",
}
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


@dataclass
class Written:
    """A file of the result: the entry it renders and its text (None: unchanged)."""

    entry: Entry
    text: str | None
    notes: list[Problem] = field(default_factory=list)
    """What the merge dropped from the existing file (FAQs no longer on the page)."""


def run_import(pages: list[Path], out: Path, *, replace: bool = False) -> int:
    """The command: import ``pages`` into ``out``; 0 on success, 1 with messages on stderr."""
    try:
        summary = import_pages(pages, out, replace=replace)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"medfaq import: nothing was written to {out}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"medfaq import: interrupted; nothing was written to {out}", file=sys.stderr)
        return 130
    print(summary)
    return 0


def import_pages(pages: list[Path], out: Path, *, replace: bool = False) -> str:
    """Do the import; return the one-line summary or raise :class:`KnowledgeError`.

    A page that would change a file another page or a maintainer wrote is a conflict, unless
    ``replace``."""
    entries, warnings = catalogue(pages, headings_for(out))
    for warning in warnings:
        print(warning, file=sys.stderr)
    _check_out(out)
    results = _merge_all(entries, out, replace)
    changed = [r for r in results if r.text is not None]
    base = write_knowledge(
        out,
        {r.entry.rel: r.text for r in changed if r.text is not None},
        {r.entry.rel: r.entry.pages[0] for r in changed},
    )
    for note in (note for r in results for note in r.notes):
        print(note, file=sys.stderr)
    drugs = [r for r in results if r.entry.folder == DRUGS]
    combinations = [r for r in results if r.entry.folder == COMBINATIONS]
    faqs = sum(len(r.entry.data.get("faqs", [])) for r in combinations)
    return (
        f"{out}: imported {_count(len(pages), 'page')}: {_count(len(drugs), 'drug')}, "
        f"{_count(len(combinations), 'combination')}, {_count(faqs, 'FAQ')} "
        f"({len(changed)} written, {len(results) - len(changed)} unchanged"
        + (f", {len(base)} base files added)" if base else ")")
    )


def _check_out(out: Path) -> None:
    """``out`` must be new, empty or a knowledge folder: never ``/`` or a home folder."""
    if not out.exists():
        return
    if not out.is_dir():
        raise KnowledgeError([Problem(out, 0, "not a directory; give --out a knowledge folder")])
    if (out / "messages.yaml").is_file() or (out / DRUGS).is_dir():
        return
    if any(entry.name != WORK for entry in out.iterdir()):
        raise KnowledgeError(
            [
                Problem(
                    out,
                    0,
                    "neither empty nor a knowledge folder (no messages.yaml, no drugs/); give "
                    "--out a new or empty folder, or an existing knowledge folder",
                )
            ]
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# --- pages -> entries ------------------------------------------------------------------


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
    return {
        "id": drug_id,
        "name": drug.name or drug.generic_name,
        "generic_name": drug.generic_name,
        "sections": drug.sections,
    }


def combination_fields(page: Page, drugs: list[Entry]) -> dict[str, Any]:
    names = [str(d.data["name"]) for d in drugs]
    faq_ids: set[str] = set()
    faqs = [
        {"id": _unique(slug(faq.question, FAQ_ID_WORDS) or "faq", faq_ids), **_qa(faq)}
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


def _unique(candidate: str, taken: set[str]) -> str:
    name, number = candidate, 2
    while name in taken:
        name, number = f"{candidate}-{number}", number + 1
    taken.add(name)
    return name


# --- merge with the existing file --------------------------------------------------------


def _merge_all(entries: list[Entry], out: Path, replace: bool) -> list[Written]:
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
            faq["id"] = _unique(faq["id"], taken)
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
