"""The operators' view: metric names and values, JSON log lines (issue 15)."""

from __future__ import annotations

import json
import logging
import sys

from bot.runtime.logformat import JsonFormatter
from bot.runtime.metrics import Metrics


def test_replies_latency_emergencies_and_gateway_are_exposed() -> None:
    metrics = Metrics()
    metrics.replied("answer", 0.004)
    metrics.replied("emergency", 0.02)
    metrics.cooldown_refusals.inc()
    metrics.store_errors.labels(operation="log_question").inc()
    metrics.watch_gateway(lambda: [(0, 0.041), (3, float("inf"))])
    text = metrics.exposition().decode()
    assert 'medfaq_replies_total{kind="answer"} 1.0' in text
    assert 'medfaq_replies_total{kind="emergency"} 1.0' in text
    assert "medfaq_emergencies_total 1.0" in text
    assert "medfaq_cooldown_refusals_total 1.0" in text
    assert 'medfaq_store_errors_total{operation="log_question"} 1.0' in text
    assert 'medfaq_answer_seconds_bucket{le="0.005"} 1.0' in text
    assert "medfaq_answer_seconds_count 2.0" in text
    assert 'medfaq_gateway_latency_seconds{shard="0"} 0.041' in text
    assert 'shard="3"' not in text  # no heartbeat yet: no sample rather than +Inf


def test_two_bots_in_one_process_count_apart() -> None:
    one, two = Metrics(), Metrics()
    one.replied("fallback", 0.001)
    assert 'medfaq_replies_total{kind="fallback"} 1.0' in one.exposition().decode()
    assert "medfaq_replies_total{" not in two.exposition().decode()


def test_json_log_lines_carry_the_message_and_the_traceback() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "bot.x", logging.ERROR, __file__, 1, "could not %s", ("log",), sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["logger"] == "bot.x"
    assert line["message"] == "could not log"
    assert "ValueError: boom" in str(line["error"])
    assert line["time"].endswith("+00:00")
