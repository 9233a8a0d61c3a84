"""What a bench run is given and shares between its stages, and what it says of the machine."""

from __future__ import annotations

import argparse
import os
import platform
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.names import NameMaker
from bench.questions import Question
from bench.synthetic import SyntheticPage
from bot.runtime.store import describe

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
DEV_SET = SHARED / "eval" / "dev-questions.yaml"
MEDICATIONQA = SHARED / "data" / "medicationqa" / "questions.jsonl"


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


class BenchError(Exception):
    """A stage that could not run (an import that failed, a child process that crashed)."""


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


def config_json(config: BenchConfig) -> dict[str, Any]:
    return {
        "pages": config.pages,
        "questions": config.questions,
        "sizes": list(config.sizes),
        "seed": config.seed,
        "e2e": config.e2e,
        "e2e_store": describe(config.e2e_db) if config.e2e_db else "sqlite",
    }
