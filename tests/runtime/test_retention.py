"""One asker's rows, deleting them, and retention: the store methods (on SQLite and on a real
PostgreSQL, ``tests/support``) and ``medfaq prune``."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.runtime.retention import prune_older_than
from bot.runtime.store import QuestionRecord, open_store

from ..support.stores import Target

DAY = 86_400.0


def record(asker: int, question: str | None, asked_at: float) -> QuestionRecord:
    return QuestionRecord(asked_at, "slash", 1, 2, asker, question, "answer", "d", "t", "e", 90.0)


@pytest.fixture
def db(new_store_target: Callable[[], Target]) -> Target:
    """A fresh database, once on SQLite and once on PostgreSQL."""
    return new_store_target()


def test_asker_summary_and_delete_touch_only_that_asker(db: Target) -> None:
    with open_store(db) as store:
        now = time.time()
        first = store.log_question(record(7, "first", now - 30))
        store.log_question(record(7, "second", now - 20))
        store.log_question(record(7, "third", now - 10))
        store.log_question(record(7, "fourth", now))
        other = store.log_question(record(8, "someone else", now))
        store.log_feedback(first, helpful=True)
        store.log_choice(first, "Gabapentin")
        store.log_feedback(other, helpful=False)

        summary = store.asker_summary(store.asker_hash(7), latest=3)
        assert (summary.questions, summary.with_text) == (4, 4)
        assert [q for _, q in summary.latest] == ["fourth", "third", "second"]

        assert store.delete_asker(store.asker_hash(7)) == 4
        assert store.asker_summary(store.asker_hash(7)).questions == 0
        assert [q.question for q in store.questions()] == ["someone else"]
        assert [f.question_id for f in store.feedback()] == [other]
        assert store.choices() == []


def test_without_question_text_the_summary_says_so(db: Target) -> None:
    with open_store(db, store_question_text=False) as store:
        store.log_question(record(7, "never kept", time.time()))
        summary = store.asker_summary(store.asker_hash(7))
    assert (summary.questions, summary.with_text, summary.latest[0][1]) == (1, 0, None)


def test_prune_deletes_only_older_rows(db: Target) -> None:
    now = time.time()
    with open_store(db) as store:
        for age in (40, 31, 29, 0):
            store.log_question(record(7, f"{age}", now - age * DAY))
        assert prune_older_than(store, 30, now=now) == 2
        assert [q.question for q in store.questions()] == ["29", "0"]
        assert prune_older_than(store, 30, now=now) == 0


def test_medfaq_prune_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "log.sqlite3"
    now = time.time()
    with open_store(db) as store:
        store.log_question(record(7, "old", now - 10 * DAY))
        store.log_question(record(7, "new", now))
    assert main(["prune", "--days", "7", "--db", str(db)]) == 0
    assert "deleted 1 question(s) older than 7 days" in capsys.readouterr().out
    with open_store(db) as store:
        assert [q.question for q in store.questions()] == ["new"]

    monkeypatch.setenv("MEDFAQ_RETENTION_DAYS", "0.5")
    monkeypatch.setenv("MEDFAQ_DB", str(db))
    assert main(["prune"]) == 0
    assert "deleted 0 question(s)" in capsys.readouterr().out

    monkeypatch.delenv("MEDFAQ_RETENTION_DAYS")
    assert main(["prune"]) == 2
    assert "--days" in capsys.readouterr().err
    assert main(["prune", "--days", "1", "--db", str(tmp_path / "none.sqlite3")]) == 1
    assert "no question log at" in capsys.readouterr().err
