"""Log lines as JSON objects, one a line, for log collectors (``MEDFAQ_LOG_FORMAT=json``)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message"}`` and ``"error"`` (the traceback) if any.

    Works after the token-masking filter: it formats the record's (masked) message and
    traceback text, never the raw arguments.
    """

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            record.exc_text = record.exc_text or self.formatException(record.exc_info)
        if record.exc_text:
            line["error"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def formatter(kind: str) -> logging.Formatter:
    """The formatter for ``MEDFAQ_LOG_FORMAT``: ``text`` (for people) or ``json``."""
    if kind == "json":
        return JsonFormatter()
    return logging.Formatter(TEXT_FORMAT, "%H:%M:%S")
