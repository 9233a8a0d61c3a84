"""``medfaq bench``: the engine at scale, beside a naive baseline, in one run.

1. Invent drug pages in the source page's format and import them with one ``medfaq import``.
2. Load them cold and from the cache; time ``medfaq ask`` start-up; weigh it (peak RSS).
3. Ask the same question mix of the engine, of the naive baseline and of a batch
   ``medfaq ask --json`` process; then of smaller knowledge bases, to show how it scales.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.children import batch_run, import_pages, startup_run
from bench.config import BenchConfig, BenchError, Inputs, config_json, machine
from bench.naive import NaiveBot
from bench.names import NameMaker
from bench.questions import load_dev_set, load_medicationqa, make_questions
from bench.report import render_table, targets
from bench.scaling import bundled_run, scaling_run, serving
from bench.synthetic import Vocabulary, make_pages, write_pages
from bench.timing import Latency, time_each
from bot.engine.engine import Engine
from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge
from bot.runtime.cache import cache_file, fingerprint, read, write

log = logging.getLogger(__name__)

SLOWEST = 8
"""Questions listed in the JSON with their time, slowest first, to see what to speed up."""


def run_bench(args: argparse.Namespace) -> int:
    """The command: run the benchmark, print the table, write the JSON; 0, or 1 on failure."""
    config = BenchConfig.from_args(args)
    for path in (config.dev_set, config.medicationqa):
        if not path.is_file():
            print(
                f"medfaq bench: {path} not found; pass --dev-set / --medicationqa", file=sys.stderr
            )
            return 1
    try:
        results = bench(config)
    except BenchError as exc:
        print(f"medfaq bench: {exc}", file=sys.stderr)
        return 1
    print(render_table(results))
    if config.out:
        config.out.parent.mkdir(parents=True, exist_ok=True)
        config.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nwritten to {config.out}")
    return 0


def bench(config: BenchConfig) -> dict[str, Any]:
    """Every figure of one run, as a JSON-ready dict."""
    made = config.workdir is None
    work = config.workdir or Path(tempfile.mkdtemp(prefix="medfaq-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        inputs = prepare(config, work)
        results: dict[str, Any] = {"machine": machine(), "config": config_json(config)}
        results.update(main_run(inputs))
        results["bundled"] = bundled_run(inputs)
        results["scaling"] = scaling_run(inputs, results)
        if config.e2e:
            from bench.e2e import e2e_run

            try:
                results["e2e"] = e2e_run(inputs.work / "knowledge", inputs.questions, config)
            except Exception as exc:  # the other figures still stand; say what went wrong
                log.exception("the end-to-end run failed")
                results["e2e"] = {"error": f"{type(exc).__name__}: {exc}"}
        results["targets"] = targets(results)
        return results
    finally:
        if made:
            shutil.rmtree(work, ignore_errors=True)


def prepare(config: BenchConfig, work: Path) -> Inputs:
    rng = random.Random(config.seed)
    bundled = load_knowledge(bundled_knowledge_dir())
    ours = {name for drug in bundled.drugs.values() for name in (drug.name, *drug.brands)}
    real = [name for name in bundled.reference_names if " " not in name]
    names = NameMaker(rng, taken=[*bundled.reference_names, *ours], real=real)
    biggest = max([config.pages, *(size // 2 for size in config.sizes)])
    pages = make_pages(biggest, rng, names, Vocabulary.from_knowledge(bundled))
    shutil.rmtree(work / "pages", ignore_errors=True)
    paths = write_pages(pages, work / "pages")
    dev_set = load_dev_set(config.dev_set)
    medicationqa = load_medicationqa(config.medicationqa)
    main_pages = pages[: config.pages]
    questions = make_questions(config.questions, rng, main_pages, dev_set, medicationqa, names)
    medfaq = Path(sys.executable).with_name("medfaq")
    command = [str(medfaq)] if medfaq.exists() else [sys.executable, "-m", "bot"]
    return Inputs(config, work, pages, paths, questions, names, rng, dev_set, medicationqa, command)


def main_run(inputs: Inputs) -> dict[str, Any]:
    config = inputs.config
    knowledge_dir = inputs.work / "knowledge"
    import_seconds = import_pages(inputs, config.pages, knowledge_dir)
    cold_start = time.perf_counter()
    knowledge = load_knowledge(knowledge_dir)
    engine = Engine(knowledge)
    load_cold = time.perf_counter() - cold_start
    cache_dir = inputs.work / "cache"
    key = fingerprint(knowledge_dir)
    write_start = time.perf_counter()
    write(cache_file(cache_dir, knowledge_dir), key, engine)
    cache_write = time.perf_counter() - write_start
    read_start = time.perf_counter()
    cached = read(cache_file(cache_dir, knowledge_dir), fingerprint(knowledge_dir))
    load_cached = time.perf_counter() - read_start
    if cached is None:
        raise BenchError("the knowledge cache could not be read back")
    # Questions go to the engine as `medfaq ask` and the bot get it: from the cache, frozen
    # out of the cyclic garbage collector (see bot.cache.load_engine).
    del engine
    engine = serving(cached)
    texts = [q.text for q in inputs.questions]
    engine_cpu: list[float] = []
    engine_times = time_each(engine.ask, texts, engine_cpu)
    cpu_latency = Latency.of(engine_cpu)
    replies = [engine.ask(text) for text in texts]
    naive = NaiveBot(knowledge)
    naive_times = time_each(naive.ask, texts)
    startup = startup_run(inputs, knowledge_dir)
    batch = batch_run(inputs, knowledge_dir, [r.kind for r in replies])
    engine_latency, naive_latency = Latency.of(engine_times), Latency.of(naive_times)
    accepted = [q for q in inputs.questions if q.kinds]
    agree = sum(
        r.kind in q.kinds for q, r in zip(inputs.questions, replies, strict=True) if q.kinds
    )
    return {
        "knowledge": {
            "pages": config.pages,
            "drugs": len(knowledge.drugs),
            "combinations": len(knowledge.combinations),
            "faqs": knowledge.faq_count,
            "naive_texts": len(naive.texts),
        },
        "import": {"pages": config.pages, "seconds": import_seconds},
        "load": {
            "cold_seconds": load_cold,
            "cached_seconds": load_cached,
            "cache_write_seconds": cache_write,
        },
        "startup": startup,
        "engine": {
            **asdict(engine_latency),
            "cpu_p50_ms": cpu_latency.p50_ms,
            "cpu_p99_ms": cpu_latency.p99_ms,
        },
        "naive": asdict(naive_latency),
        "speedup_p50": naive_latency.p50_ms / engine_latency.p50_ms,
        "batch": batch,
        "questions": {
            "count": len(texts),
            "categories": dict(sorted(Counter(q.category for q in inputs.questions).items())),
            "kinds": dict(sorted(Counter(r.kind for r in replies).items())),
            "dev_kind_agreement": {"checked": len(accepted), "agreed": agree},
            "slowest": [
                {"question": texts[i], "ms": engine_times[i] * 1000, "kind": replies[i].kind}
                for i in sorted(range(len(texts)), key=lambda i: -engine_times[i])[:SLOWEST]
            ],
        },
        "rss_mb": {
            "ask_cold": startup["cold_rss_mb"],
            "ask_cached": startup["cached_rss_mb"],
            "batch": batch["rss_mb"],
        },
    }
