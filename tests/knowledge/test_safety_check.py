"""``medfaq check`` on safety.yaml: a file that would leave emergencies unseen, or that could
stall the bot, is refused with its file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge
from bot.knowledge.phrases import parse_phrase, runaway
from bot.knowledge.yamlsource import KnowledgeError


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(bundled_knowledge_dir(), copy)
    return copy


def problems(root: Path) -> str:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    return "\n".join(str(p) for p in caught.value.problems)


def replace(root: Path, old: str, new: str) -> None:
    path = root / "safety.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in safety.yaml; update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_empty_safety_file_is_refused(root: Path) -> None:
    (root / "safety.yaml").write_text("numbers: {}\n", encoding="utf-8")
    found = problems(root)
    assert "safety.yaml" in found
    assert "missing required field 'signals'" in found
    assert "missing required field 'rules'" in found


def test_empty_signals_are_refused(root: Path) -> None:
    text = (root / "safety.yaml").read_text(encoding="utf-8")
    start = text.index("\nsignals:\n")
    end = text.index("\nmasks:")
    (root / "safety.yaml").write_text(text[:start] + "\nsignals: {}\n" + text[end:], "utf-8")
    assert "signals: must not be empty" in problems(root)


def test_a_dropped_kind_is_refused(root: Path) -> None:
    path = root / "safety.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    kept = [line for line in lines if not line.startswith("  - {kind: poisoning")]
    path.write_text("\n".join(kept), encoding="utf-8")
    assert "no emergency rule for 'poisoning'" in problems(root)


def test_a_pattern_that_could_run_away_is_refused_at_its_line(root: Path) -> None:
    replace(root, "    - dementia|alzheimers|alzheimer", "    - /(a+)+b/")
    found = problems(root)
    assert "safety.yaml:" in found and "nested quantifiers" in found


def test_a_rule_naming_an_unknown_signal_is_refused(root: Path) -> None:
    replace(root, "any: [bleeding_severe]", "any: [bleeding_sever]")
    assert "unknown signal 'bleeding_sever'" in problems(root)


def test_an_emergency_reply_must_keep_the_numbers(root: Path) -> None:
    replace(root, "call emergency services now ({numbers}) or go", "call emergency services or go")
    assert "must name the emergency numbers" in problems(root)


def test_an_unknown_class_is_refused(root: Path) -> None:
    replace(root, "    - dementia|alzheimers", "    - <grownup>|alzheimers")
    assert "unknown class <grownup>" in problems(root)


@pytest.mark.parametrize("pattern", ["(a+)+", "(a*)*b", "(?:ab+)*", "((a|b)+c)+", "(a{2,})+"])
def test_nested_quantifiers_are_found(pattern: str) -> None:
    assert runaway(pattern)


@pytest.mark.parametrize("pattern", ["a+b+", "(ab)+", "[a+]+", r"\(a+\)+", "(a|b)?c+"])
def test_plain_patterns_pass(pattern: str) -> None:
    assert runaway(pattern) is None


@pytest.mark.parametrize(
    ("phrase", "readings"),
    [
        ("took|swallowed <count:5>", 1),
        ("need it to work (this time)", 2),
        ("(so very) b (c d)", 4),
        ("(a) b (c)", 1),
        ('out "for good"|forever|permanently', 2),  # quotes hold one alternative's words
        ('"a b"|"c d e" f', 2),
    ],
)
def test_phrases_read_as_written(phrase: str, readings: int) -> None:
    assert len(parse_phrase(phrase)) == readings


@pytest.mark.parametrize(
    "phrase",
    ["", "...", "(a) (b)", "a (b", "A|b", "<num:x>", "ab*|a*", 'a "b c', '"b"|c', 'x"b c"'],
)
def test_bad_phrases_say_why(phrase: str) -> None:
    with pytest.raises(ValueError):
        parse_phrase(phrase)


def test_a_repeated_alternative_says_that_bars_join_single_words() -> None:
    """ "good night|goodnight|gn|night all" meant "good night" or "gn all"; it reads "good
    night all" only: a repeated word is the usual sign of that slip."""
    with pytest.raises(ValueError, match=re.escape("'a|b c' is 'a c' or 'b c'")):
        parse_phrase("good night|goodnight|gn|night all")


def test_a_mask_cancelling_an_unknown_signal_is_refused(root: Path) -> None:
    replace(root, "cancels: [question_about,", "cancels: [question_abot,")
    assert "unknown signal 'question_abot'" in problems(root)


def test_the_model_deferring_to_an_unknown_signal_is_refused(root: Path) -> None:
    replace(root, "defer_to: [question_about,", "defer_to: [question_abuot,")
    assert "unknown signal 'question_abuot'" in problems(root)


def test_a_broken_triage_model_is_refused_at_its_line(root: Path) -> None:
    model = root / "safety-model.tsv"
    lines = model.read_text(encoding="utf-8").splitlines()
    last = len(lines)
    lines[-1] = lines[-1] + "\textra"
    model.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert f"safety-model.tsv:{last}: expected 6 numbers" in problems(root)
