"""Questions over time: per day by kind, and emergencies per week (UTC days, ISO weeks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from bot.engine.replies import KINDS
from bot.runtime.store import LoggedQuestion


@dataclass(frozen=True)
class DayCount:
    day: str
    """ISO date, UTC."""
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def daily_counts(questions: Sequence[LoggedQuestion]) -> list[DayCount]:
    """One row per day from the first question's to the last's, days without questions too."""
    if not questions:
        return []
    per_day: dict[date, Counter[str]] = {}
    for q in questions:
        per_day.setdefault(_day(q.asked_at), Counter())[q.kind] += 1
    first, last = min(per_day), max(per_day)
    rows = []
    day = first
    while day <= last:
        counted = per_day.get(day, Counter())
        rows.append(DayCount(day.isoformat(), {kind: counted[kind] for kind in KINDS}))
        day += timedelta(days=1)
    return rows


def weekly(days: Sequence[DayCount], kind: str) -> list[tuple[str, int]]:
    """(ISO week such as ``2026-W48``, questions of ``kind``) for each week the days cover."""
    weeks: dict[str, int] = {}
    for row in days:
        year, week, _ = date.fromisoformat(row.day).isocalendar()
        key = f"{year}-W{week:02d}"
        weeks[key] = weeks.get(key, 0) + row.by_kind.get(kind, 0)
    return list(weeks.items())


def _day(when: float) -> date:
    return datetime.fromtimestamp(when, UTC).date()
