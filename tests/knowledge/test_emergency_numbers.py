"""``emergency-numbers.yaml``: numbers for the emergency reply by the asker's Discord locale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine.engine import Engine
from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge
from bot.knowledge.schema import EmergencyNumbersFile
from bot.knowledge.yamlsource import KnowledgeError

NUMBERS = EmergencyNumbersFile(locales={"en-GB": "999", "es": "112", "es-419": "911"})


@pytest.mark.parametrize(
    ("locale", "numbers"),
    [("en-GB", "999"), ("es-419", "911"), ("es-ES", "112"), ("fr", None), ("", None), (None, None)],
)
def test_a_locale_then_its_language_then_nothing(locale: str | None, numbers: str | None) -> None:
    assert NUMBERS.for_locale(locale) == numbers


def test_the_bundled_file_loads_and_feeds_the_emergency_reply() -> None:
    knowledge = load_knowledge(bundled_knowledge_dir())
    numbers = knowledge.emergency_numbers.for_locale("en-GB")
    assert numbers is not None and "999" in numbers
    reply = Engine(knowledge).ask("I took too many pills", emergency_numbers=numbers)
    assert reply.kind == "emergency" and numbers in reply.text


def test_the_file_is_optional_and_a_mistake_in_it_names_the_line(tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), root)
    (root / "emergency-numbers.yaml").unlink()
    assert load_knowledge(root).emergency_numbers.for_locale("en-GB") is None
    (root / "emergency-numbers.yaml").write_text("locales:\n  en-GB: 999\n  de: ''\n")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(root)
    lines = {(p.path.name, p.line) for p in raised.value.problems}
    assert ("emergency-numbers.yaml", 2) in lines
