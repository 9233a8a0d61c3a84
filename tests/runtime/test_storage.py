"""The question log and guild settings: schema, privacy, persistence."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from bot.runtime import storage
from bot.runtime.storage import SCHEMA_VERSION, QuestionRecord, StorageError, Store

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
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "medfaq.sqlite3"


def database_bytes(path: Path) -> bytes:
    """The main file and any WAL or journal beside it."""
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def sqlite_integer_bytes(value: int) -> bytes:
    """How SQLite writes an integer in a record: big-endian in 1, 2, 3, 4, 6 or 8 bytes."""
    for size in (1, 2, 3, 4, 6, 8):
        if -(2 ** (8 * size - 1)) <= value < 2 ** (8 * size - 1):
            return value.to_bytes(size, "big", signed=True)
    raise ValueError(value)


def test_sqlite_integer_bytes_finds_a_stored_id(db: Path) -> None:
    """The check below can see an id: a guild id, which is stored, is found in the file."""
    with Store(db) as store:
        store.log_question(RECORD)
    assert sqlite_integer_bytes(GUILD) in database_bytes(db)


def test_new_database_is_created_migrated_and_in_wal_mode(db: Path) -> None:
    with Store(db) as store:
        assert db.is_file()
        assert store.schema_version == SCHEMA_VERSION >= 1
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_reopening_keeps_the_version_and_the_data(db: Path) -> None:
    with Store(db) as store:
        qid = store.log_question(RECORD)
    for _ in range(2):
        with Store(db) as store:
            assert store.schema_version == SCHEMA_VERSION
            assert [q.id for q in store.questions()] == [qid]


def test_the_decision_type_is_logged_and_an_older_log_gains_the_column(db: Path) -> None:
    Store(db).close()
    conn = sqlite3.connect(db)  # as a version 1 log: no decision column
    conn.execute("ALTER TABLE questions DROP COLUMN decision")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        store.log_question(RECORD)
        store.log_question(replace(RECORD, decision=None))
        assert [q.decision for q in store.questions()] == ["Check", None]


def tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def test_a_new_migration_is_applied_once_in_order(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(db) as store:
        qid = store.log_question(RECORD)
    step = (
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)",
        "INSERT INTO notes VALUES (1, 'x')",
    )
    monkeypatch.setattr(storage, "MIGRATIONS", (*storage.MIGRATIONS, step))
    for _ in range(2):  # the second open must not apply it again (the INSERT would clash)
        with Store(db) as store:
            assert store.schema_version == SCHEMA_VERSION + 1
            assert [q.id for q in store.questions()] == [qid]
    assert "notes" in tables(db)


def test_a_failing_migration_leaves_nothing_half_done(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store(db).close()
    broken = ("CREATE TABLE half (x)", "THIS IS NOT SQL")
    monkeypatch.setattr(storage, "MIGRATIONS", (*storage.MIGRATIONS, broken))
    with pytest.raises(StorageError, match="cannot prepare"):
        Store(db)
    assert "half" not in tables(db)
    monkeypatch.undo()
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION


def test_a_database_from_a_newer_medfaq_is_refused(db: Path) -> None:
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageError, match="newer"):
        Store(db)


def test_an_unopenable_path_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageError, match="cannot open"):
        Store(blocker / "medfaq.sqlite3")


def test_every_field_round_trips_except_the_asker(db: Path) -> None:
    with Store(db) as store:
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


def test_no_user_id_anywhere_in_the_database_file(db: Path) -> None:
    askers = [ASKER, ASKER + 1, 123456789]
    with Store(db) as store:
        for asker in askers:
            store.log_question(replace(RECORD, asker=asker))
        raw_while_open = database_bytes(db)
    for raw in (raw_while_open, database_bytes(db)):
        for asker in askers:
            assert str(asker).encode() not in raw
            assert sqlite_integer_bytes(asker) not in raw


def test_the_salt_is_per_database_and_stable(tmp_path: Path) -> None:
    with Store(tmp_path / "a.sqlite3") as a, Store(tmp_path / "b.sqlite3") as b:
        assert a.asker_hash(ASKER) != b.asker_hash(ASKER)
        first = a.asker_hash(ASKER)
    with Store(tmp_path / "a.sqlite3") as again:
        assert again.asker_hash(ASKER) == first


def test_question_text_off_keeps_no_text(db: Path) -> None:
    secret = "a very particular question about zopiclone"
    with Store(db, store_question_text=False) as store:
        store.log_question(replace(RECORD, question=secret))
        [logged] = store.questions()
    assert logged.question is None
    assert logged.kind == RECORD.kind and logged.entry == RECORD.entry
    assert b"zopiclone" not in database_bytes(db)


def test_odd_text_is_stored_and_long_text_is_cut(db: Path) -> None:
    odd = "nul\x00 rtl\u202e zero\u200b emoji 😀 '; DROP TABLE questions; -- \ud800"
    with Store(db) as store:
        store.log_question(replace(RECORD, question=odd))
        store.log_question(replace(RECORD, question="x" * 100_000))
        first, second = store.questions()
    assert first.question is not None and first.question.startswith("nul\x00 rtl\u202e")
    assert "DROP TABLE" in first.question
    assert second.question == "x" * 4000


def test_a_score_that_is_not_a_number_is_stored_as_zero(db: Path) -> None:
    with Store(db) as store:
        store.log_question(replace(RECORD, score=float("nan")))
        assert store.questions()[0].score == 0.0


def test_a_home_relative_path_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    with Store("~/logs/medfaq.sqlite3") as store:
        assert store.path == tmp_path / "logs" / "medfaq.sqlite3"
    assert (tmp_path / "logs" / "medfaq.sqlite3").is_file()


def test_the_database_file_is_private(db: Path) -> None:
    Store(db).close()
    assert db.stat().st_mode & 0o077 == 0


def test_anonymous_and_guildless_questions(db: Path) -> None:
    record = replace(RECORD, source="cli", guild_id=None, channel_id=None, asker=None, drug=None)
    with Store(db) as store:
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
def test_unknown_kind_or_source_is_refused(db: Path, bad: QuestionRecord) -> None:
    with Store(db) as store, pytest.raises(ValueError):
        store.log_question(bad)


def test_feedback_and_choices_are_recorded(db: Path) -> None:
    with Store(db) as store:
        answered = store.log_question(RECORD)
        unsure = store.log_question(replace(RECORD, kind="clarify", entry=None))
        store.log_feedback(answered, helpful=False)
        store.log_feedback(answered, helpful=True)
        store.log_choice(unsure, "gabapentin: side effects")
    with Store(db) as store:
        assert [(f.question_id, f.helpful) for f in store.feedback()] == [
            (answered, False),
            (answered, True),
        ]
        assert [(c.question_id, c.choice) for c in store.choices()] == [
            (unsure, "gabapentin: side effects")
        ]


def test_a_click_on_an_unknown_question_is_dropped_not_raised(db: Path) -> None:
    with Store(db) as store:
        store.log_feedback(4242, helpful=True)
        store.log_choice(4242, "anything")
        assert store.feedback() == [] and store.choices() == []


def test_periods_select_by_time_asked(db: Path) -> None:
    with Store(db) as store:
        for t in (100.0, 200.0, 300.0):
            qid = store.log_question(replace(RECORD, asked_at=t))
            store.log_feedback(qid, helpful=True)
        assert [q.asked_at for q in store.questions(since=200.0)] == [200.0, 300.0]
        assert [q.asked_at for q in store.questions(until=200.0)] == [100.0]
        assert len(store.feedback(since=150.0, until=250.0)) == 1
        assert store.question_count() == 3


def test_answer_channels_persist_across_reopen(db: Path) -> None:
    with Store(db) as store:
        assert store.answer_channels(GUILD) == set()
        assert store.add_answer_channel(GUILD, 1) is True
        assert store.add_answer_channel(GUILD, 1) is False
        assert store.add_answer_channel(GUILD, 2) is True
        assert store.add_answer_channel(GUILD + 1, 3) is True
    with Store(db) as store:
        assert store.answer_channels(GUILD) == {1, 2}
        assert store.remove_answer_channel(GUILD, 1) is True
        assert store.remove_answer_channel(GUILD, 1) is False
    with Store(db) as store:
        assert store.answer_channels(GUILD) == {2}
        assert store.answer_channels(GUILD + 1) == {3}


def test_guild_settings_persist_across_reopen(db: Path) -> None:
    with Store(db) as store:
        assert store.guild_setting(GUILD, "region") is None
        store.set_guild_setting(GUILD, "region", "uk")
        store.set_guild_setting(GUILD, "alert_channel", "333")
        store.set_guild_setting(GUILD, "region", "au")
    with Store(db) as store:
        assert store.guild_setting(GUILD, "region") == "au"
        assert store.guild_setting(GUILD, "alert_channel") == "333"
        assert store.guild_setting(GUILD + 1, "region") is None
        store.set_guild_setting(GUILD, "region", None)
        store.set_guild_setting(GUILD, "never-set", None)
    with Store(db) as store:
        assert store.guild_setting(GUILD, "region") is None


def test_threads_share_one_store(db: Path) -> None:
    with Store(db) as store:

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


def test_two_stores_on_one_file_see_each_others_writes(db: Path) -> None:
    with Store(db) as one, Store(db) as two:
        one.add_answer_channel(GUILD, 5)
        assert two.answer_channels(GUILD) == {5}
        two.log_question(RECORD)
        assert one.question_count() == 1
