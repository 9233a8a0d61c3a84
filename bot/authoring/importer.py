"""``medfaq import``: turn drug pages into knowledge files, merged with what ``out`` holds.

1. Read every page (:mod:`bot.authoring.pages`) into one catalogue of drugs and
   combinations (:mod:`bot.authoring.entries`); pages that share a drug must agree on it.
2. Merge each entry with the file of the same id already in ``out``
   (:mod:`bot.authoring.merging`): the page's content replaces the page fields; the matching
   aids added by hand (brands, misspellings, classes, FAQ phrasings) and comments are kept.
3. Write the files that change all or nothing (:mod:`bot.authoring.staging`): into a staging
   copy of ``out``, validated once as a whole, then moved in under a journal.

A page with one drug gives only that drug's file: its intro has no place in a drug file and
is dropped, and FAQs or combined-use text on it are reported as skipped.

Any problem is reported as ``path: message`` and leaves ``out`` as it was.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.authoring.entries import COMBINATIONS, DRUGS, catalogue, headings_for
from bot.authoring.journal import WORK
from bot.authoring.merging import merge_all
from bot.authoring.staging import write_knowledge
from bot.knowledge.yamlsource import KnowledgeError, Problem


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
    results = merge_all(entries, out, replace)
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
