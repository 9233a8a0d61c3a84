"""The knowledge cache: a hit skips loading, any change to a file is seen, a bad cache file
is rebuilt, and knowledge that fails validation is never stored."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.engine.engine import Engine
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir, load_knowledge
from bot.knowledge.yamlsource import KnowledgeError
from bot.runtime.cache import cache_file, load_engine


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
