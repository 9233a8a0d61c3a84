"""Print how long ``medfaq report`` takes to group different questions (target: 20,000 in 3 s).

Usage: .venv/bin/python scripts/bench_grouping.py [COUNT]
"""

from __future__ import annotations

import sys

from bench.grouping import time_grouping

TARGET_SECONDS = 3.0


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    run = time_grouping(count)
    verdict = "ok" if run.seconds <= TARGET_SECONDS * count / 20_000 else "SLOW"
    print(
        f"grouped {run.questions} different questions into {run.groups} groups "
        f"in {run.seconds:.2f} s ({verdict}; target 3 s for 20,000)"
    )
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())
