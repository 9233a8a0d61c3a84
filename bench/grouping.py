"""How long the report takes to group a large log of different questions.

The questions are made like a busy server's unanswered ones: a few thousand things asked, each
in many wordings (typos, extra or missing words, another drug named), all different texts.
"""

from __future__ import annotations

import random
import string
import time
from dataclasses import dataclass

from bot.insights.grouping import group_similar
from bot.runtime.store import LoggedQuestion

DRUGS = [
    "gabapentin",
    "amitriptyline",
    "pregabalin",
    "sertraline",
    "ibuprofen",
    "metformin",
    "lisinopril",
    "omeprazole",
    "tramadol",
    "duloxetine",
    "citalopram",
    "naproxen",
    "prednisone",
    "melatonin",
    "codeine",
]
ASKS = (
    "does {d} cause {s}",
    "can {d} make you {s}",
    "is it normal to feel {s} on {d}",
    "why do i get {s} after taking {d}",
    "how long does {s} last with {d}",
    "can i take {d} if i have {s}",
    "will {d} help my {s}",
    "is {s} a side effect of {d}",
    "what should i do about {s} from {d}",
    "has anyone had {s} with {d}",
)
STATES = [
    "spacey",
    "foggy",
    "jittery",
    "itchy",
    "bloated",
    "shaky",
    "wired",
    "numb",
    "tingly",
    "sweaty",
    "hot",
    "cold",
    "anxious",
    "restless",
    "confused",
    "forgetful",
    "moody",
    "teary",
    "twitchy",
    "achy",
    "stiff",
    "weak",
    "cranky",
]
PLACES = ("hands feet legs back head stomach chest skin eyes jaw").split()  # noqa: SIM905
EXTRA = ("please", "really", "at night", "in the morning", "lately", "still", "so much", "help")


@dataclass(frozen=True)
class GroupingRun:
    questions: int
    groups: int
    seconds: float


def make_questions(count: int, seed: int = 2026) -> list[LoggedQuestion]:
    """``count`` different question texts, each logged once, about no drug of ours."""
    rng = random.Random(seed)
    states = [*STATES, *(f"{s} {p}" for s in STATES[:12] for p in PLACES)]
    seen: set[str] = set()
    out: list[LoggedQuestion] = []
    while len(out) < count:
        text = rng.choice(ASKS).format(d=rng.choice(DRUGS), s=rng.choice(states))
        for _ in range(rng.randint(0, 3)):
            text = _mutate(text, rng)
        if text in seen:
            continue
        seen.add(text)
        n = len(out)
        out.append(
            LoggedQuestion(
                n + 1, float(n), "cli", None, None, None, text, "fallback", None, None, None, 0.0
            )
        )
    return out


def _mutate(text: str, rng: random.Random) -> str:
    words = text.split()
    what = rng.randrange(4)
    at = rng.randrange(len(words))
    if what == 0:  # a typo
        word = words[at]
        i = rng.randrange(len(word))
        words[at] = word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
    elif what == 1:
        words.insert(at, rng.choice(EXTRA))
    elif what == 2 and len(words) > 4:
        del words[at]
    else:
        return text + rng.choice(("?", "??", " ?", "!"))
    return " ".join(words)


def time_grouping(count: int = 20_000, seed: int = 2026) -> GroupingRun:
    questions = make_questions(count, seed)
    start = time.perf_counter()
    groups = group_similar(questions)
    return GroupingRun(len(questions), len(groups), time.perf_counter() - start)
