"""Suggestions: where each group of questions belongs, and walking through them in a terminal."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bot.engine.engine import Engine
from bot.insights.applying import validate, write
from bot.insights.knowledge_edits import plan
from bot.insights.learn import choose, edits_for
from bot.insights.suggestions import Suggestion, suggest
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir, load_knowledge
from bot.runtime.store import Choice, Feedback, LoggedQuestion


def logged(engine: Engine, questions: list[str]) -> list[LoggedQuestion]:
    rows = []
    for n, question in enumerate(questions, 1):
        reply = engine.ask(question)
        rows.append(
            LoggedQuestion(
                n,
                float(n),
                "cli",
                None,
                None,
                f"asker{n}",
                question,
                reply.kind,
                reply.drug,
                reply.topic,
                reply.entry,
                reply.score,
            )
        )
    return rows


def by_phrase(found: list[Suggestion]) -> dict[str, Suggestion]:
    return {s.phrase: s for s in found}


def test_a_listed_item_is_found_by_its_own_words_with_nothing_to_learn(tmp_path: Path) -> None:
    """The reader matches a listed item by its own words ("hair" in "Hair thinning"): the
    question is answered, so there is no lay term to learn for it."""
    root = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), root)
    drug = root / "drugs" / "amitriptyline.yaml"
    drug.write_text(
        drug.read_text().replace(
            "      - Drowsiness\n", "      - Drowsiness\n      - Hair thinning\n"
        )
    )
    knowledge = load_knowledge(root)
    engine = Engine(knowledge)
    asked = [
        "does amitriptyline make your hair fall out",
        "can amitriptyline make my hair fall out",
    ]
    for question in asked:
        reply = engine.ask(question)
        assert reply.kind == "answer" and "Hair thinning" in reply.body
    found = suggest(logged(engine, asked), [], [], knowledge, engine=engine)
    assert "hair fall out" not in by_phrase(found)


def test_another_drug_and_a_new_topic_are_for_a_person(
    knowledge: KnowledgeBase, engine: Engine
) -> None:
    asked = ["what about ibuprofen side effects", "is gabapentin addictive"]
    found = by_phrase(suggest(logged(engine, asked), [], [], knowledge, engine=engine))
    assert found["ibuprofen"].target.kind == "other_drug" and not found["ibuprofen"].learnable
    assert found["addictive"].target.kind == "uncovered" and not found["addictive"].learnable


def test_answers_marked_not_helpful_and_picked_choices_feed_the_suggestions(
    knowledge: KnowledgeBase, engine: Engine
) -> None:
    rows = logged(
        engine,
        ["does gabapentin cause weight gain in teenagers", "is it risky to take both at once"],
    )
    assert [r.kind for r in rows] == ["answer", "fallback"]
    feedback = [Feedback(1, False, 10.0)]
    choices = [Choice(2, "Is it safe to take these drugs together?", 11.0)]
    found = by_phrase(suggest(rows, feedback, choices, knowledge, engine=engine))
    teenagers = found["teenagers"]
    assert teenagers.sources == {"not helpful": 1}
    risky = found["risky"]
    assert risky.target.key == "gabapentin-amitriptyline#safe-together"
    assert "members picked" in risky.evidence and risky.sources == {"fallback": 1}
    # Without the click, the same answered question is not something to learn from.
    assert "teenagers" not in by_phrase(suggest(rows, [], choices, knowledge, engine=engine))


def test_walking_through_suggestions_accepts_skips_and_redirects(
    knowledge: KnowledgeBase, engine: Engine
) -> None:
    spacey = "does gabapentin make you feel spacey"
    asked = [spacey, spacey, "does amitriptyline cause hair loss"]
    found = suggest(logged(engine, asked), [], [], knowledge, engine=engine)
    answers = iter(["maybe", "nausea", "n"])
    shown: list[str] = []
    chosen = choose(found, knowledge, lambda _prompt: next(answers), shown.append)
    assert [(s.phrase, s.target.key) for s in chosen] == [("spacey", "nausea")]
    assert any("no lay term 'maybe'" in line for line in shown)
    assert shown[0].startswith("1. [")


def test_a_word_spelled_like_one_of_our_drugs_is_learned_as_its_misspelling(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), root)
    knowledge = load_knowledge(root)
    row = LoggedQuestion(
        1,
        1.0,
        "cli",
        None,
        None,
        "a",
        "gabapentinn side effects",
        "clarify",
        None,
        None,
        None,
        50.0,
    )
    (found,) = suggest([row], [], [], knowledge)
    assert (found.target.kind, found.target.key, found.phrase) == (
        "misspelling",
        "gabapentin",
        "gabapentinn",
    )
    assert found.target.file == "drugs/gabapentin.yaml"
    changes = plan(root, edits_for([found], "2026-11-28"))
    assert validate(root, changes) == []
    write(changes)
    text = (root / "drugs" / "gabapentin.yaml").read_text()
    assert re.search(r"gabbapentin, gabapentinn\] +# learned 2026-11-28", text)
    assert "gabapentinn" in load_knowledge(root).drugs["gabapentin"].misspellings
