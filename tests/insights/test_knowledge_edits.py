"""Round-trip edits of knowledge files: only the added lines change, comments stay put."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.insights.applying import unified_diff, validate, write
from bot.insights.knowledge_edits import Edit, EditError, plan
from bot.insights.targets import Target
from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge

SIDE_EFFECTS = Target("topic", "side_effects", "topic: Side effects", "lexicon/topics.yaml")
DIZZINESS = Target("term", "dizziness", "lay term: Dizziness", "lexicon/terms.yaml")
NOTE = "learned 2026-11-28 from 3 question(s) in the log"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), copy)
    return copy


def added_and_removed(root: Path, edits: list[Edit]) -> tuple[list[str], list[str]]:
    diff = unified_diff(root, plan(root, edits)).splitlines()
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    return added, removed


def test_a_phrasing_is_added_with_its_note_and_the_next_keys_comment_stays_above_it(
    root: Path,
) -> None:
    added, removed = added_and_removed(root, [Edit(SIDE_EFFECTS, "spacey", NOTE)])
    assert added == [f"      - spacey  # {NOTE}"] and removed == []
    changes = plan(root, [Edit(SIDE_EFFECTS, "spacey", NOTE)])
    text = changes[0].new
    comment = '    # Words that ask whether the drug causes something ("does X cause Y?").'
    assert f"      - spacey  # {NOTE}\n{comment}\n    check_cues:" in text


def test_words_the_loader_would_read_as_booleans_are_quoted(root: Path) -> None:
    changes = plan(root, [Edit(SIDE_EFFECTS, "on", NOTE), Edit(DIZZINESS, "no", NOTE)])
    assert validate(root, changes) == []
    write(changes)
    knowledge = load_knowledge(root)
    assert "on" in knowledge.topics.topics["side_effects"].phrasings
    dizziness = next(t for t in knowledge.terms.terms if t.id == "dizziness")
    assert dizziness.said[-1] == "no"


def test_a_second_lay_phrasing_adds_to_the_note_and_a_known_one_is_skipped(root: Path) -> None:
    write(plan(root, [Edit(DIZZINESS, "spinny", NOTE)]))
    changes = plan(
        root, [Edit(DIZZINESS, "swimmy", "learned later"), Edit(DIZZINESS, "woozy", NOTE)]
    )
    assert changes[0].skipped == ("woozy",)
    line = next(li for li in changes[0].new.splitlines() if "spinny" in li)
    assert re.search(rf"spinny, swimmy\] +# {re.escape(NOTE)}; learned later$", line)


def test_an_entry_that_is_gone_is_an_error_and_nothing_is_written(root: Path) -> None:
    gone = Target(
        "faq",
        "gabapentin-amitriptyline#no-such-faq",
        "FAQ: ?",
        "combinations/gabapentin-amitriptyline.yaml",
    )
    with pytest.raises(EditError, match="no entry"):
        plan(root, [Edit(gone, "why both", NOTE)])


def test_writing_replaces_the_file_and_keeps_its_mode(root: Path) -> None:
    topics = root / "lexicon" / "topics.yaml"
    topics.chmod(0o640)
    write(plan(root, [Edit(SIDE_EFFECTS, "spacey", NOTE)]))
    assert topics.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in topics.parent.iterdir() if p.name.startswith(".")] == []
