"""The benchmark's figures as a table, and the targets of issue 6 checked against them."""

from __future__ import annotations

from typing import Any

Row = tuple[str, str, str]


def targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target: the measured value, the limit, and whether it is met."""
    naive_mean = results["naive"]["mean_ms"]
    batch = results["batch"]
    found: dict[str, dict[str, Any]] = {
        "engine_p99_ms": _at_most(results["engine"]["p99_ms"], 5.0),
        "speedup_p50": _at_least(results["speedup_p50"], 20.0),
        "batch_per_question_ms": _at_most(batch["per_question_ms"], 5.0),
        "batch_speedup": _at_least(naive_mean / max(batch["per_question_ms"], 1e-9), 20.0),
        "startup_seconds": _at_most(results["startup"]["cached_seconds"], 3.0),
        "rss_mb": _at_most(max(results["rss_mb"].values()), 300.0),
        "bundled_p99_ms": _at_most(results["bundled"]["p99_ms"], 1.0, strict=True),
    }
    e2e = results.get("e2e")
    if e2e and "error" not in e2e:
        found["e2e_replies_per_second"] = _at_least(e2e["replies_per_second"], 200.0)
        found["e2e_p99_ms"] = _at_most(e2e["p99_ms"], 100.0)
        found["e2e_max_block_ms"] = _at_most(e2e["max_block_ms"], 20.0)
        if "max_store_call_on_loop_ms" in e2e:
            on_loop = e2e["max_store_call_on_loop_ms"]
            found["e2e_max_store_call_on_loop_ms"] = _at_most(on_loop, 20.0)
    return found


def _at_most(value: float, limit: float, strict: bool = False) -> dict[str, Any]:
    met = value < limit if strict else value <= limit
    return {"value": value, "limit": f"{'<' if strict else '<='} {limit:g}", "met": met}


def _at_least(value: float, limit: float) -> dict[str, Any]:
    return {"value": value, "limit": f">= {limit:g}", "met": value >= limit}


def render_table(results: dict[str, Any]) -> str:
    machine = results["machine"]
    knowledge = results["knowledge"]
    lines = [
        f"medfaq bench: {knowledge['drugs']:,} drugs from {knowledge['pages']:,} pages, "
        f"{knowledge['faqs']:,} FAQs; {results['questions']['count']} questions",
        f"machine: {machine['cpus']} CPUs, {machine['cpu']}, Python {machine['python']}",
        "",
        *_markdown(["figure", "value", "target"], _rows(results)),
        "",
        "How it scales (same question mix, per size):",
        "",
        *_markdown(
            ["drugs", "engine p50", "engine p99", "engine q/s", "naive p50"],
            [
                [
                    f"{row['drugs']:,}",
                    _ms(row["engine_p50_ms"]),
                    _ms(row["engine_p99_ms"]),
                    f"{row['engine_per_second']:,.0f}",
                    _ms(row["naive_p50_ms"]),
                ]
                for row in results["scaling"]
            ],
        ),
    ]
    return "\n".join(lines)


def _rows(results: dict[str, Any]) -> list[list[str]]:
    goal = results["targets"]
    engine, naive, batch = results["engine"], results["naive"], results["batch"]
    startup, load, bundled = results["startup"], results["load"], results["bundled"]
    rows: list[list[str]] = []

    def row(label: str, value: str, target: str = "") -> None:
        found = goal.get(target)
        verdict = f"{found['limit']} {'met' if found['met'] else 'MISSED'}" if found else ""
        rows.append([label, value, verdict])

    row("import (one `medfaq import`)", f"{results['import']['seconds']:.1f} s")
    row("load, cold (YAML, validation, indexes)", f"{load['cold_seconds']:.2f} s")
    row("load, from the cache", f"{load['cached_seconds']:.2f} s")
    row("`medfaq ask` start-up, no cache yet", f"{startup['cold_seconds']:.2f} s")
    row("`medfaq ask` start-up, cached", f"{startup['cached_seconds']:.2f} s", "startup_seconds")
    row("peak RSS (`medfaq ask`)", f"{max(results['rss_mb'].values()):.0f} MB", "rss_mb")
    row("engine p50 / mean", f"{_ms(engine['p50_ms'])} / {_ms(engine['mean_ms'])}")
    row("engine p99", _ms(engine["p99_ms"]), "engine_p99_ms")
    row("engine p99, CPU time only (no wait for a CPU)", _ms(engine["cpu_p99_ms"]))
    row("engine questions/s", f"{engine['per_second']:,.0f}")
    row("naive p50 / mean", f"{_ms(naive['p50_ms'])} / {_ms(naive['mean_ms'])}")
    row("naive p99", _ms(naive["p99_ms"]))
    row("naive questions/s", f"{naive['per_second']:,.1f}")
    row("speed-up at p50 (naive / engine)", f"{results['speedup_p50']:,.0f}x", "speedup_p50")
    row("batch `ask --json`: per question", _ms(batch["per_question_ms"]), "batch_per_question_ms")
    row(
        "batch `ask --json`: gap between replies p50 / p99 / max",
        f"{_ms(batch['p50_ms'])} / {_ms(batch['p99_ms'])} / {_ms(batch['max_ms'])}",
    )
    row(
        "batch `ask --json`: whole run / questions (start-up included)",
        _ms(batch["with_startup_per_question_ms"]),
    )
    row(
        "batch speed-up (naive mean / batch per question)",
        f"{goal['batch_speedup']['value']:,.0f}x",
        "batch_speedup",
    )
    row(
        "bundled knowledge p50 / p99",
        f"{_ms(bundled['p50_ms'])} / {_ms(bundled['p99_ms'])}",
        "bundled_p99_ms",
    )
    row("bundled knowledge p99, CPU time only", _ms(bundled["cpu_p99_ms"]))
    e2e = results.get("e2e")
    if e2e and "error" in e2e:
        row("end to end", f"failed: {e2e['error'][:60]}")
    elif e2e:
        row("end to end: replies/s", f"{e2e['replies_per_second']:,.0f}", "e2e_replies_per_second")
        row("end to end: p99 message to reply", _ms(e2e["p99_ms"]), "e2e_p99_ms")
        row("end to end: longest event-loop block", _ms(e2e["max_block_ms"]), "e2e_max_block_ms")
        row("end to end: event-loop block p99", _ms(e2e["p99_block_ms"]))
        if "max_store_call_on_loop_ms" in e2e:
            row(
                f"end to end: longest {e2e['store']} call on the loop",
                _ms(e2e["max_store_call_on_loop_ms"]),
                "e2e_max_store_call_on_loop_ms",
            )
            longest = _ms(e2e["max_store_call_in_workers_ms"])
            row("end to end: longest store call (workers)", longest)
    return rows


def _ms(value: float) -> str:
    return f"{value:.3f} ms" if value < 10 else f"{value:,.1f} ms"


def _markdown(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]
