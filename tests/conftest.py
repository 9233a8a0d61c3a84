"""Fixtures shared by the test modules: the bundled knowledge, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.engine import Engine
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir, load_knowledge

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return load_knowledge(bundled_knowledge_dir())


@pytest.fixture(scope="session")
def engine(knowledge: KnowledgeBase) -> Engine:
    return Engine(knowledge)


def shared_file(*parts: str) -> Path:
    """A file of ../shared; CI always has it beside the checkout, so a missing one is an error."""
    path = SHARED.joinpath(*parts)
    if not path.is_file():
        pytest.fail(f"{path} is missing: the project expects ../shared beside the checkout")
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tiers: everything under tests/e2e/ is end to end (a real client, processes, sockets)."""
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)
