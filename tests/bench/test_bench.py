"""``medfaq bench`` on a tiny knowledge base: every figure is reported and the JSON parses.

No timing is asserted here: the bench reports, the README records.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bench.names import NameMaker, typo
from bench.synthetic import SyntheticDrug, SyntheticPage, render_page
from bench.timing import Latency, percentile
from bot.authoring.pages import parse_page
from bot.cli.main import main

pytestmark = pytest.mark.slow  # runs the bench, with its end-to-end part, on a tiny corpus


def test_a_tiny_bench_reports_every_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.json"
    args = ["bench", "--pages", "10", "--questions", "30", "--sizes", "10,20", "--e2e"]
    args += ["--e2e-messages", "20"]
    assert main([*args, "--out", str(out), "--workdir", str(tmp_path / "work")]) == 0
    printed = capsys.readouterr().out
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["knowledge"]["drugs"] == 20
    assert results["knowledge"]["pages"] == 10
    assert results["import"]["seconds"] > 0
    assert set(results["load"]) == {"cold_seconds", "cached_seconds", "cache_write_seconds"}
    assert {"cold_seconds", "cached_seconds"} <= set(results["startup"])
    for name in ("engine", "naive"):
        assert results[name]["count"] == 30
        assert {"p50_ms", "p99_ms", "per_second"} <= set(results[name])
    assert results["speedup_p50"] > 0
    assert results["batch"]["questions"] == 30
    assert results["batch"]["same_kinds_as_engine"] is True
    assert results["bundled"]["count"] > 49
    assert results["bundled"]["cpu_p99_ms"] > 0
    assert [row["drugs"] for row in results["scaling"]] == [10, 20]
    assert set(results["rss_mb"]) == {"ask_cold", "ask_cached", "batch"}
    assert all(value > 0 for value in results["rss_mb"].values())
    assert set(results["targets"]) >= {"engine_p99_ms", "speedup_p50", "startup_seconds"}
    assert sum(results["questions"]["categories"].values()) == 30
    assert "medicationqa" in results["questions"]["categories"]
    assert results["e2e"]["replies"] == 20
    assert results["e2e"]["replies_with_disclaimer_or_emergency"] == 20
    assert {"replies_per_second", "p99_ms", "max_block_ms"} <= set(results["e2e"])
    for figure in ("engine p99", "naive p50", "speed-up", "start-up", "RSS", "bundled", "loop"):
        assert figure in printed
    assert "| 20 " in printed  # the scaling table


def test_the_e2e_bench_on_postgres_makes_no_store_call_on_the_event_loop(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.json"
    args = ["bench", "--pages", "5", "--questions", "20", "--sizes", "10", "--e2e"]
    args += ["--e2e-messages", "40", "--e2e-db", postgres_url]
    assert main([*args, "--out", str(out), "--workdir", str(tmp_path / "work")]) == 0
    e2e = json.loads(out.read_text(encoding="utf-8"))["e2e"]
    assert e2e["store"] == "postgresql" and e2e["replies"] == 40
    assert e2e["store_calls"] >= 40  # one question-log write a reply, at least
    assert e2e["store_calls_on_loop"] == 0 and e2e["max_store_call_on_loop_ms"] == 0
    assert "longest postgresql call on the loop" in capsys.readouterr().out


def test_invented_pages_read_back_as_two_drugs_with_faqs(tmp_path: Path) -> None:
    drug = SyntheticDrug("Zorapentin", [], ["Nerve pain"], ["Dizziness", "Dry mouth"], "Works.")
    other = SyntheticDrug("Clomeprazole", [], ["Acid reflux"], ["Nausea"], "Also works.")
    page = SyntheticPage("zorapentin-clomeprazole", (drug, other), [("Why both?", "Because.")])
    parsed = parse_page(tmp_path / "page.md", render_page(page))
    assert [d.name for d in parsed.drugs] == ["Zorapentin", "Clomeprazole"]
    assert len(parsed.faqs) == 1


def test_names_are_new_deterministic_and_sometimes_close() -> None:
    def make(seed: int) -> list[str]:
        maker = NameMaker(random.Random(seed), taken=["gabapentin"], real=["metformin"])
        return [maker.generic() for _ in range(300)]

    names = make(1)
    assert names == make(1)
    assert len({n.casefold() for n in names}) == 300
    assert "gabapentin" not in {n.casefold() for n in names}
    folded = [n.casefold() for n in names]
    close = [
        n
        for n in folded
        if process.extractOne(
            n, [m for m in folded if m != n], scorer=Levenshtein.distance, score_cutoff=2
        )
    ]
    assert len(close) >= 30, "some names are one or two letters from another"
    assert typo(random.Random(3), "zorapentin") != "zorapentin"


def test_percentiles_are_nearest_rank() -> None:
    values = [i / 1000 for i in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(0.050)
    assert percentile(values, 99) == pytest.approx(0.099)
    latency = Latency.of(values)
    assert latency.p99_ms == pytest.approx(99.0)
    assert Latency.of([]).count == 0
