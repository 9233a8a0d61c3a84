"""Report a repeating failure once, and again only when its cause changes.

A full disk under the question log fails every question the same way, and a knowledge folder
that went missing fails every poll of ``run --watch``: one line says so, and the next line
comes when something is different (another error, or the failure is over)."""

from __future__ import annotations

import logging


class ReportOnce:
    def __init__(self, logger: logging.Logger, what: str) -> None:
        self.logger = logger
        self.what = what
        self._cause: str | None = None

    def failed(self, exc: BaseException, then: str = "") -> None:
        cause = f"{type(exc).__name__}: {exc}"
        if cause == self._cause:
            return
        self._cause = cause
        self.logger.error(
            "could not %s: %s%s (said once until the cause changes)", self.what, cause, then
        )

    def succeeded(self) -> None:
        if self._cause is not None:
            self._cause = None
            self.logger.warning("can %s again", self.what)
