"""Move staged files into a knowledge folder so that a crash leaves it as before or as after.

Everything lives in one hidden folder inside the knowledge folder ``out``, on the same file
system (so each move is a rename) and out of ``git status`` (its ``.gitignore`` ignores it)::

    .medfaq-import/lock      held (flock) by the import writing ``out``; a second one waits
    .medfaq-import/stage/    the staged knowledge, and backups/ of the files it replaces
    .medfaq-import/journal   the moves to make: written, synced, then carried out

The journal is the commit point. An import stopped before it exists left ``out`` untouched;
stopped after, the next import (which first takes the lock) makes the moves that remain, or,
if a move cannot be made, puts the backups back. A move is a rename of a staged file over its
target, so making it again after a crash is harmless.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.authoring.durable import (
    make_parents,
    signals_deferred,
    sync_dir,
    sync_dirs,
    sync_files,
    sync_tree,
)
from bot.knowledge.yamlsource import KnowledgeError, Problem

WORK = ".medfaq-import"
LOCK_WAIT_SECONDS = 10.0
"""How long an import waits for another one writing the same folder before giving up."""

step_hook: Callable[[str], None] | None = None
"""Called after each file-system step; tests use it to kill the importer at every step."""


def step(name: str) -> None:
    if step_hook is not None:
        step_hook(name)


@dataclass(frozen=True)
class Workspace:
    out: Path

    @property
    def folder(self) -> Path:
        return self.out / WORK

    @property
    def stage(self) -> Path:
        """The knowledge as it will be (unchanged files hard-linked)."""
        return self.folder / "stage" / "knowledge"

    @property
    def backups(self) -> Path:
        return self.folder / "stage" / "backups"

    @property
    def journal(self) -> Path:
        return self.folder / "journal"


@contextlib.contextmanager
def locked(out: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[Workspace]:
    """Hold the import lock of ``out`` (created if missing); finish a killed import first.

    The working folder is removed before the lock is let go, so a finished import leaves no
    trace; a waiting import then finds its lock file gone and takes a fresh one."""
    created = not out.exists()
    work = Workspace(out)
    deadline = time.monotonic() + wait
    handle = _lock(work, deadline)
    try:
        recover(work)
        yield work
    except BaseException:
        if created and sorted(os.listdir(out)) == [WORK]:
            shutil.rmtree(out, ignore_errors=True)
        raise
    finally:
        if not work.journal.exists():
            shutil.rmtree(work.folder, ignore_errors=True)
        os.close(handle)


def _lock(work: Workspace, deadline: float) -> int:
    """An open, locked descriptor of the lock file that is (still) in place."""
    path = work.folder / "lock"
    while True:
        try:
            work.folder.mkdir(parents=True, exist_ok=True)
            ignore = work.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# medfaq import's working folder: never committed\n*\n")
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except FileNotFoundError:  # removed by the import that just finished: again
            continue
        except OSError as exc:
            raise KnowledgeError(
                [Problem(work.out, 0, f"cannot prepare the import here: {exc.strerror}")]
            ) from exc
        try:
            _acquire(handle, deadline, work.out)
            if os.path.exists(path) and os.stat(path).st_ino == os.fstat(handle).st_ino:
                return handle
        except BaseException:
            os.close(handle)
            raise
        os.close(handle)


def _acquire(handle: int, deadline: float, out: Path) -> None:
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise KnowledgeError(
                    [
                        Problem(
                            out,
                            0,
                            f"another medfaq import is writing to this folder (it holds "
                            f"{out / WORK / 'lock'}); run again when it has finished",
                        )
                    ]
                ) from None
            time.sleep(0.05)


def recover(work: Workspace) -> None:
    """Finish (or, if that fails, undo) the import a killed run left; remove its stage."""
    if work.journal.exists():
        try:
            plan = json.loads(work.journal.read_text(encoding="utf-8"))
            moves, backups = [Path(p) for p in plan["moves"]], {Path(p) for p in plan["backups"]}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KnowledgeError(
                [
                    Problem(
                        work.journal,
                        0,
                        f"an interrupted import left a journal that cannot be read ({exc}); "
                        "check the folder, then delete the journal",
                    )
                ]
            ) from None
        if (work.folder / "rolling-back").exists():
            _roll_back(work, moves, backups)
        else:
            apply(work, moves, backups)
    discard(work)


def discard(work: Workspace) -> None:
    shutil.rmtree(work.folder / "stage", ignore_errors=True)
    (work.folder / "journal.new").unlink(missing_ok=True)


def commit(work: Workspace, moves: list[Path]) -> None:
    """Back up the files ``moves`` replace, sync the stage, write the journal, apply it."""
    backups = set()
    for rel in moves:
        if (work.out / rel).is_file():
            (work.backups / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(work.out / rel, work.backups / rel)
            backups.add(rel)
    sync_files([work.stage / rel for rel in moves])
    sync_tree(work.folder / "stage")
    step("staged")
    plan = {"moves": [str(p) for p in moves], "backups": sorted(map(str, backups))}
    draft = work.folder / "journal.new"
    with draft.open("w", encoding="utf-8") as stream:
        json.dump(plan, stream)
        stream.flush()
        os.fsync(stream.fileno())
    step("journal written")
    with signals_deferred():
        os.replace(draft, work.journal)
        sync_dir(work.folder)
        step("journal committed")
        apply(work, moves, backups)


def apply(work: Workspace, moves: list[Path], backups: set[Path]) -> None:
    """Make the journal's moves (those not made yet); on a failure, put everything back."""
    try:
        for rel in moves:
            source = work.stage / rel
            if source.exists():
                make_parents(work.out / rel)
                os.replace(source, work.out / rel)
                step(f"moved {rel}")
        sync_dirs(work.out, moves)
    except OSError as exc:
        _mark_rolling_back(work)
        _roll_back(work, moves, backups)
        raise KnowledgeError(
            [Problem(work.out, 0, f"cannot write {exc.filename}: {exc.strerror}; nothing changed")]
        ) from exc
    _finish(work)


def _mark_rolling_back(work: Workspace) -> None:
    """Once undoing has begun, a run killed meanwhile must be undone too, not finished."""
    with (work.folder / "rolling-back").open("w") as stream:
        os.fsync(stream.fileno())
    sync_dir(work.folder)


def _roll_back(work: Workspace, moves: list[Path], backups: set[Path]) -> None:
    for rel in reversed(moves):
        if rel in backups:
            if (work.backups / rel).exists():
                os.replace(work.backups / rel, work.out / rel)
        elif not (work.stage / rel).exists():
            (work.out / rel).unlink(missing_ok=True)
    sync_dirs(work.out, moves)
    _finish(work)


def _finish(work: Workspace) -> None:
    work.journal.unlink(missing_ok=True)
    (work.folder / "rolling-back").unlink(missing_ok=True)
    sync_dir(work.folder)
    step("journal removed")
    discard(work)
    step("stage removed")
