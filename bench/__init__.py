"""``medfaq bench``: the engine at scale beside a naive baseline (see :mod:`bench.run`)."""

from bench.run import run_bench

__all__ = ["run_bench"]
