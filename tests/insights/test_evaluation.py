"""``medfaq eval``: the shipped dev set passes entirely; real questions about other drugs are
almost never answered; a failing case is reported and fails the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.engine import Engine
from bot.insights.evaluation import run_eval
from tests.conftest import shared_file


def test_the_dev_set_passes_every_case(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_eval(engine, shared_file("eval", "dev-questions.yaml"))
    out = capsys.readouterr().out
    assert "FAIL" not in out
    assert code == 0
    assert out.rstrip().endswith("100.0%")


def test_real_questions_about_other_drugs_are_almost_never_answered(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_eval(engine, shared_file("data", "medicationqa", "questions.jsonl"))
    out = capsys.readouterr().out
    print(out)
    assert code == 0, out
    assert "answered anyway:" in out


def test_a_failing_case_is_named_and_fails_the_run(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        '- {cat: demo, q: "side effects of gabapentin", kind: [answer], has: [swell]}\n'
        '- {cat: demo, q: "side effects of gabapentin", kind: [fallback], not: [swell]}\n'
    )
    assert run_eval(engine, cases) == 1
    out = capsys.readouterr().out
    assert "FAIL [demo] 'side effects of gabapentin' -> answer" in out
    assert "50.0%" in out
    assert run_eval(engine, cases, minimum=50) == 0


def test_a_broken_case_file_is_named(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text("- {cat: demo, kind: [answer]}\n")
    assert run_eval(engine, cases) == 1
    assert f"{cases}:1:" in capsys.readouterr().out


def test_a_case_may_assert_on_the_decision(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        '- {q: "does gabapentin cause nausea", kind: [answer], decision: [Check]}\n'
        '- {q: "does gabapentin cause nausea", kind: [answer], decision: Sections}\n'
    )
    assert run_eval(engine, cases) == 1
    out = capsys.readouterr().out
    assert "decision Check, expected Sections" in out
    assert out.count("FAIL") == 1
