"""Write knowledge files into a folder all or nothing.

The files are written into a staging copy of the folder, made beside it (hard links for the
files that stay, the bundled base files where the folder lacks them); the copy is validated
once with :func:`bot.knowledge.load_knowledge`; only then are the new files moved in, each by
a rename, and if a rename fails the ones already moved are put back.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge
from bot.knowledge.yamlsource import KnowledgeError, Problem

ENTRY_FOLDERS = (Path("drugs"), Path("combinations"))
"""Folders of one file per entry; every other bundled file is a base file."""


def write_knowledge(out: Path, files: dict[Path, str], origins: dict[Path, Path]) -> list[Path]:
    """Write ``files`` (path inside ``out`` -> text) so that ``out`` validates as a whole.

    ``origins`` names the page each file came from, for messages about it. Returns the base
    files copied from the bundled knowledge because ``out`` lacked them. On any problem raises
    :class:`KnowledgeError` and leaves ``out`` as it was.
    """
    if out.exists() and not out.is_dir():
        raise KnowledgeError([Problem(out, 0, "not a directory; give --out a knowledge folder")])
    with _staging(out) as view:
        try:
            base = _stage(view, out, files)
        except OSError as exc:
            raise KnowledgeError(
                [Problem(Path(exc.filename or out), 0, f"cannot stage the import: {exc.strerror}")]
            ) from exc
        _validate(view, out, origins)
        _commit(view, out, [*files, *base], view.parent)
    return base


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
