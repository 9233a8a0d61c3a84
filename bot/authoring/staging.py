"""Write knowledge files into a folder all or nothing, safe against a crash.

The files are written into a staging copy of the folder, made inside its hidden working
folder (hard links for the files that stay, the bundled base files where the folder lacks
them); the copy is validated once with :func:`bot.knowledge.load_knowledge`; only then are the
new files moved in through a journal (:mod:`bot.authoring.journal`), under the folder's lock.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bot.authoring import journal
from bot.authoring.durable import interruptible
from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge
from bot.knowledge.yamlsource import KnowledgeError, Problem

ENTRY_FOLDERS = (Path("drugs"), Path("combinations"))
"""Folders of one file per entry; every other bundled file is a base file."""


def write_knowledge(out: Path, files: dict[Path, str], origins: dict[Path, Path]) -> list[Path]:
    """Write ``files`` (path inside ``out`` -> text) so that ``out`` validates as a whole.

    ``origins`` names the page each file came from, for messages about it. Returns the base
    files copied from the bundled knowledge because ``out`` lacked them. On any problem raises
    :class:`KnowledgeError` and leaves ``out`` as it was; so does Ctrl-C or SIGTERM, and a
    crash leaves it as it was or as it would be, which the next import finishes.
    """
    if out.exists() and not out.is_dir():
        raise KnowledgeError([Problem(out, 0, "not a directory; give --out a knowledge folder")])
    with interruptible(), journal.locked(out) as work:
        try:
            view = work.stage
            try:
                view.mkdir(parents=True)
                base = _stage(view, out, files)
            except OSError as exc:
                raise KnowledgeError(
                    [
                        Problem(
                            Path(exc.filename or out), 0, f"cannot stage the import: {exc.strerror}"
                        )
                    ]
                ) from exc
            _validate(view, out, origins)
            journal.commit(work, [*files, *base])
        finally:
            journal.discard(work)
    return base


def _stage(view: Path, out: Path, files: dict[Path, str]) -> list[Path]:
    """Fill ``view`` as ``out`` will be; return the base files to copy from the bundle."""
    base_added: list[Path] = []
    bundled = bundled_knowledge_dir()
    for rel in _base_files(bundled):
        if (out / rel).is_file():
            _link(out / rel, view / rel)
        else:
            _copy(bundled / rel, view / rel)
            base_added.append(rel)
    for folder in ENTRY_FOLDERS:
        (view / folder).mkdir(exist_ok=True)
        for path in sorted((out / folder).glob("*.yaml")):
            rel = folder / path.name
            if rel not in files:
                _link(path, view / rel)
    for rel, text in files.items():
        (view / rel).write_text(text, encoding="utf-8")
        journal.step(f"staged {rel}")
    return base_added


def _base_files(bundled: Path) -> list[Path]:
    """Every bundled file outside ``drugs/`` and ``combinations/`` (messages, lexicon ...)."""
    return sorted(
        path.relative_to(bundled)
        for path in bundled.rglob("*")
        if path.is_file()
        and path.relative_to(bundled).parts[0] not in {str(f) for f in ENTRY_FOLDERS}
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


def _validate(view: Path, out: Path, origins: dict[Path, Path]) -> None:
    """Load the staged result once; name the page behind each problem in a new file."""
    try:
        load_knowledge(view)
    except KnowledgeError as exc:
        raise KnowledgeError([_locate(p, view, out, origins) for p in exc.problems]) from None


def _locate(problem: Problem, view: Path, out: Path, origins: dict[Path, Path]) -> Problem:
    message = problem.message.replace(str(view), str(out))
    try:
        rel = problem.path.relative_to(view)
    except ValueError:
        return Problem(problem.path, problem.line, message)
    origin = origins.get(rel)
    if origin is None:
        return Problem(out / rel, problem.line, message)
    where = f"{rel}:{problem.line}" if problem.line > 0 else str(rel)
    return Problem(origin, 0, f"the imported {where} would be invalid: {message}")
