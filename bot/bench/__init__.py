"""``medfaq bench``: the engine at scale beside a naive baseline (see :mod:`bot.bench.run`)."""

from bot.bench.run import run_bench

__all__ = ["run_bench"]
