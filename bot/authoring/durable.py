"""Writing that survives a crash: fsync of files and folders, and signals held off while a
journal is applied (used by :mod:`bot.authoring.journal`)."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType

SYNC_THREADS = 16


def sync_files(paths: list[Path]) -> None:
    """fsync waits on the disk, not the interpreter: thousands of files sync faster side by
    side."""
    with ThreadPoolExecutor(max_workers=SYNC_THREADS) as pool:
        list(pool.map(sync_file, paths))


def make_parents(target: Path) -> None:
    missing = []
    folder = target.parent
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        sync_dir(path.parent)


def sync_file(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def sync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot sync a folder
        sync_file(path)


def sync_tree(root: Path) -> None:
    for folder, _, _ in os.walk(root):
        sync_dir(Path(folder))


def sync_dirs(out: Path, moves: list[Path]) -> None:
    for folder in sorted({(out / rel).parent for rel in moves}):
        sync_dir(folder)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM stops the import as Ctrl-C does (so the stage is removed), in the main thread."""
    if not _main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the moves are made: they take milliseconds, and a half
    applied journal would leave the folder half imported until the next run."""
    if not _main_thread():
        yield
        return
    received: list[int] = []

    def remember(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, remember) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
