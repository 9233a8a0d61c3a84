"""End to end: the bot driven through the fake Discord of the end-to-end tests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.bench.questions import Question

if TYPE_CHECKING:
    from bot.bench.run import BenchConfig


def e2e_run(knowledge_dir: Path, questions: list[Question], config: BenchConfig) -> dict[str, Any]:
    from bot.bench.run import BenchError

    raise BenchError("--e2e is not available yet")
