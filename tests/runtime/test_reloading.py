"""Hot reload keeps the last good knowledge when the new files do not validate."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.knowledge.loading import bundled_knowledge_dir
from bot.runtime.reloading import KnowledgeHolder, ReloadResult


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), root)
    return root


def side_effects(holder: KnowledgeHolder) -> str:
    return holder.engine.ask("side effects of gabapentin").text


def test_a_valid_change_is_picked_up(knowledge_copy: Path) -> None:
    holder = KnowledgeHolder(knowledge_copy)
    assert not holder.changed()
    version = holder.version
    drug = knowledge_copy / "drugs" / "gabapentin.yaml"
    drug.write_text(drug.read_text().replace("- Nausea", "- Nausea (edited)"))
    assert holder.changed()
    assert holder.version == version, "the version is read when the knowledge loads"
    result = holder.reload()
    assert result.ok and "2 drugs" in result.describe()
    assert "Nausea (edited)" in side_effects(holder)
    assert holder.version != version and len(holder.version) == 12


BREAKAGES = {
    "syntax": ("drugs/gabapentin.yaml", lambda t: t.replace("sections:", "sections: [")),
    "list-for-text": ("drugs/gabapentin.yaml", lambda t: t.replace("name: Gabapentin", "name: []")),
    "unknown-drug": (
        "combinations/gabapentin-amitriptyline.yaml",
        lambda t: t.replace("drugs: [gabapentin, amitriptyline]", "drugs: [gabapentin, nope]"),
    ),
    "duplicate-key": ("drugs/gabapentin.yaml", lambda t: t + "id: gabapentin\n"),
    "empty-answer": (
        "combinations/gabapentin-amitriptyline.yaml",
        lambda t: t.replace("answer: >-\n      To provide", 'answer: ""\n    x_: >-\n      To'),
    ),
    "no-disclaimer": ("messages.yaml", lambda t: t.replace("disclaimer: >-", "disclaimed: >-")),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_file_keeps_the_last_good_knowledge(knowledge_copy: Path, breakage: str) -> None:
    holder = KnowledgeHolder(knowledge_copy)
    before = side_effects(holder)
    relative, damage = BREAKAGES[breakage]
    path = knowledge_copy / relative
    path.write_text(damage(path.read_text()))
    result = holder.reload()
    assert not result.ok
    assert result.problems, "a refused reload says why"
    assert any(str(p).startswith(f"{path}:") for p in result.problems), result.describe()
    assert "last good knowledge" in result.describe()
    assert side_effects(holder) == before


def test_a_file_that_is_not_utf8_is_refused(knowledge_copy: Path) -> None:
    holder = KnowledgeHolder(knowledge_copy)
    path = knowledge_copy / "drugs" / "amitriptyline.yaml"
    path.write_bytes(path.read_bytes() + b"\nnote: \xff\xfe\n")
    result = holder.reload()
    assert not result.ok and "UTF-8" in result.describe()
    assert holder.engine.ask("amitriptyline side effects").kind == "answer"


def test_watch_reloads_when_a_file_changes(knowledge_copy: Path) -> None:
    holder = KnowledgeHolder(knowledge_copy)
    seen: list[ReloadResult] = []

    async def scenario() -> None:
        async def record(result: ReloadResult) -> None:
            seen.append(result)

        watcher = asyncio.create_task(holder.watch(interval=0.05, on_result=record))
        await asyncio.sleep(0.1)
        drug = knowledge_copy / "drugs" / "gabapentin.yaml"
        drug.write_text(drug.read_text().replace("- Vomiting", "- Vomiting (watched)"))
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.05)
        watcher.cancel()

    asyncio.run(scenario())
    assert seen and seen[0].ok
    assert "Vomiting (watched)" in side_effects(holder)


async def watch_for(holder: KnowledgeHolder, seconds: float) -> None:
    task = asyncio.create_task(holder.watch(interval=0.02))
    await asyncio.sleep(seconds)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_missing_folder_is_reported_once_then_again_when_the_cause_changes(
    knowledge_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    holder = KnowledgeHolder(knowledge_copy)
    moved = knowledge_copy.with_name("moved")
    knowledge_copy.rename(moved)
    task = asyncio.create_task(holder.watch(interval=0.02))
    await asyncio.sleep(0.3)
    failures = [r for r in caplog.records if "could not watch" in r.getMessage()]
    assert len(failures) == 1 and failures[0].exc_info is None
    assert "No such file or directory" in failures[0].getMessage()
    moved.rename(knowledge_copy)
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert any("can watch" in r.getMessage() for r in caplog.records)


async def test_a_folder_that_links_back_into_itself_is_watched(
    knowledge_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    holder = KnowledgeHolder(knowledge_copy)
    (knowledge_copy / "drugs" / "loop").symlink_to(knowledge_copy)
    await watch_for(holder, 0.3)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert holder.engine.knowledge.summary().startswith("2 drugs")
