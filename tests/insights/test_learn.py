"""``medfaq learn`` end to end: questions the knowledge cannot answer are logged as the bot logs
them, ``medfaq report`` suggests where they belong, ``medfaq learn --accept`` writes the
suggestions into a copy of the knowledge, and the same questions are then answered."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.engine.engine import Engine
from bot.insights.suggestions import SURE
from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge
from bot.runtime.store import QuestionRecord, open_store

SPACEY = (
    "does gabapentin make you feel spacey",
    "Does gabapentin make you feel spacey?",
    "does gabapentin make me feel spacey",
    "does amitriptyline make you spacey",
    "feeling spacey on gabapentin?",  # no cue: placed where the same word was
)
BALLOON = ("does gabapentin make your ankles balloon", "can gabapentin make my ankles balloon")
RISKY = ("is it risky to take both at once", "is it risky to take both at once?")
SAFE_FAQ = "Is it safe to take these drugs together?"
UNCOVERED = ("is gabapentin addictive", "is gabapentin addictive?")


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), copy)
    return copy


def log_as_the_bot_does(db: Path, engine: Engine, questions: list[str]) -> list[int]:
    """Ask the engine and log each question with its reply, as the Discord front end does."""
    ids = []
    with open_store(db) as store:
        for asker, question in enumerate(questions):
            reply = engine.ask(question)
            record = QuestionRecord(
                time.time(), "mention", 1, 2, asker, question, reply.kind, reply.drug,
                reply.topic, reply.entry, reply.score,
            )  # fmt: skip
            ids.append(store.log_question(record))
    return ids


def comments(text: str) -> list[str]:
    """Every comment, whole-line or at the end of a line, in order."""
    return [m[1] for m in re.finditer(r"(?:^|\s)#\s*(.*)$", text, flags=re.M)]


def test_learn_accepts_the_suggestions_and_the_questions_are_then_answered(
    tmp_path: Path, knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundled = {p: p.read_bytes() for p in bundled_knowledge_dir().rglob("*.yaml")}
    before = {p: p.read_text() for p in knowledge_copy.rglob("*.yaml")}
    engine = Engine(load_knowledge(knowledge_copy))
    asked = [*SPACEY, *BALLOON, *RISKY, *UNCOVERED]
    # Unanswered, unsure, or a guess ("spacey is not among the side effects listed"): each is
    # learned from. "ankles" names a listed item by its own words: answered already.
    for question in [*SPACEY, *RISKY, *UNCOVERED]:
        reply = engine.ask(question)
        assert reply.kind != "answer" or reply.score < SURE, question
    for question in BALLOON:
        assert "Swelling" in engine.ask(question).body
    db = tmp_path / "log.sqlite3"
    ids = log_as_the_bot_does(db, engine, asked)
    with open_store(db) as store:  # the members who were unsure picked the FAQ they meant
        for question_id, question in zip(ids, asked, strict=True):
            if question in RISKY:
                store.log_choice(question_id, SAFE_FAQ)

    options = ["--knowledge", str(knowledge_copy), "--db", str(db)]
    assert main(["report", "--json", "--limit", "0", *options]) == 0
    suggestions = json.loads(capsys.readouterr().out)["suggestions"]
    by_phrase = {s["phrase"]: s for s in suggestions}
    assert by_phrase["spacey"]["target"]["kind"] == "topic"
    assert by_phrase["spacey"]["count"] == len(SPACEY)
    assert "ankles balloon" not in by_phrase
    assert by_phrase["risky"]["target"]["key"] == "gabapentin-amitriptyline#safe-together"
    assert by_phrase["addictive"]["target"]["file"] is None  # a new topic: a person writes it

    learnable = [s["id"] for s in suggestions if s["target"]["file"]]
    everything = [s["id"] for s in suggestions]  # a script may accept them all
    assert main(["learn", "--accept", *everything, *options]) == 0
    out = capsys.readouterr().out
    assert "+      - spacey  # learned" in out  # the diff is shown
    assert "a person must write this one; skipped" in out

    assert main(["check", str(knowledge_copy)]) == 0
    relearned = Engine(load_knowledge(knowledge_copy))
    for question in SPACEY:
        reply = relearned.ask(question)
        assert (reply.kind, reply.topic) == ("answer", "side_effects"), question
    for question in BALLOON:
        reply = relearned.ask(question)
        assert (reply.kind, reply.drug) == ("answer", "gabapentin"), question
        assert "Swelling" in reply.body
    for question in RISKY:
        reply = relearned.ask(question)
        assert reply.entry == "gabapentin-amitriptyline#safe-together", question
    assert relearned.ask(UNCOVERED[0]).kind == "fallback"

    after = {p: p.read_text() for p in knowledge_copy.rglob("*.yaml")}
    for path, text in before.items():
        kept = comments(after[path])
        assert [c for c in kept if "learned" not in c] == comments(text), path
    learned = [c for text in after.values() for c in comments(text) if "learned" in c]
    assert any(
        re.search(r"learned \d{4}-\d\d-\d\d from 5 question\(s\) in the log", c) for c in learned
    )
    assert {p: p.read_bytes() for p in bundled_knowledge_dir().rglob("*.yaml")} == bundled

    # Asked again, nothing is left to learn for the answered questions.
    assert main(["learn", "--accept", learnable[0], *options]) == 1
    assert "no such suggestion" in capsys.readouterr().err


def test_learn_writes_nothing_when_the_edit_would_not_validate(
    tmp_path: Path, knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = Engine(load_knowledge(knowledge_copy))
    db = tmp_path / "log.sqlite3"
    log_as_the_bot_does(db, engine, list(SPACEY))
    options = ["--knowledge", str(knowledge_copy), "--db", str(db)]
    assert main(["report", "--json", *options]) == 0
    spacey = json.loads(capsys.readouterr().out)["suggestions"][0]["id"]
    # Someone breaks another file meanwhile: the edit must not be written on top of it.
    messages = knowledge_copy / "messages.yaml"
    messages.write_text(messages.read_text() + "\nnot_a_message_field: oops\n")
    topics_before = (knowledge_copy / "lexicon" / "topics.yaml").read_text()
    assert main(["learn", "--accept", spacey, *options]) == 1
    assert "fix the knowledge" in capsys.readouterr().err
    assert (knowledge_copy / "lexicon" / "topics.yaml").read_text() == topics_before


def test_an_accepted_word_can_be_filed_under_a_lay_term_instead(
    tmp_path: Path, knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = Engine(load_knowledge(knowledge_copy))
    db = tmp_path / "log.sqlite3"
    log_as_the_bot_does(db, engine, list(SPACEY))
    options = ["--knowledge", str(knowledge_copy), "--db", str(db)]
    assert main(["report", "--json", *options]) == 0
    spacey = json.loads(capsys.readouterr().out)["suggestions"][0]["id"]
    assert main(["learn", "--accept", f"{spacey}=drowsiness", *options]) == 0
    terms = (knowledge_copy / "lexicon" / "terms.yaml").read_text()
    assert re.search(r"said: \[drowsiness, .*, spacey\]  # learned", terms)
    reply = Engine(load_knowledge(knowledge_copy)).ask(SPACEY[0])
    assert reply.kind == "answer" and "Drowsiness" in reply.body
