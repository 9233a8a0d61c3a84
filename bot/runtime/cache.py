"""A cache of the loaded and indexed knowledge, so start-up with thousands of files is fast.

The :class:`~bot.engine.Engine` built from a knowledge directory is pickled into the per-user
cache directory, under a key that fingerprints every file of the directory (path, size and
modification time), the code of the ``bot`` package, and the versions of the package, Python,
pydantic and RapidFuzz (whose objects are in the pickle). Any change to a knowledge file, or
to the code, makes a new key, so a stale engine is never used.

A cache file that is missing, unreadable, corrupt or stale is ignored and rebuilt, never an
error. A knowledge directory that fails validation is never cached: :func:`load_engine` raises
the loader's :class:`~bot.yamlsource.KnowledgeError` and writes nothing.

A pickle runs code when read, so a cache file is only read when it and its folder belong to
this user and nobody else can write them (the folder is created private, mode 0700); a folder
that others can write (``MEDFAQ_CACHE_DIR=/tmp``, say) is refused with a warning and the
knowledge is loaded without the cache. Entries unused for :data:`MAX_AGE_DAYS` are pruned.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import platformdirs
import pydantic
import rapidfuzz

from bot import __version__
from bot.engine.engine import Engine
from bot.engine.render import DEFAULT_EMERGENCY_NUMBERS
from bot.knowledge.loading import KnowledgeBase, load_knowledge

log = logging.getLogger(__name__)

MAGIC = b"medfaq-engine-cache 1\n"
CODE_DIR = Path(__file__).resolve().parent.parent
MAX_AGE_DAYS = 30
"""A cache entry not used for this long (its knowledge folder moved or gone) is deleted."""
MAX_AGE = MAX_AGE_DAYS * 86400
MAX_ENTRIES = 20


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("medfaq", appauthor=False))


def load_engine(
    root: Path,
    *,
    cache_dir: Path | None = None,
    emergency_numbers: str = DEFAULT_EMERGENCY_NUMBERS,
    load: Callable[[Path], KnowledgeBase] = load_knowledge,
) -> Engine:
    """The engine for the knowledge in ``root``: from the cache when it is current, else
    built with ``load`` (which raises on invalid knowledge) and stored for next time.

    The engine is meant to serve for the life of the process, so its objects are then frozen
    out of the cyclic garbage collector (:func:`gc.freeze`): with thousands of drugs, a full
    collection that walks them all would stall a running bot for a few hundred milliseconds.
    """
    folder = cache_dir or default_cache_dir()
    try:
        key = fingerprint(root, emergency_numbers)
    except OSError as exc:  # an unreadable tree: let the loader name the problem
        log.debug("not caching %s: %s", root, exc)
        return _serving(Engine(load(root), emergency_numbers=emergency_numbers), built=True)
    if not private_folder(folder):
        return _serving(Engine(load(root), emergency_numbers=emergency_numbers), built=True)
    path = cache_file(folder, root)
    engine = read(path, key)
    if engine is not None:
        return _serving(engine, built=False)
    engine = Engine(load(root), emergency_numbers=emergency_numbers)
    write(path, key, engine)
    return _serving(engine, built=True)


def _serving(engine: Engine, *, built: bool) -> Engine:
    freeze_for_serving(collect=built)
    return engine


def freeze_for_serving(*, collect: bool = True) -> None:
    """Move every object alive now (an engine about to serve) out of the cyclic garbage
    collector's reach, so no later collection walks it; ``collect`` first frees the garbage
    that building it left (parsing thousands of files), which would otherwise never be freed.

    An engine holds no reference cycles, so one that a reload replaces is still freed (by
    reference counting) although frozen."""
    if collect:
        gc.collect()
    gc.freeze()


def cache_file(folder: Path, root: Path) -> Path:
    """One file per knowledge directory, so a changed directory replaces its old entry."""
    name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return folder / f"engine-{name}.pickle"


def fingerprint(root: Path, emergency_numbers: str = DEFAULT_EMERGENCY_NUMBERS) -> bytes:
    """A digest of everything the engine is built from; it changes when any of it changes."""
    digest = hashlib.sha256()
    versions = (__version__, sys.version, pydantic.VERSION, rapidfuzz.__version__)
    header = (*versions, str(root.resolve()), emergency_numbers)
    digest.update(repr(header).encode())
    for tree in (root, CODE_DIR):
        for relative, size, mtime in file_stamps(tree):
            digest.update(f"{tree is root}\0{relative}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest().encode()


def file_stamps(root: Path) -> Iterator[tuple[str, int, int]]:
    """Every file under ``root`` (sorted, hidden ones and bytecode left out): path, size,
    mtime_ns."""
    found = []
    stack = [root]
    top = os.stat(root)
    seen = {(top.st_dev, top.st_ino)}  # folders walked: a link back up must not loop forever
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(".") or entry.name == "__pycache__":
                    continue
                if entry.is_dir():
                    info = entry.stat()
                    if (info.st_dev, info.st_ino) not in seen:
                        seen.add((info.st_dev, info.st_ino))
                        stack.append(Path(entry.path))
                else:
                    stat = entry.stat()
                    relative = os.path.relpath(entry.path, root)
                    found.append((relative, stat.st_size, stat.st_mtime_ns))
    found.sort()
    yield from found


_refused: set[Path] = set()


def private_folder(folder: Path) -> bool:
    """Create ``folder`` (mode 0700) if missing; True when it is this user's and only this
    user can write it. Otherwise warn once: a file planted there could run code on load."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
    except OSError as exc:
        log.info("not using the knowledge cache %s: %s", folder, exc.strerror)
        return False
    if stat.S_ISDIR(info.st_mode) and _private(info):
        return True
    if folder not in _refused:
        _refused.add(folder)
        log.warning(
            "not using the knowledge cache %s: other users can write it; make it private "
            "(chmod 700) or set MEDFAQ_CACHE_DIR to a private folder",
            folder,
        )
    return False


def _private(info: os.stat_result) -> bool:
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(path: Path, key: bytes) -> Engine | None:
    """The cached engine, or None when there is none that matches ``key`` (or the file is not
    this user's own, private file)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        with os.fdopen(handle, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not (stat.S_ISREG(info.st_mode) and _private(info)):
                log.warning(
                    "ignoring the knowledge cache %s: not a private file of this user", path
                )
                return None
            if stream.readline() != MAGIC or stream.readline().rstrip(b"\n") != key:
                return None
            engine = _unpickle(stream)
        os.utime(path)  # in use: not pruned
    except Exception as exc:  # corrupt, truncated, or from an incompatible version
        log.info("ignoring the knowledge cache %s: %s", path, exc)
        return None
    return engine if isinstance(engine, Engine) else None


def _unpickle(stream: BinaryIO) -> object:
    """``pickle.load`` with the cyclic garbage collector paused: the hundreds of thousands of
    objects it makes otherwise set off collection after collection, each walking all of them
    so far (a third of the load time with 4,000 drugs); the engine is frozen right after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(stream)
    finally:
        if enabled:
            gc.enable()


def write(path: Path, key: bytes, engine: Engine) -> bool:
    """Store ``engine`` atomically; a cache that cannot be written is only logged."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=".engine-", suffix=".tmp")
        temporary = Path(name)
        with os.fdopen(handle, "wb") as stream:
            stream.write(MAGIC + key + b"\n")
            pickle.dump(engine, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        prune(path.parent, keep=path)
        return True
    except Exception as exc:  # a full disk or a read-only home must not stop the bot
        log.info("could not write the knowledge cache %s: %s", path, exc)
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        return False


def prune(folder: Path, keep: Path, now: float | None = None) -> None:
    """Delete entries unused for :data:`MAX_AGE_DAYS` (and the oldest beyond
    :data:`MAX_ENTRIES`), and temporary files a killed writer left."""
    now = time.time() if now is None else now
    try:
        entries = sorted(
            ((p.stat().st_mtime, p) for p in folder.glob("engine-*.pickle") if p != keep),
            reverse=True,
        )
        temporaries = [p for p in folder.glob(".engine-*.tmp") if now - p.stat().st_mtime > 3600]
    except OSError:
        return
    old = [p for n, (used, p) in enumerate(entries) if n >= MAX_ENTRIES - 1 or now - used > MAX_AGE]
    for path in [*old, *temporaries]:
        try:
            path.unlink()
        except OSError as exc:
            log.info("could not prune the knowledge cache %s: %s", path, exc.strerror)
