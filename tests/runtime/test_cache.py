"""The knowledge cache: a hit skips loading, any change to a file is seen, a bad cache file
is rebuilt, and knowledge that fails validation is never stored."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import time
from pathlib import Path

import pytest

from bot.engine.engine import Engine
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir, load_knowledge
from bot.knowledge.yamlsource import KnowledgeError
from bot.runtime.cache import MAGIC, cache_file, fingerprint, load_engine


class CountingLoader:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, root: Path) -> KnowledgeBase:
        self.calls += 1
        return load_knowledge(root)


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), folder)
    return folder


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def test_a_second_load_comes_from_the_cache(knowledge_dir: Path, cache_dir: Path) -> None:
    loader = CountingLoader()
    first = load_engine(knowledge_dir, cache_dir=cache_dir, load=loader)
    second = load_engine(knowledge_dir, cache_dir=cache_dir, load=loader)
    assert loader.calls == 1
    assert cache_file(cache_dir, knowledge_dir).is_file()
    question = "does gabapentin make you gain weight"
    assert second.ask(question) == first.ask(question)


def test_a_changed_file_is_loaded_again(knowledge_dir: Path, cache_dir: Path) -> None:
    loader = CountingLoader()
    before = load_engine(knowledge_dir, cache_dir=cache_dir, load=loader)
    assert "Neurontin" in before.ask("tell me about gabapentin").text
    drug = knowledge_dir / "drugs" / "gabapentin.yaml"
    text = drug.read_text(encoding="utf-8").replace("Neurontin, Gralise", "Gralise")
    stat = drug.stat()
    drug.write_text(text, encoding="utf-8")
    os.utime(drug, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = load_engine(knowledge_dir, cache_dir=cache_dir, load=loader)
    assert loader.calls == 2
    assert "Neurontin" not in after.ask("tell me about gabapentin").text


def test_a_new_file_is_loaded_again(knowledge_dir: Path, cache_dir: Path) -> None:
    loader = CountingLoader()
    load_engine(knowledge_dir, cache_dir=cache_dir, load=loader)
    (knowledge_dir / "drugs" / "notes.txt").write_text("not a drug file\n", encoding="utf-8")
    load_engine(knowledge_dir, cache_dir=cache_dir, load=loader)
    assert loader.calls == 2


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not a cache at all",
        b"medfaq-engine-cache 1\n",
        None,  # the right header, then a truncated pickle
    ],
)
def test_a_corrupt_cache_file_is_ignored_and_rebuilt(
    knowledge_dir: Path, cache_dir: Path, damage: bytes | None
) -> None:
    loader = CountingLoader()
    load_engine(knowledge_dir, cache_dir=cache_dir, load=loader)
    stored = cache_file(cache_dir, knowledge_dir)
    good = stored.read_bytes()
    stored.write_bytes(good[: len(good) // 2] if damage is None else damage)
    engine = load_engine(knowledge_dir, cache_dir=cache_dir, load=loader)
    assert isinstance(engine, Engine)
    assert loader.calls == 2
    assert engine.ask("gabapentin side effects").kind == "answer"
    assert load_engine(knowledge_dir, cache_dir=cache_dir, load=loader) is not None
    assert loader.calls == 2, "the rebuilt cache is used next time"


def test_knowledge_that_fails_validation_is_never_cached(
    knowledge_dir: Path, cache_dir: Path
) -> None:
    (knowledge_dir / "drugs" / "gabapentin.yaml").write_text("id: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_engine(knowledge_dir, cache_dir=cache_dir)
    assert not cache_file(cache_dir, knowledge_dir).exists()


def test_an_unwritable_cache_directory_is_not_an_error(knowledge_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("", encoding="utf-8")
    engine = load_engine(knowledge_dir, cache_dir=blocker / "cache")
    assert engine.ask("what is gabapentin for").kind == "answer"


def test_the_cli_uses_the_cache_directory_from_the_environment(
    knowledge_dir: Path,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.cli.main import main

    monkeypatch.setenv("MEDFAQ_CACHE_DIR", str(cache_dir))
    assert main(["--knowledge", str(knowledge_dir), "ask", "--json", "neurontin"]) == 0
    assert '"kind": "answer"' in capsys.readouterr().out
    assert cache_file(cache_dir, knowledge_dir).is_file()


# -- a cache that cannot run code -------------------------------------------------------------


class Planted:
    """A pickle that, when loaded, creates the file ``marker``: what an attacker would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


def plant(cache_dir: Path, knowledge_dir: Path, marker: Path) -> Path:
    path = cache_file(cache_dir, knowledge_dir)
    key = fingerprint(knowledge_dir)
    path.write_bytes(MAGIC + key + b"\n" + pickle.dumps(Planted(marker)))
    return path


@pytest.mark.parametrize("folder_mode", [0o777, 0o770, 0o1777])
def test_a_file_planted_in_a_cache_folder_others_can_write_is_not_run(
    knowledge_dir: Path, tmp_path: Path, folder_mode: int, caplog: pytest.LogCaptureFixture
) -> None:
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(folder_mode)
    marker = tmp_path / "marker"
    plant(shared, knowledge_dir, marker)
    engine = load_engine(knowledge_dir, cache_dir=shared)
    assert engine.ask("what is gabapentin for").kind == "answer"
    assert not marker.exists()
    assert "other users can write it" in caplog.text


def test_a_cache_file_others_can_write_is_not_run(knowledge_dir: Path, tmp_path: Path) -> None:
    private = tmp_path / "cache"
    private.mkdir(mode=0o700)
    marker = tmp_path / "marker"
    plant(private, knowledge_dir, marker).chmod(0o666)
    load_engine(knowledge_dir, cache_dir=private)
    assert not marker.exists()


def test_a_cache_file_of_another_user_is_not_run(knowledge_dir: Path, tmp_path: Path) -> None:
    private = tmp_path / "cache"
    private.mkdir(mode=0o700)
    marker = tmp_path / "marker"
    planted = plant(private, knowledge_dir, marker)
    if os.geteuid() != 0:
        pytest.fail("this test changes a file's owner, which needs root (as in CI)")
    os.chown(planted, 65534, 65534)
    load_engine(knowledge_dir, cache_dir=private)
    assert not marker.exists()


def test_the_cache_folder_is_created_private(knowledge_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "new" / "cache"
    load_engine(knowledge_dir, cache_dir=folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert cache_file(folder, knowledge_dir).is_file()


def test_old_entries_are_pruned(knowledge_dir: Path, cache_dir: Path) -> None:
    cache_dir.mkdir(mode=0o700)
    month_ago = time.time() - 31 * 86400
    stale = cache_dir / "engine-0123456789abcdef.pickle"
    recent = cache_dir / "engine-fedcba9876543210.pickle"
    leftover = cache_dir / ".engine-killed.tmp"
    for path in (stale, recent, leftover):
        path.write_bytes(b"old")
    os.utime(stale, (month_ago, month_ago))
    os.utime(leftover, (month_ago, month_ago))
    load_engine(knowledge_dir, cache_dir=cache_dir)
    assert not stale.exists() and not leftover.exists()
    assert recent.exists() and cache_file(cache_dir, knowledge_dir).exists()
