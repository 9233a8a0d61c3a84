"""Clocks for the benchmark: latency percentiles, and child processes timed and weighed."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Latency:
    """Per-question latencies of one run, in milliseconds."""

    count: int
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    per_second: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latency:
        if not seconds:
            return cls(0, 0.0, 0.0, 0.0, 0.0, 0.0)
        total = sum(seconds)
        return cls(
            count=len(seconds),
            p50_ms=percentile(seconds, 50) * 1000,
            p99_ms=percentile(seconds, 99) * 1000,
            mean_ms=total / len(seconds) * 1000,
            max_ms=max(seconds) * 1000,
            per_second=len(seconds) / total if total else math.inf,
        )


def percentile(values: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile: the smallest value with ``pct`` % of values at or below."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def time_each(
    ask: Callable[[str], object], questions: Sequence[str], cpu: list[float] | None = None
) -> list[float]:
    """Seconds taken by ``ask`` for each question, in order; with ``cpu``, also the CPU time
    of each (without the time spent waiting for a CPU on a busy machine)."""
    clock, thread_clock = time.perf_counter, time.thread_time
    taken = []
    for question in questions:
        start, start_cpu = clock(), thread_clock()
        ask(question)
        taken.append(clock() - start)
        if cpu is not None:
            cpu.append(thread_clock() - start_cpu)
    return taken


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    returncode: int
    max_rss_mb: float
    lines: list[str]
    line_times: list[float]
    """When each line of standard output arrived, seconds after the start."""
    stderr: str


WEIGHED = """\
import os, sys, time
report = int(sys.argv[1])
os.set_inheritable(report, False)
start = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    except OSError as exc:
        print(f"cannot run {sys.argv[2]}: {exc}", file=sys.stderr)
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
os.write(report, f"{usage.ru_maxrss} {start} {time.monotonic()}".encode())
sys.exit(os.waitstatus_to_exitcode(status))
"""
"""Runs a command (its arguments after the report pipe's fd) and writes its peak RSS (KiB)
and when it started and ended (``time.monotonic``, one clock for every process) to that
pipe. A child's peak RSS counts what it inherited at fork, so the
benchmark's own memory (thousands of drugs, loaded to time them) would be the figure of a
child it started; started from this small process, the figure is the command's own."""


def run_child(
    command: Sequence[str], stdin_lines: Sequence[str] = (), env: Mapping[str, str] | None = None
) -> ChildRun:
    """Run ``command``, feed it lines, note when each output line arrives, and its peak RSS."""
    start = time.monotonic()
    report, writing = os.pipe()
    child = subprocess.Popen(
        [sys.executable, "-c", WEIGHED, str(writing), *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env) if env is not None else None,
        pass_fds=(writing,),
    )
    os.close(writing)
    assert child.stdin and child.stdout and child.stderr

    def feed() -> None:
        assert child.stdin
        try:
            for line in stdin_lines:
                child.stdin.write(line.encode("utf-8") + b"\n")
            child.stdin.close()
        except BrokenPipeError:
            pass

    errors: list[bytes] = []
    writer = threading.Thread(target=feed, daemon=True)
    reader = threading.Thread(target=lambda: errors.append(child.stderr.read()), daemon=True)  # type: ignore[union-attr]
    writer.start()
    reader.start()
    lines, times = [], []
    for raw in child.stdout:
        times.append(time.monotonic())
        lines.append(raw.decode("utf-8", errors="replace").rstrip("\n"))
    child.wait()
    end = time.monotonic()
    with os.fdopen(report, "rb") as pipe:
        weighed = pipe.read().split()
    if len(weighed) == 3:  # else killed before it could tell: timed from here, unweighed
        kib, start, end = int(weighed[0]), float(weighed[1]), float(weighed[2])
    else:
        kib = 0
    writer.join()
    reader.join()
    child.stdout.close()
    child.stderr.close()
    return ChildRun(
        seconds=end - start,
        returncode=child.returncode,
        max_rss_mb=kib / 1024,
        lines=lines,
        line_times=[t - start for t in times],
        stderr=b"".join(errors).decode("utf-8", errors="replace"),
    )
