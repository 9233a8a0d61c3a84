"""Fixtures shared by the test modules: the bundled knowledge, loaded once."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.engine.engine import Engine
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir, load_knowledge

from .support.postgres import PostgresServer, PostgresUnavailable, running_postgres

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return load_knowledge(bundled_knowledge_dir())


@pytest.fixture(scope="session")
def engine(knowledge: KnowledgeBase) -> Engine:
    return Engine(knowledge)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL for the whole session, started on first use. Fails, never skips,
    when it cannot start: the message says to run ``make test`` (which installs it)."""
    try:
        with running_postgres() as server:
            yield server
    except PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the session's server."""
    return postgres_server.new_database()


@pytest.fixture(params=["sqlite", "postgres"])
def new_store_target(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Path | str]:
    """Makes fresh databases (each a ``MEDFAQ_DB`` value) on each back end in turn: the store
    suite runs once on SQLite and once on the test PostgreSQL."""
    if request.param == "sqlite":
        names = itertools.count()
        return lambda: tmp_path / "data" / f"medfaq{next(names)}.sqlite3"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.new_database


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
