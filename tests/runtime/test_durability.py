"""Data kept (issue 7): the question log survives a writer killed mid-write, and two processes
writing one database at once lose nothing; on SQLite and on PostgreSQL (issue 15)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.runtime.store import is_postgres_url, open_store

from ..support.stores import Target, raw_rows

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL"),
]

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys, time
from bot.runtime.store import QuestionRecord, open_store

db, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = open_store(db)
print("ready", flush=True)
if sys.stdin.readline().strip() != "go":
    sys.exit(2)
n = 0
while count < 0 or n < count:
    record = QuestionRecord(
        asked_at=time.time(), source="cli", guild_id=1, channel_id=2, asker=n,
        question=f"{tag} {n}", kind="fallback", drug=None, topic=None, entry=None, score=0.0,
    )
    print(store.log_question(record), n, flush=True)
    n += 1
store.close()
"""

HOLDER = """
import sqlite3, sys, time
import psycopg

INSERT = (
    "INSERT INTO questions (asked_at, source, kind, score, question)"
    " VALUES (0, 'cli', 'fallback', 0, 'never committed')"
)
if sys.argv[1].startswith("postgresql://"):
    conn = psycopg.connect(sys.argv[1])  # a transaction is open until commit
    conn.execute("LOCK TABLE answer_channels IN EXCLUSIVE MODE")
    conn.execute(INSERT)
else:
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(INSERT)
print("in flight", flush=True)
time.sleep(60)
"""


def start(script: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, str(script), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert child.stdout is not None
    return child


def script(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def go(child: subprocess.Popen[str]) -> None:
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "ready"
    child.stdin.write("go\n")
    child.stdin.flush()


def committed(lines: list[str]) -> dict[int, int]:
    """``{question id: n}`` for every complete line the writer printed after a commit."""
    pairs = [line.split() for line in lines if line.endswith("\n")]
    return {int(qid): int(n) for qid, n in pairs}


def check_database(db: Target, tag: str, reported: dict[int, int]) -> None:
    if not is_postgres_url(db):
        assert raw_rows(db, "PRAGMA integrity_check")[0][0] == "ok"
    sql = "SELECT id, question FROM questions WHERE question LIKE ?"
    rows = dict(raw_rows(db, sql, (f"{tag} %",)))
    missing = [qid for qid in reported if qid not in rows]
    assert not missing, f"{len(missing)} committed rows lost, e.g. {missing[:5]}"
    assert all(rows[qid] == f"{tag} {n}" for qid, n in reported.items())


def test_a_writer_killed_mid_stream_loses_no_committed_row(
    tmp_path: Path, new_store_target: Callable[[], Target]
) -> None:
    db = new_store_target()
    writer = script(tmp_path, "writer.py", WRITER)
    reported: dict[int, int] = {}
    for round_ in range(3):
        child = start(writer, str(db), f"round{round_}", "-1")
        go(child)
        assert child.stdout is not None
        lines = [child.stdout.readline() for _ in range(150)]
        child.send_signal(signal.SIGKILL)
        lines += child.stdout.readlines()  # what it printed before it died was committed too
        child.wait(timeout=10)
        assert child.returncode == -signal.SIGKILL
        round_reported = committed(lines)
        assert len(round_reported) >= 150
        check_database(db, f"round{round_}", round_reported)
        reported.update(round_reported)
    with open_store(db) as store:  # still opens and takes writes after three crashes
        assert store.question_count() >= len(reported)


def test_a_writer_killed_inside_a_transaction_leaves_no_trace_and_no_lock(
    tmp_path: Path, new_store_target: Callable[[], Target]
) -> None:
    db = new_store_target()
    open_store(db).close()
    child = start(script(tmp_path, "holder.py", HOLDER), str(db))
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "in flight"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    started = time.monotonic()
    with open_store(db) as store:
        store.add_answer_channel(1, 2)  # the dead writer's lock is gone
        assert store.question_count() == 0
    assert time.monotonic() - started < 2.0
    if not is_postgres_url(db):
        assert raw_rows(db, "PRAGMA integrity_check")[0][0] == "ok"


def test_two_processes_writing_at_once_lose_nothing(
    tmp_path: Path, new_store_target: Callable[[], Target]
) -> None:
    db = new_store_target()
    writer = script(tmp_path, "writer.py", WRITER)
    rows_each = 300
    children = {tag: start(writer, str(db), tag, str(rows_each)) for tag in ("left", "right")}
    for child in children.values():
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    started = time.monotonic()
    for child in children.values():
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = {tag: child.communicate(timeout=60)[0] for tag, child in children.items()}
    elapsed = time.monotonic() - started
    reported = {tag: committed(out.splitlines(keepends=True)) for tag, out in outputs.items()}
    for tag, child in children.items():
        assert child.returncode == 0
        assert sorted(reported[tag].values()) == list(range(rows_each))
        check_database(db, tag, reported[tag])
    assert not set(reported["left"]) & set(reported["right"])
    with open_store(db) as store:
        assert store.question_count() == 2 * rows_each
    assert elapsed < 30, f"{2 * rows_each} rows took {elapsed:.1f}s"
