"""``medfaq import``: turn drug pages into knowledge files, merged with what ``out`` holds.

1. Read every page (:mod:`bot.pages`) into one catalogue of drugs and combinations; pages that
   share a drug must agree on it.
2. Merge each entry with the file of the same id already in ``out``: the page's content
   replaces the page fields, the matching aids added by hand (brands, misspellings, classes,
   FAQ phrasings) are kept, and so are the file's comments above top-level keys.
3. Write the files that change into a staging copy of ``out`` made next to it (hard links for
   the rest, the bundled base files where ``out`` lacks them), validate that copy once with
   :func:`bot.knowledge.load_knowledge`, and only then move the changed files into ``out``.

A page with one drug gives only that drug's file: its intro has no place in a drug file and
is dropped, and FAQs or combined-use text on it are reported as skipped.

Any problem is reported as ``path: message`` and leaves ``out`` as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge import bundled_knowledge_dir, load_file, load_knowledge
from bot.pages import Page, PageDrug, read_page
from bot.schema import Combination, Drug
from bot.text import normalise
from bot.yamlsource import KnowledgeError, Problem, read_text

DRUGS = Path("drugs")
COMBINATIONS = Path("combinations")
HAND_FIELDS = ("brands", "misspellings", "classes")
"""A drug's fields that no page has: added by hand for matching, kept on every import."""
SECTION_LABELS = {"usage": "usage", "side_effects": "side effects", "how_it_works": "how it works"}
HEADER_NOTES = {
    DRUGS: "# Page content is replaced on each import; brands, misspellings and classes "
    "added by hand are kept.",
    COMBINATIONS: "# Page content is replaced on each import; FAQ phrasings added by hand "
    "are kept.",
}
FAQ_ID_WORDS = 8
MAX_ID_LENGTH = 100
"""Ids name files; a combination's joins its drugs' ids, and file names stop at 255 bytes."""
SEQ_TAG = "tag:yaml.org,2002:seq"


_Dumper: Any = type("_Dumper", (getattr(yaml, "CSafeDumper", yaml.SafeDumper),), {})
"""libyaml's emitter when installed: several times faster, which matters for 2,000 pages."""


class _FlowList(list[str]):
    """A short list of names, written on one line: ``brands: [Neurontin, Gralise]``."""


_Dumper.add_representer(
    _FlowList, lambda dumper, data: dumper.represent_sequence(SEQ_TAG, data, flow_style=True)
)
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


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


def run_import(pages: list[Path], out: Path) -> int:
    """The command: import ``pages`` into ``out``; 0 on success, 1 with messages on stderr."""
    try:
        summary = import_pages(pages, out)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"medfaq import: nothing was written to {out}", file=sys.stderr)
        return 1
    print(summary)
    return 0


def import_pages(pages: list[Path], out: Path) -> str:
    """Do the import; return the one-line summary or raise :class:`KnowledgeError`."""
    entries, warnings = catalogue(pages)
    for warning in warnings:
        print(warning, file=sys.stderr)
    if out.exists() and not out.is_dir():
        raise KnowledgeError([Problem(out, 0, "not a directory; give --out a knowledge folder")])
    results = _merge_all(entries, out)
    changed = [r for r in results if r.text is not None]
    with _staging(out) as view:
        try:
            base = _stage(view, out, changed)
        except OSError as exc:
            raise KnowledgeError(
                [Problem(Path(exc.filename or out), 0, f"cannot stage the import: {exc.strerror}")]
            ) from exc
        _validate(view, out, changed)
        _commit(view, out, [r.entry.rel for r in changed] + base, view.parent)
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


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# --- pages -> entries ------------------------------------------------------------------


def catalogue(pages: Iterable[Path]) -> tuple[list[Entry], list[Problem]]:
    """Every drug and combination on ``pages``, shared drugs checked for agreement."""
    found: dict[Path, Entry] = {}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for path in pages:
        try:
            page = read_page(path)
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
            names.extend(
                label
                for name, label in SECTION_LABELS.items()
                if old.get(key, {}).get(name) != new.get(key, {}).get(name)
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


def _merge_all(entries: list[Entry], out: Path) -> list[Written]:
    """Every entry merged; the problems of every unreadable existing file, not only the first."""
    results: list[Written] = []
    problems: list[Problem] = []
    for entry in entries:
        try:
            results.append(merge_with_existing(entry, out))
        except KnowledgeError as exc:
            problems.extend(exc.problems)
    if problems:
        raise KnowledgeError(problems)
    return results


def merge_with_existing(entry: Entry, out: Path) -> Written:
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
    data = _without_empty(model.model_dump(exclude_none=True))
    for name in (*HAND_FIELDS, "drugs"):
        if name in data:
            data[name] = _FlowList(data[name])
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=90, indent=2)
    body = indent_lists(body)
    header = [
        f"# Imported from {_page_names(entry.pages)} by medfaq import.",
        HEADER_NOTES[entry.folder],
    ]
    old_header, comments = _comments(existing_text or "", set(header))
    lines = [*header, *old_header]
    for line in body.splitlines():
        key = _TOP_KEY.match(line)
        if key:
            lines.extend(comments.get(key.group(1), []))
        lines.append(line)
    return "\n".join(lines) + "\n"


def indent_lists(text: str) -> str:
    """Indent each block list under its key, as the hand-written files do.

    The emitter writes ``key:`` then ``- item`` at the key's own indent; shifting every line
    of such a list (up to the next line that is less indented, or as indented but not an item)
    two spaces right keeps the same YAML.
    """
    shifted: list[str] = []
    open_lists: list[int] = []  # the indents, in the emitter's output, of lists being shifted
    previous = ""
    for line in text.split("\n"):
        indent = _indent(line)
        item = line[indent:].startswith("- ") or line.strip() == "-"
        while open_lists and line and _ends_list(open_lists[-1], indent, item):
            open_lists.pop()
        if item and previous.endswith(":") and _indent(previous) == indent:
            open_lists.append(indent)
        shifted.append(" " * (2 * len(open_lists)) + line if line else line)
        previous = line.rstrip()
    return "\n".join(shifted)


def _ends_list(list_indent: int, indent: int, item: bool) -> bool:
    return indent < list_indent or (indent == list_indent and not item)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


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


def _comments(text: str, ours: set[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The file's header comments, and the comment lines right above each top-level key."""
    header: list[str] = []
    above: dict[str, list[str]] = {}
    pending: list[str] = []
    first = True
    for line in text.splitlines():
        if line.startswith("#"):
            if "by medfaq import" not in line and line not in ours:
                pending.append(line)
            continue
        key = _TOP_KEY.match(line)
        if key:
            if first:
                header, first = pending, False
            else:
                above[key.group(1)] = pending
        if line.strip():
            pending = []
    return header, above


# --- staging, validation, commit ---------------------------------------------------------


@contextlib.contextmanager
def _staging(out: Path) -> Iterator[Path]:
    """A fresh ``knowledge`` folder in a temporary directory beside ``out``; removed after.

    Beside, so the final moves are renames on one file system; inside ``out`` when ``out`` is
    a mount point (a container volume), where beside would be another file system."""
    anchor = out.absolute().parent
    while not anchor.exists():
        anchor = anchor.parent
    if out.is_dir() and out.stat().st_dev != anchor.stat().st_dev:
        anchor = out
    try:
        temporary = Path(tempfile.mkdtemp(prefix=".medfaq-import-", dir=anchor))
    except OSError as exc:
        raise KnowledgeError(
            [Problem(anchor, 0, f"cannot create a staging folder here: {exc.strerror}")]
        ) from exc
    try:
        view = temporary / "knowledge"
        view.mkdir()
        yield view
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _stage(view: Path, out: Path, changed: list[Written]) -> list[Path]:
    """Fill ``view`` as ``out`` will be; return the base files to copy from the bundle."""
    writing = {w.entry.rel for w in changed}
    base_added: list[Path] = []
    bundled = bundled_knowledge_dir()
    for rel in _base_files(bundled):
        if (out / rel).is_file():
            _link(out / rel, view / rel)
        else:
            _copy(bundled / rel, view / rel)
            base_added.append(rel)
    for folder in (DRUGS, COMBINATIONS):
        (view / folder).mkdir(exist_ok=True)
        for path in sorted((out / folder).glob("*.yaml")):
            rel = folder / path.name
            if rel not in writing:
                _link(path, view / rel)
    for written in changed:
        (view / written.entry.rel).write_text(written.text or "", encoding="utf-8")
    return base_added


def _base_files(bundled: Path) -> list[Path]:
    """Every bundled file outside ``drugs/`` and ``combinations/`` (messages, lexicon ...)."""
    return sorted(
        path.relative_to(bundled)
        for path in bundled.rglob("*")
        if path.is_file()
        and path.relative_to(bundled).parts[0] not in (str(DRUGS), str(COMBINATIONS))
        and not any(part.startswith((".", "__")) for part in path.relative_to(bundled).parts)
    )


def _link(source: Path, target: Path) -> None:
    """A hard link where the file system allows it (thousands of files, no copying)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _validate(view: Path, out: Path, changed: list[Written]) -> None:
    """Load the staged result once; name the page behind each problem in a new file."""
    try:
        load_knowledge(view)
    except KnowledgeError as exc:
        written = {w.entry.rel: w.entry for w in changed}
        raise KnowledgeError([_locate(p, view, out, written) for p in exc.problems]) from None


def _locate(problem: Problem, view: Path, out: Path, written: dict[Path, Entry]) -> Problem:
    message = problem.message.replace(str(view), str(out))
    try:
        rel = problem.path.relative_to(view)
    except ValueError:
        return Problem(problem.path, problem.line, message)
    entry = written.get(rel)
    if entry is None:
        return Problem(out / rel, problem.line, message)
    where = f"{rel}:{problem.line}" if problem.line > 0 else str(rel)
    return Problem(entry.pages[0], 0, f"the imported {where} would be invalid: {message}")


def _commit(view: Path, out: Path, rels: list[Path], temporary: Path) -> None:
    """Move the staged files into ``out``; if a move fails, put every file back."""
    backups = temporary / "replaced"
    done: list[tuple[Path, Path | None]] = []
    created: list[Path] = []
    try:
        for index, rel in enumerate(rels):
            target = out / rel
            created.extend(_make_dirs(target.parent))
            backup = None
            if target.exists():
                backup = backups / str(index)
                backup.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, backup)
            done.append((target, backup))
            os.replace(view / rel, target)
    except OSError as exc:
        for target, backup in reversed(done):
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink(missing_ok=True)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise KnowledgeError(
            [Problem(out, 0, f"cannot write {exc.filename}: {exc.strerror}; nothing changed")]
        ) from exc


def _make_dirs(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))
