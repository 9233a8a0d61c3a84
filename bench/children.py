"""The ``medfaq`` command in child processes: import, start-up, and batch ``ask --json``."""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.config import BenchError, Inputs
from bench.synthetic import add_brands
from bench.timing import ChildRun, Latency, run_child


def import_pages(inputs: Inputs, count: int, out: Path) -> float:
    """One ``medfaq import`` of the first ``count`` pages into a new ``out``; its seconds."""
    shutil.rmtree(out, ignore_errors=True)  # a fresh import every run, never a merge
    run = run_child(
        [*inputs.command, "import", *map(str, inputs.page_paths[:count]), "--out", str(out)]
    )
    if run.returncode != 0:
        raise BenchError(f"medfaq import failed ({run.returncode}):\n{run.stderr[-2000:]}")
    add_brands(out, inputs.pages[:count])
    return run.seconds


def startup_run(inputs: Inputs, knowledge_dir: Path) -> dict[str, Any]:
    """``medfaq ask`` one question: with an empty cache, then again with the cache filled."""
    env = {**os.environ, "MEDFAQ_CACHE_DIR": str(inputs.work / "cli-cache")}
    shutil.rmtree(inputs.work / "cli-cache", ignore_errors=True)
    question = inputs.questions[0].text
    ask = [*inputs.command, "--knowledge", str(knowledge_dir), "ask", "--json", question]
    cold = _checked(run_child(ask, env=env))
    cached = _checked(run_child(ask, env=env))
    return {
        "cold_seconds": cold.seconds,
        "cached_seconds": cached.seconds,
        "cold_rss_mb": cold.max_rss_mb,
        "cached_rss_mb": cached.max_rss_mb,
    }


def batch_run(inputs: Inputs, knowledge_dir: Path, expected: Sequence[str]) -> dict[str, Any]:
    """All questions through one ``medfaq ask --json`` reading standard input; the time per
    question is the gap between successive output lines (the first gap includes start-up)."""
    env = {**os.environ, "MEDFAQ_CACHE_DIR": str(inputs.work / "cli-cache")}
    texts = [q.text for q in inputs.questions]
    command = [*inputs.command, "--knowledge", str(knowledge_dir), "ask", "--json"]
    run = _checked(run_child(command, stdin_lines=texts, env=env))
    if len(run.lines) != len(texts):
        raise BenchError(f"batch ask printed {len(run.lines)} lines for {len(texts)} questions")
    kinds = [json.loads(line)["kind"] for line in run.lines]
    gaps = [b - a for a, b in itertools.pairwise(run.line_times)]
    latency = Latency.of(gaps)
    spread = run.line_times[-1] - run.line_times[0]
    return {
        "questions": len(texts),
        "total_seconds": run.seconds,
        "first_reply_seconds": run.line_times[0],
        "per_question_ms": spread / max(1, len(texts) - 1) * 1000,
        "p50_ms": latency.p50_ms,
        "p99_ms": latency.p99_ms,
        "max_ms": latency.max_ms,
        "with_startup_per_question_ms": run.seconds / len(texts) * 1000,
        "rss_mb": run.max_rss_mb,
        "same_kinds_as_engine": kinds == list(expected),
    }


def _checked(run: ChildRun) -> ChildRun:
    if run.returncode != 0:
        raise BenchError(f"medfaq ask failed ({run.returncode}):\n{run.stderr[-2000:]}")
    return run
