"""``medfaq bench``: the engine at scale, beside a naive baseline, in one run.

1. Invent drug pages in the source page's format and import them with one ``medfaq import``.
2. Load them cold and from the cache; time ``medfaq ask`` start-up; weigh it (peak RSS).
3. Ask the same question mix of the engine, of the naive baseline and of a batch
   ``medfaq ask --json`` process; then of smaller knowledge bases, to show how it scales.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import logging
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.naive import NaiveBot
from bench.names import NameMaker
from bench.questions import Question, load_dev_set, load_medicationqa, make_questions
from bench.report import render_table, targets
from bench.synthetic import SyntheticPage, Vocabulary, add_brands, make_pages, write_pages
from bench.timing import ChildRun, Latency, run_child, time_each
from bot.engine.engine import Engine
from bot.knowledge.loading import bundled_knowledge_dir, load_knowledge
from bot.runtime.cache import cache_file, fingerprint, read, write
from bot.runtime.store import describe

log = logging.getLogger(__name__)

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
DEV_SET = SHARED / "eval" / "dev-questions.yaml"
MEDICATIONQA = SHARED / "data" / "medicationqa" / "questions.jsonl"
SLOWEST = 8
"""Questions listed in the JSON with their time, slowest first, to see what to speed up."""
SCALE_NAIVE_QUESTIONS = 100
"""The naive scan is slow; at the smaller scaling sizes it answers this many questions."""


@dataclass(frozen=True)
class BenchConfig:
    pages: int = 2000
    questions: int = 400
    sizes: tuple[int, ...] = (250, 1000, 4000)
    seed: int = 2026
    out: Path | None = None
    workdir: Path | None = None
    dev_set: Path = DEV_SET
    medicationqa: Path = MEDICATIONQA
    e2e: bool = False
    e2e_messages: int = 2000
    e2e_db: str | None = None
    """The end-to-end bot's store: a ``postgresql://`` URL or a SQLite path; None: a fresh
    SQLite file in the work folder."""

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> BenchConfig:
        sizes = tuple(int(s) for s in str(args.sizes).split(",") if s.strip())
        return cls(
            pages=args.pages,
            questions=args.questions,
            sizes=sizes,
            seed=args.seed,
            out=Path(args.out) if args.out else None,
            workdir=Path(args.workdir) if args.workdir else None,
            dev_set=Path(args.dev_set) if args.dev_set else DEV_SET,
            medicationqa=Path(args.medicationqa) if args.medicationqa else MEDICATIONQA,
            e2e=args.e2e,
            e2e_messages=args.e2e_messages,
            e2e_db=getattr(args, "e2e_db", None),
        )


@dataclass
class Inputs:
    """What every stage shares: the pages, the question mix, where things go."""

    config: BenchConfig
    work: Path
    pages: list[SyntheticPage]
    page_paths: list[Path]
    questions: list[Question]
    names: NameMaker
    rng: random.Random
    dev_set: list[dict[str, object]]
    medicationqa: list[str]
    command: list[str] = field(default_factory=list)


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


class BenchError(Exception):
    """A stage that could not run (an import that failed, a child process that crashed)."""


def bench(config: BenchConfig) -> dict[str, Any]:
    """Every figure of one run, as a JSON-ready dict."""
    made = config.workdir is None
    work = config.workdir or Path(tempfile.mkdtemp(prefix="medfaq-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        inputs = prepare(config, work)
        results: dict[str, Any] = {"machine": machine(), "config": _config_json(config)}
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


def serving(engine: Engine) -> Engine:
    """The engine as a front end keeps it: garbage collected, then frozen out of the cyclic
    collector (as :func:`bot.cache.load_engine` does)."""
    gc.collect()
    gc.freeze()
    return engine


def _checked(run: ChildRun) -> ChildRun:
    if run.returncode != 0:
        raise BenchError(f"medfaq ask failed ({run.returncode}):\n{run.stderr[-2000:]}")
    return run


def bundled_run(inputs: Inputs) -> dict[str, Any]:
    """The bundled knowledge on the dev set and the real MedicationQA questions."""
    engine = serving(Engine(load_knowledge(bundled_knowledge_dir())))
    texts = [str(case["q"]) for case in inputs.dev_set] + inputs.medicationqa
    time_each(engine.ask, texts[:50])  # fill the speller's cache as a running bot would have
    return {"questions": len(texts), **asdict(Latency.of(time_each(engine.ask, texts)))}


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


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name")), cpu
            )
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def _config_json(config: BenchConfig) -> dict[str, Any]:
    return {
        "pages": config.pages,
        "questions": config.questions,
        "sizes": list(config.sizes),
        "seed": config.seed,
        "e2e": config.e2e,
        "e2e_store": describe(config.e2e_db) if config.e2e_db else "sqlite",
    }
