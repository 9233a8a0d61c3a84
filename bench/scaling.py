"""The engine on the bundled knowledge, and at each knowledge size of ``--sizes``."""

from __future__ import annotations

import gc
import random
import shutil
from dataclasses import asdict
from typing import Any

from bench.children import import_pages
from bench.config import Inputs
from bench.naive import NaiveBot
from bench.questions import make_questions
from bench.timing import Latency, time_each
from bot.engine.engine import Engine
from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge

SCALE_NAIVE_QUESTIONS = 100
"""The naive scan is slow; at the smaller scaling sizes it answers this many questions."""


def serving(engine: Engine) -> Engine:
    """The engine as a front end keeps it: garbage collected, then frozen out of the cyclic
    collector (as :func:`bot.cache.load_engine` does)."""
    gc.collect()
    gc.freeze()
    return engine


def bundled_run(inputs: Inputs) -> dict[str, Any]:
    """The bundled knowledge on the dev set and the real MedicationQA questions."""
    engine = serving(Engine(load_knowledge(bundled_knowledge_dir())))
    texts = [str(case["q"]) for case in inputs.dev_set] + inputs.medicationqa
    time_each(engine.ask, texts[:50])  # fill the speller's cache as a running bot would have
    cpu: list[float] = []
    latency = Latency.of(time_each(engine.ask, texts, cpu))
    return {"questions": len(texts), **asdict(latency), "cpu_p99_ms": Latency.of(cpu).p99_ms}


def scaling_run(inputs: Inputs, results: dict[str, Any]) -> list[dict[str, Any]]:
    """Latency at each size of ``--sizes``, the size of the main run taken from it."""
    rows = []
    for size in sorted(set(inputs.config.sizes)):
        count = size // 2
        if count == inputs.config.pages:
            rows.append(
                _scale_row(size, results["engine"], results["naive"], len(inputs.questions))
            )
            continue
        folder = inputs.work / f"knowledge-{size}"
        import_pages(inputs, count, folder)
        knowledge = load_knowledge(folder)
        rng = random.Random(inputs.config.seed + size)
        questions = make_questions(
            inputs.config.questions,
            rng,
            inputs.pages[:count],
            inputs.dev_set,
            inputs.medicationqa,
            inputs.names,
        )
        texts = [q.text for q in questions]
        engine_latency = Latency.of(time_each(serving(Engine(knowledge)).ask, texts))
        naive_texts = texts[:SCALE_NAIVE_QUESTIONS]
        naive_latency = Latency.of(time_each(NaiveBot(knowledge).ask, naive_texts))
        rows.append(
            _scale_row(size, asdict(engine_latency), asdict(naive_latency), len(naive_texts))
        )
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def _scale_row(
    drugs: int, engine: dict[str, Any], naive: dict[str, Any], naive_count: int
) -> dict[str, Any]:
    return {
        "drugs": drugs,
        "engine_p50_ms": engine["p50_ms"],
        "engine_p99_ms": engine["p99_ms"],
        "engine_per_second": engine["per_second"],
        "naive_p50_ms": naive["p50_ms"],
        "naive_p99_ms": naive["p99_ms"],
        "naive_questions": naive_count,
    }
