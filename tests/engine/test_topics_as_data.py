"""Topics are declared once, as data: adding one (here ``storage``) with a section in one drug
file changes no code, answers that drug's questions on it, and keeps the honest fallback for
the drugs without that section."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.authoring import importer
from bot.engine.decisions import Fallback, Overview, Sections
from bot.engine.engine import Engine
from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge
from bot.knowledge.yamlsource import KnowledgeError

STORAGE_TOPIC = """\
  storage:
    label: Storage
    section: text
    can_answer: how to store them
    headings: [storage, how to store]
    phrasings: [storage, store, stored, storing, keep it, kept]
"""
STORAGE_TEXT = "Invented for this test: keep it at room temperature, away from moisture."
STORAGE_SECTION = f"""\
  storage:
    text: "{STORAGE_TEXT}"
"""


def with_storage(root: Path, *, section: bool = True) -> Path:
    """A copy of the bundled knowledge with a ``storage`` topic and, if ``section``, a storage
    section in gabapentin's file only."""
    shutil.copytree(bundled_knowledge_dir(), root)
    topics = root / "lexicon" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + STORAGE_TOPIC, encoding="utf-8")
    if section:
        drug = root / "drugs" / "gabapentin.yaml"
        drug.write_text(drug.read_text(encoding="utf-8") + STORAGE_SECTION, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def storage_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = with_storage(tmp_path_factory.mktemp("storage") / "knowledge")
    return Engine(load_knowledge(root))


def test_the_drug_with_the_section_answers_from_it(storage_engine: Engine) -> None:
    reply = storage_engine.ask("how should I store gabapentin")
    assert reply.decision == Sections("gabapentin", ("storage",))
    assert reply.kind == "answer" and STORAGE_TEXT in reply.body
    assert reply.title == "Gabapentin: storage"


def test_a_drug_without_the_section_keeps_the_honest_fallback(storage_engine: Engine) -> None:
    reply = storage_engine.ask("how should I store amitriptyline")
    assert reply.decision == Fallback("unknown_topic", drugs=("amitriptyline",))
    assert reply.kind == "fallback"
    # "what I can answer" names only what amitriptyline's page covers
    assert "how to store them" not in reply.body
    assert "how it works" in reply.body


def test_the_topic_reaches_overviews_menus_and_what_i_can_answer(storage_engine: Engine) -> None:
    assert "storage" in storage_engine.topics
    assert STORAGE_TEXT in storage_engine.answer_topic("gabapentin", "storage").body
    assert storage_engine.answer_topic("amitriptyline", "storage").kind == "fallback"
    overview = storage_engine.ask("tell me about gabapentin")
    assert overview.decision == Overview("gabapentin")
    assert f"**Storage**\n{STORAGE_TEXT}" in overview.body
    assert "how to store them" in storage_engine.renderer.texts.can_answer()
    labels = [s.label for s in storage_engine.suggest("gabapentin stor")]
    assert "Gabapentin: Storage" in labels


def test_declaring_the_topic_alone_keeps_every_fallback(tmp_path: Path) -> None:
    """The old bug: a topic declared but in no drug file turned the fallback into an overview."""
    engine = Engine(load_knowledge(with_storage(tmp_path / "k", section=False)))
    reply = engine.ask("how should I store amitriptyline")
    assert reply.decision == Fallback("unknown_topic", drugs=("amitriptyline",))


def test_the_importer_reads_the_new_topic_from_a_page(tmp_path: Path) -> None:
    out = with_storage(tmp_path / "k", section=False)
    page = tmp_path / "page.md"
    page.write_text(
        "**Zorvaline**\n**Generic Name:** Zorvaline\n**Usage:**\n* Depression\n"
        f"**How to store:** {STORAGE_TEXT}\n",
        encoding="utf-8",
    )
    importer.import_pages([page], out)
    drug = load_knowledge(out).drugs["zorvaline"]
    assert list(drug.sections) == ["usage", "storage"]
    assert drug.sections["storage"].model_dump() == {"text": STORAGE_TEXT}


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("  storidge:\n    text: x\n", "unknown topic 'storidge'; use one of usage,"),
        ("  storage:\n    items: [x]\n", "'storage' is declared a text topic"),
    ],
)
def test_a_section_must_be_a_declared_topic_of_its_shape(
    tmp_path: Path, section: str, expected: str
) -> None:
    root = with_storage(tmp_path / "k", section=False)
    drug = root / "drugs" / "gabapentin.yaml"
    text = drug.read_text(encoding="utf-8")
    lines = text.count("\n")
    drug.write_text(text + section, encoding="utf-8")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(root)
    (problem,) = raised.value.problems
    assert problem.path == drug and problem.line == lines + 1
    assert expected in problem.message


def test_what_i_can_answer_about_one_drug_speaks_of_it_in_the_singular(
    storage_engine: Engine,
) -> None:
    texts = storage_engine.renderer.texts
    one = texts.can_answer([next(iter(storage_engine.knowledge.drugs))])
    assert "what it is used for" in one
    assert "what they are used for" in texts.can_answer()
