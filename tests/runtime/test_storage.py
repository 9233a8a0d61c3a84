"""The question log and guild settings: schema, privacy, persistence. One suite for both back
ends: every test taking ``db`` runs on SQLite and on a real PostgreSQL (``tests/support``)."""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.runtime.store import (
    SCHEMA_VERSION,
    QuestionRecord,
    StorageError,
    is_postgres_url,
    migrations,
    open_store,
)

from ..support.stores import Target, everything_stored, set_schema_version, tables

ASKER = 987654321098765432
GUILD = 111111111111111111
CHANNEL = 222222222222222222

RECORD = QuestionRecord(
    asked_at=1_790_000_000.25,
    source="mention",
    guild_id=GUILD,
    channel_id=CHANNEL,
    asker=ASKER,
    question="Does gabapentin make you gain weight?",
    kind="answer",
    drug="gabapentin",
    topic="side_effects",
    entry="gabapentin/side_effects",
    score=91.5,
    decision="Check",
)


@pytest.fixture
def db(new_store_target: Callable[[], Target]) -> Target:
    """A fresh database, once on SQLite and once on PostgreSQL."""
    return new_store_target()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "medfaq.sqlite3"


def sqlite_integer_bytes(value: int) -> bytes:
    """How SQLite writes an integer in a record: big-endian in 1, 2, 3, 4, 6 or 8 bytes."""
    for size in (1, 2, 3, 4, 6, 8):
        if -(2 ** (8 * size - 1)) <= value < 2 ** (8 * size - 1):
            return value.to_bytes(size, "big", signed=True)
    raise ValueError(value)


def test_the_privacy_check_can_see_a_stored_id(db: Target) -> None:
    """The check below can see an id: a guild id, which is stored, is found in the database."""
    with open_store(db) as store:
        store.log_question(RECORD)
    raw = everything_stored(db)
    assert str(GUILD).encode() in raw or sqlite_integer_bytes(GUILD) in raw


def test_new_sqlite_database_is_created_migrated_and_in_wal_mode(sqlite_db: Path) -> None:
    db = sqlite_db
    with open_store(db) as store:
        assert db.is_file()
        assert store.schema_version == SCHEMA_VERSION >= 1
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_reopening_keeps_the_version_and_the_data(db: Target) -> None:
    with open_store(db) as store:
        qid = store.log_question(RECORD)
    for _ in range(2):
        with open_store(db) as store:
            assert store.schema_version == SCHEMA_VERSION
            assert [q.id for q in store.questions()] == [qid]


def test_the_decision_type_is_logged_and_an_older_log_gains_the_column(sqlite_db: Path) -> None:
    open_store(sqlite_db).close()
    conn = sqlite3.connect(sqlite_db)  # as a version 1 log: no decision column
    conn.execute("ALTER TABLE questions DROP COLUMN decision")
    conn.execute("ALTER TABLE questions DROP COLUMN safety")  # nor the later safety column
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with open_store(sqlite_db) as store:
        assert store.schema_version == SCHEMA_VERSION
        store.log_question(RECORD)
        store.log_question(replace(RECORD, decision=None))
        assert [q.decision for q in store.questions()] == ["Check", None]


def test_a_new_migration_is_applied_once_in_order(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db) as store:
        qid = store.log_question(RECORD)
    step = (
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)",
        "INSERT INTO notes VALUES (1, 'x')",
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, step))
    for _ in range(2):  # the second open must not apply it again (the INSERT would clash)
        with open_store(db) as store:
            assert store.schema_version == SCHEMA_VERSION + 1
            assert [q.id for q in store.questions()] == [qid]
    assert "notes" in tables(db)


def test_a_failing_migration_leaves_nothing_half_done(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(db).close()
    broken = ("CREATE TABLE half (x INTEGER)", "THIS IS NOT SQL")
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    with pytest.raises(StorageError, match="cannot prepare"):
        open_store(db)
    assert "half" not in tables(db)
    monkeypatch.undo()
    with open_store(db) as store:
        assert store.schema_version == SCHEMA_VERSION


def test_a_database_from_a_newer_medfaq_is_refused(db: Target) -> None:
    open_store(db).close()
    set_schema_version(db, SCHEMA_VERSION + 1)
    with pytest.raises(StorageError, match="newer"):
        open_store(db)


def test_an_unopenable_path_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageError, match="cannot open"):
        open_store(blocker / "medfaq.sqlite3")


def test_an_unreachable_postgres_is_a_storage_error_without_the_password() -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(StorageError, match="cannot open") as raised:
        open_store(f"postgresql://medfaq:hunter2@127.0.0.1:{port}/medfaq")
    assert "hunter2" not in str(raised.value)
    assert f"127.0.0.1:{port}" in str(raised.value)


def test_every_field_round_trips_except_the_asker(db: Target) -> None:
    with open_store(db) as store:
        qid = store.log_question(RECORD)
        [logged] = store.questions()
        expected_hash = store.asker_hash(ASKER)
    assert logged.id == qid
    assert (logged.asked_at, logged.source, logged.guild_id, logged.channel_id) == (
        RECORD.asked_at,
        RECORD.source,
        RECORD.guild_id,
        RECORD.channel_id,
    )
    assert (logged.question, logged.kind, logged.drug, logged.topic) == (
        RECORD.question,
        RECORD.kind,
        RECORD.drug,
        RECORD.topic,
    )
    assert (logged.entry, logged.score) == (RECORD.entry, RECORD.score)
    assert logged.asker_hash == expected_hash
    assert str(ASKER) not in logged.asker_hash


def test_no_user_id_anywhere_in_the_database(db: Target) -> None:
    askers = [ASKER, ASKER + 1, 123456789]
    with open_store(db) as store:
        for asker in askers:
            store.log_question(replace(RECORD, asker=asker))
        raw_while_open = everything_stored(db)
    for raw in (raw_while_open, everything_stored(db)):
        for asker in askers:
            assert str(asker).encode() not in raw
            assert sqlite_integer_bytes(asker) not in raw


def test_the_salt_is_per_database_and_stable(new_store_target: Callable[[], Target]) -> None:
    one, two = new_store_target(), new_store_target()
    with open_store(one) as a, open_store(two) as b:
        assert a.asker_hash(ASKER) != b.asker_hash(ASKER)
        first = a.asker_hash(ASKER)
    with open_store(one) as again:
        assert again.asker_hash(ASKER) == first


def test_question_text_off_keeps_no_text(db: Target) -> None:
    secret = "a very particular question about zopiclone"
    with open_store(db, store_question_text=False) as store:
        store.log_question(replace(RECORD, question=secret))
        [logged] = store.questions()
    assert logged.question is None
    assert logged.kind == RECORD.kind and logged.entry == RECORD.entry
    assert b"zopiclone" not in everything_stored(db)


def test_odd_text_is_stored_and_long_text_is_cut(db: Target) -> None:
    odd = "nul\x00 rtl\u202e zero\u200b emoji 😀 '; DROP TABLE questions; -- \ud800"
    with open_store(db) as store:
        store.log_question(replace(RECORD, question=odd))
        store.log_question(replace(RECORD, question="x" * 100_000))
        first, second = store.questions()
    # PostgreSQL's text cannot hold NUL: it becomes U+FFFD there; SQLite keeps it.
    nul = "\ufffd" if is_postgres_url(db) else "\x00"
    assert first.question is not None and first.question.startswith(f"nul{nul} rtl\u202e")
    assert "DROP TABLE" in first.question
    assert second.question == "x" * 4000


def test_a_score_that_is_not_a_number_is_stored_as_zero(db: Target) -> None:
    with open_store(db) as store:
        store.log_question(replace(RECORD, score=float("nan")))
        assert store.questions()[0].score == 0.0


def test_a_home_relative_path_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    with open_store("~/logs/medfaq.sqlite3") as store:
        assert store.where == str(tmp_path / "logs" / "medfaq.sqlite3")
    assert (tmp_path / "logs" / "medfaq.sqlite3").is_file()


def test_the_database_file_is_private(sqlite_db: Path) -> None:
    open_store(sqlite_db).close()
    assert sqlite_db.stat().st_mode & 0o077 == 0


def test_anonymous_and_guildless_questions(db: Target) -> None:
    record = replace(RECORD, source="cli", guild_id=None, channel_id=None, asker=None, drug=None)
    with open_store(db) as store:
        store.log_question(record)
        [logged] = store.questions()
    assert (logged.guild_id, logged.channel_id, logged.asker_hash, logged.drug) == (None,) * 4


@pytest.mark.parametrize(
    "bad",
    [
        replace(RECORD, kind="maybe"),
        replace(RECORD, source="carrier-pigeon"),
        replace(RECORD, asked_at=float("nan")),
    ],
)
def test_unknown_kind_or_source_is_refused(db: Target, bad: QuestionRecord) -> None:
    with open_store(db) as store, pytest.raises(ValueError):
        store.log_question(bad)


def test_feedback_and_choices_are_recorded(db: Target) -> None:
    with open_store(db) as store:
        answered = store.log_question(RECORD)
        unsure = store.log_question(replace(RECORD, kind="clarify", entry=None))
        store.log_feedback(answered, helpful=False)
        store.log_feedback(answered, helpful=True)
        store.log_choice(unsure, "gabapentin: side effects")
    with open_store(db) as store:
        assert [(f.question_id, f.helpful) for f in store.feedback()] == [
            (answered, False),
            (answered, True),
        ]
        assert [(c.question_id, c.choice) for c in store.choices()] == [
            (unsure, "gabapentin: side effects")
        ]


def test_a_click_on_an_unknown_question_is_dropped_not_raised(db: Target) -> None:
    with open_store(db) as store:
        store.log_feedback(4242, helpful=True)
        store.log_choice(4242, "anything")
        assert store.feedback() == [] and store.choices() == []


def test_periods_select_by_time_asked(db: Target) -> None:
    with open_store(db) as store:
        for t in (100.0, 200.0, 300.0):
            qid = store.log_question(replace(RECORD, asked_at=t))
            store.log_feedback(qid, helpful=True)
        assert [q.asked_at for q in store.questions(since=200.0)] == [200.0, 300.0]
        assert [q.asked_at for q in store.questions(until=200.0)] == [100.0]
        assert len(store.feedback(since=150.0, until=250.0)) == 1
        assert store.question_count() == 3


def test_answer_channels_persist_across_reopen(db: Target) -> None:
    with open_store(db) as store:
        assert store.answer_channels(GUILD) == set()
        assert store.add_answer_channel(GUILD, 1) is True
        assert store.add_answer_channel(GUILD, 1) is False
        assert store.add_answer_channel(GUILD, 2) is True
        assert store.add_answer_channel(GUILD + 1, 3) is True
    with open_store(db) as store:
        assert store.answer_channels(GUILD) == {1, 2}
        assert store.remove_answer_channel(GUILD, 1) is True
        assert store.remove_answer_channel(GUILD, 1) is False
    with open_store(db) as store:
        assert store.answer_channels(GUILD) == {2}
        assert store.answer_channels(GUILD + 1) == {3}


def test_guild_settings_persist_across_reopen(db: Target) -> None:
    with open_store(db) as store:
        assert store.guild_setting(GUILD, "region") is None
        store.set_guild_setting(GUILD, "region", "uk")
        store.set_guild_setting(GUILD, "alert_channel", "333")
        store.set_guild_setting(GUILD, "region", "au")
    with open_store(db) as store:
        assert store.guild_setting(GUILD, "region") == "au"
        assert store.guild_setting(GUILD, "alert_channel") == "333"
        assert store.guild_setting(GUILD + 1, "region") is None
        store.set_guild_setting(GUILD, "region", None)
        store.set_guild_setting(GUILD, "never-set", None)
    with open_store(db) as store:
        assert store.guild_setting(GUILD, "region") is None


def test_threads_share_one_store(db: Target) -> None:
    with open_store(db) as store:

        def work() -> None:
            for _ in range(50):
                qid = store.log_question(RECORD)
                store.log_feedback(qid, helpful=True)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.question_count() == 200
        assert len(store.feedback()) == 200


def test_two_stores_on_one_file_see_each_others_writes(db: Target) -> None:
    with open_store(db) as one, open_store(db) as two:
        one.add_answer_channel(GUILD, 5)
        assert two.answer_channels(GUILD) == {5}
        two.log_question(RECORD)
        assert one.question_count() == 1


def test_the_log_keeps_what_the_safety_triage_found(db: Target) -> None:
    found = '{"level": "emergency", "kind": "overdose", "signals": ["ingestion", "excess"]}'
    with open_store(db) as store:
        store.log_question(replace(RECORD, kind="emergency", safety=found))
        store.log_question(RECORD)
        assert [q.safety for q in store.questions()] == [found, None]


def test_an_older_log_gains_the_safety_column(sqlite_db: Path) -> None:
    open_store(sqlite_db).close()
    conn = sqlite3.connect(sqlite_db)  # as a version 2 log: no safety column
    conn.execute("ALTER TABLE questions DROP COLUMN safety")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with open_store(sqlite_db) as store:
        assert store.schema_version == SCHEMA_VERSION >= 3
        store.log_question(replace(RECORD, safety="{}"))
        assert [q.safety for q in store.questions()] == ["{}"]
