"""The topic declarations are checked: a list topic says how its checks are worded, and only
one topic is the default check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge
from bot.knowledge.yamlsource import KnowledgeError


def knowledge_with_topic(root: Path, topic: str) -> Path:
    shutil.copytree(bundled_knowledge_dir(), root)
    topics = root / "lexicon" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + topic, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        (
            "  storage:\n    label: Storage\n    section: list\n    can_answer: storage\n"
            "    phrasings: [storage]\n    listing: storage advice\n    item: a way\n",
            "list topic 'storage' needs 'not_listed'",
        ),
        (
            "  storage:\n    label: Storage\n    section: text\n    can_answer: storage\n"
            "    phrasings: [storage]\n    default_check: true\n",
            "only one topic may be the default check; 'side_effects' already is",
        ),
        (
            "  storage:\n    label: Storage\n    section: table\n    can_answer: storage\n"
            "    phrasings: [storage]\n",
            "topics.storage.section",
        ),
    ],
)
def test_a_topic_declaration_is_checked(tmp_path: Path, topic: str, expected: str) -> None:
    root = knowledge_with_topic(tmp_path / "k", topic)
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(root)
    (problem,) = raised.value.problems
    assert problem.path == root / "lexicon" / "topics.yaml" and problem.line > 1
    assert expected in problem.message
