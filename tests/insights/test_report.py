"""``medfaq report``: grouping, periods, and the text, JSON and CSV outputs."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
import time
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cli.main import main
from bot.insights.grouping import group_similar, wording
from bot.insights.report import (
    Period,
    ReportError,
    build_report,
    parse_since,
    report_from_store,
)
from bot.runtime.store import LoggedQuestion, QuestionRecord, Store, open_store

NOW = time.time()
SLEEPY = ("does it make you sleepy", "does it make you sleepy?", "does it make u sleepy")
DAY = 86400.0

BASE = QuestionRecord(
    asked_at=NOW - 3600,
    source="mention",
    guild_id=1,
    channel_id=2,
    asker=100,
    question="",
    kind="fallback",
    drug=None,
    topic=None,
    entry=None,
    score=40.0,
)


def logged(question: str | None, *, id: int = 1, drug: str | None = None) -> LoggedQuestion:
    return LoggedQuestion(
        id, NOW, "cli", None, None, f"h{id}", question, "fallback", drug, None, None, 0.0
    )


def ask(store: Store, question: str | None, kind: str = "fallback", **fields: object) -> int:
    record = replace(BASE, question=question, kind=kind, **fields)  # type: ignore[arg-type]
    return store.log_question(record)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A log with a week of questions, and one from a month ago."""
    path = tmp_path / "log.sqlite3"
    with open_store(path) as store:
        for n, text in enumerate(
            [
                "Can I take ibuprofen with gabapentin?",
                "can i take ibuprofen with gabapentin",
                "Can I take gabapentin with ibuprofen??",
                "can I take ibuprofen w gabapentin",
            ]
        ):
            ask(store, text, drug="gabapentin", asker=n)
        ask(store, "what dose of amitriptyline should I take", drug="amitriptyline", asker=1)
        ask(store, "=cmd|' /C calc'!A0 \x1b[31m", asker=9)
        for text in (
            "does it make you sleepy",
            "does it make you sleepy?",
            "does it make u sleepy",
        ):
            unsure = ask(store, text, kind="clarify", asker=7)
            store.log_choice(unsure, "amitriptyline: side effects")
        ask(store, "is it addictive", kind="clarify", asker=8)
        answered = ask(
            store,
            "does gabapentin cause weight gain",
            kind="answer",
            drug="gabapentin",
            topic="side_effects",
            entry="gabapentin/side_effects",
        )
        store.log_feedback(answered, helpful=False)
        store.log_feedback(answered, helpful=False)
        store.log_feedback(answered, helpful=True)
        liked = ask(
            store, "what is amitriptyline for", kind="answer", drug="amitriptyline", entry="a/u"
        )
        store.log_feedback(liked, helpful=True)
        ask(store, "I took 40 pills", kind="emergency", asker=None)
        ask(store, "an old question from last month", asked_at=NOW - 30 * DAY)
    return path


# -- grouping -----------------------------------------------------------------------------------


def test_similar_wordings_are_one_group_shown_by_the_most_frequent() -> None:
    texts = [
        "Can I drink alcohol on gabapentin?",
        "can i drink alcohol on gabapentin",
        "Can I drink alcohol with gabapentin",
        "why am I so tired",
    ]
    questions = [logged(t, id=i) for i, t in enumerate(texts)]
    big, small = group_similar(questions)
    assert (big.count, big.askers, big.wordings) == (3, 3, 2)
    assert big.question in texts[:2]
    assert (small.count, small.question) == (1, "why am I so tired")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("does gabapentin cause weight gain", "does amitriptyline cause weight gain"),
        ("can i take ibuprofen with gabapentin", "can i take paracetamol with gabapentin"),
        ("what is gabapentin", "what is pregabalin"),
    ],
)
def test_different_questions_stay_apart(one: str, other: str) -> None:
    assert len(group_similar([logged(one, id=1), logged(other, id=2)])) == 2


def test_questions_about_different_drugs_never_share_a_group() -> None:
    tail = " if I also have kidney problems and take it every night before bed"
    questions = [
        logged("can I take it with alcohol" + tail, id=1, drug="gabapentin"),
        logged("can I take it with alcohol" + tail, id=2, drug="pregabalin"),
    ]
    assert sorted(g.drug or "" for g in group_similar(questions)) == ["gabapentin", "pregabalin"]


def test_the_shown_wording_is_the_most_frequent_then_the_latest() -> None:
    def at(text: str, when: float, id: int) -> LoggedQuestion:
        return replace(logged(text, id=id), asked_at=when)

    frequent = [
        at("is it addictive", 1, 1),
        at("is it addictive", 2, 2),
        at("is it addictive?", 9, 3),
    ]
    assert group_similar(frequent)[0].question == "is it addictive"
    tie = [at("does it make u sleepy", 1, 1), at("does it make you sleepy", 5, 2)]
    assert group_similar(tie)[0].question == "does it make you sleepy"


def test_questions_without_text_are_counted_not_dropped() -> None:
    groups = group_similar([logged(None, id=1), logged(None, id=2), logged("hello", id=3)])
    assert [(g.question, g.count) for g in groups] == [(None, 2), ("hello", 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gabapentin -- weight?", "gabapentin weight"),
        ("  CAN i   take_it?! ", "can i take it"),
        ("gabapentin 太る?", "gabapentin 太る"),
        ("ﬁbromyalgia", "fibromyalgia"),
        ("?!", ""),
    ],
)
def test_wording(text: str, expected: str) -> None:
    assert wording(text) == expected


def test_other_scripts_and_empty_wordings_are_grouped_too() -> None:
    questions = [
        logged("ガバペンチンは太りますか", id=1),
        logged("ガバペンチンは太りますか？", id=2),
    ]
    assert wording("ガバペンチンは太りますか") != ""
    assert len(group_similar(questions)) <= 2
    assert sum(g.count for g in group_similar([logged("?!", id=1), logged("", id=2)])) == 2


@given(st.lists(st.text(max_size=40), max_size=30))
def test_grouping_counts_every_question_once(texts: list[str]) -> None:
    groups = group_similar([logged(t, id=i) for i, t in enumerate(texts)])
    assert sum(g.count for g in groups) == len(texts)
    assert [g.count for g in groups] == sorted((g.count for g in groups), reverse=True)


# -- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds_ago"),
    [("7d", 7 * DAY), ("24h", DAY), ("30m", 1800), ("2w", 14 * DAY), (" 3D ", 3 * DAY)],
)
def test_durations(text: str, seconds_ago: float) -> None:
    assert parse_since(text, 1_000_000_000.0) == 1_000_000_000.0 - seconds_ago


def test_iso_dates_are_utc_unless_they_say_otherwise() -> None:
    assert parse_since("2026-11-01", NOW) == datetime(2026, 11, 1, tzinfo=UTC).timestamp()
    assert parse_since("2026-11-01T10:00:00+01:00", NOW) == (
        datetime(2026, 11, 1, 9, tzinfo=UTC).timestamp()
    )


@pytest.mark.parametrize("text", ["yesterday", "7", "d7", "-3d", "2026-13-01"])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(ReportError, match="--since"):
        parse_since(text, NOW)


def test_the_period_selects_questions_and_their_clicks(db: Path) -> None:
    with open_store(db) as store:
        everything = report_from_store(store, Period(None, NOW + 1))
        week = report_from_store(store, Period(NOW - 7 * DAY, NOW + 1))
        future = report_from_store(store, Period(NOW + DAY, NOW + 2 * DAY))
    assert (everything.questions, week.questions, future.questions) == (14, 13, 0)
    assert everything.logged_total == week.logged_total == future.logged_total == 14
    assert future.choices == [] and future.feedback == []


# -- the figures --------------------------------------------------------------------------------


def test_the_figures(db: Path) -> None:
    with open_store(db) as store:
        report = report_from_store(store, Period(NOW - 7 * DAY, NOW + 1))
    assert report.by_kind == {"answer": 2, "clarify": 4, "fallback": 6, "emergency": 1}
    assert [(d.drug, d.count) for d in report.by_drug] == [
        (None, 6),
        ("gabapentin", 5),
        ("amitriptyline", 2),
    ]
    assert report.askers == 8  # 0-3, 1 again, 7, 8, 9, and 100 (the default asker)
    top = report.unanswered[0]
    assert (top.count, top.drug) == (4, "gabapentin")
    assert top.question is not None and "ibuprofen" in top.question
    assert report.unsure[0].count == 3
    assert report.clarify_with_choice == 3
    assert [(c.choice, c.count) for c in report.choices] == [("amitriptyline: side effects", 3)]
    worst = report.feedback[0]
    assert (worst.entry, worst.not_helpful, worst.helpful) == ("gabapentin/side_effects", 2, 1)
    assert worst.example == "does gabapentin cause weight gain"
    assert [(f.entry, f.not_helpful, f.helpful) for f in report.feedback[1:]] == [("a/u", 0, 1)]


def test_the_limit_cuts_every_list(db: Path) -> None:
    with open_store(db) as store:
        rows = (store.questions(), store.feedback(), store.choices())
    report = build_report(*rows, period=Period(None, NOW), logged_total=14, limit=1)
    assert len(report.unanswered) == len(report.by_drug) == len(report.feedback) == 1
    assert report.questions == 14


# -- the command --------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_report(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(db), "--since", "7d")
    assert (code, err) == (0, "")
    assert "13 questions from 8 distinct askers" in out
    assert "Can I take ibuprofen with gabapentin?" in out
    assert "amitriptyline: side effects" in out
    assert "gabapentin/side_effects" in out
    assert "an old question" not in out
    assert "\x1b" not in out  # a question cannot drive the terminal
    fallback_line = next(line for line in out.splitlines() if line.strip().startswith("fallback"))
    assert fallback_line.split()[1:] == ["6", "46%"]


def test_json_report(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(db), "--json", "--since", "2w")
    data = json.loads(out)
    assert code == 0
    assert data["questions"] == 13 and data["askers"] == 8
    assert data["by_kind"]["fallback"] == 6
    assert data["unanswered"][0]["count"] == 4
    assert data["unanswered"][0]["last_asked"].endswith("Z")
    assert data["period"]["from"] is not None and data["period"]["to"].endswith("Z")
    assert data["choices"] == [{"choice": "amitriptyline: side effects", "count": 3}]
    assert data["feedback"][0]["not_helpful"] == 2


def test_csv_report(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(db), "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    by_section: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row)
    assert set(by_section) >= {"period", "summary", "kind", "drug", "unanswered", "unsure"}
    assert {"choice", "feedback"} <= set(by_section)
    summary = {r["label"]: r["count"] for r in by_section["summary"]}
    assert summary["questions"] == "14"
    assert {r["label"]: r["count"] for r in by_section["kind"]}["clarify"] == "4"
    assert by_section["unanswered"][0]["count"] == "4"
    feedback = by_section["feedback"][0]
    assert (feedback["label"], feedback["not_helpful"], feedback["helpful"]) == (
        "gabapentin/side_effects",
        "2",
        "1",
    )
    formula = [r["label"] for r in by_section["unanswered"] if "calc" in r["label"]]
    assert formula and formula[0].startswith("'=")  # a spreadsheet will not run it


def test_database_from_medfaq_db(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEDFAQ_DB", str(db))
    code, out, _ = run(capsys, "--json")
    assert code == 0 and json.loads(out)["questions"] == 14


def test_a_missing_database_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.sqlite3"
    code, out, err = run(capsys, "--db", str(missing))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and str(missing) in err
    assert not missing.exists()


def test_an_empty_database_has_nothing_to_report_yet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.sqlite3"
    open_store(empty).close()
    code, out, _ = run(capsys, "--db", str(empty))
    assert code == 0 and "Nothing to report yet" in out
    code, out, err = run(capsys, "--db", str(empty), "--json")
    assert code == 0 and json.loads(out)["questions"] == 0 and "Nothing to report yet" in err


def test_a_period_without_questions_says_so(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(db), "--since", "2099-01-01")
    assert code == 0 and "No questions in this period (14 in the log overall)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--since", "soon"], "--since"), (["--limit", "-1"], "--limit")],
)
def test_bad_arguments_are_one_line_and_exit_1(
    db: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "--db", str(db), *args)
    assert code == 1 and out == "" and message in err and err.count("\n") == 1


def test_not_a_database_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not sqlite at all " * 100)
    code, _, err = run(capsys, "--db", str(junk))
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err


def test_bad_settings_are_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEDFAQ_NO_SUCH_SETTING", "1")
    code, out, err = run(capsys)
    assert code == 1 and out == ""
    assert "MEDFAQ_NO_SUCH_SETTING" in err and err.count("\n") == 1


def test_question_text_off_still_reports_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "private.sqlite3"
    with open_store(path, store_question_text=False) as store:
        for _ in range(3):
            ask(store, "something private", drug="gabapentin")
    code, out, _ = run(capsys, "--db", str(path))
    assert code == 0 and "something private" not in out
    assert "(question text not kept)" in out


def test_grouping_finds_wordings_by_their_rare_words_among_many() -> None:
    """Among thousands of other questions sharing the common words, each wording of one question
    (typo, reordered, a word more) joins the same group, and a question that differs only in its
    rare word stays apart."""
    from bench.grouping import make_questions

    noise = make_questions(3000, seed=7)
    spacey = [
        "does gabapentin make you feel spacey",
        "does gabapentin make you feel spacy",
        "gabapentin does make you feel spacey",
        "does gabapentin really make you feel spacey",
    ]
    foggy = "does gabapentin make you feel foggy"
    ours = [logged(q, id=10_000 + i) for i, q in enumerate([*spacey, foggy])]
    groups = group_similar([*noise, *ours])
    by_question = {g.question: g for g in groups}
    assert by_question[spacey[0]].wordings == len(spacey)
    assert by_question[foggy].wordings == 1
    assert sum(g.count for g in groups) == len(noise) + len(ours)


# -- read-only ----------------------------------------------------------------------------------


def digest(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` with a hash of its bytes: to prove the report wrote nothing."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_foreign_database_is_refused_in_one_line_and_left_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "other-app.sqlite3"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)")
        conn.execute("INSERT INTO orders (item) VALUES ('tea')")
        conn.commit()
    before = digest(tmp_path)
    code, out, err = run(capsys, "--db", str(foreign))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "not a medfaq question log" in err and str(foreign) in err
    assert digest(tmp_path) == before


def test_the_report_reads_a_read_only_copy_and_writes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "copy"
    folder.mkdir()
    copy = folder / "log.sqlite3"
    with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
    with closing(sqlite3.connect(copy)) as conn:
        assert conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    copy.chmod(0o444)
    folder.chmod(0o555)
    before = digest(folder)
    try:
        code, out, err = run(capsys, "--db", str(copy))
    finally:
        folder.chmod(0o755)
    assert code == 0, err
    assert "Can I take ibuprofen with gabapentin?" in out
    assert digest(folder) == before


def test_a_wal_log_is_read_without_changing_it(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "wal"
    folder.mkdir()
    shutil.copy(db, folder / "log.sqlite3")
    before = digest(folder)["log.sqlite3"]
    code, _, err = run(capsys, "--db", str(folder / "log.sqlite3"))
    assert code == 0, err
    assert digest(folder)["log.sqlite3"] == before
