"""The benchmark's question mix: the dev set's categories with invented drugs put in, typos,
invented drugs the knowledge lacks, and real consumer questions from MedicationQA."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.names import NameMaker, typo
from bench.synthetic import SyntheticPage

MEDICATIONQA_SHARE = 0.2
UNKNOWN_SHARE = 0.1
TYPO_SHARE = 0.3
"""Share of the dev-set questions naming a drug whose drug name gets a typo."""
UNKNOWN_TEMPLATES = (
    "what is {x} used for",
    "side effects of {x}",
    "tell me about {x}",
    "does {x} cause nausea",
    "how does {x} work",
)
# The dev set's names, in the order they are replaced (longest first where they overlap).
_FIRST = re.compile(r"gabapentin|neurontin", re.IGNORECASE)
_SECOND = re.compile(r"amitriptyline|amitryptiline", re.IGNORECASE)


@dataclass(frozen=True)
class Question:
    text: str
    category: str
    kinds: tuple[str, ...] = ()
    """The reply kinds the dev set accepts for the question it was made from (may be empty)."""


def load_dev_set(path: Path) -> list[dict[str, object]]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(cases, list):
        raise ValueError(f"{path}: expected a list of questions")
    return [case for case in cases if isinstance(case, dict) and "q" in case]


def load_medicationqa(path: Path) -> list[str]:
    """The questions that name no drug of the bundled knowledge."""
    questions = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                if not row.get("names_kb_drug"):
                    questions.append(str(row["question"]))
    return questions


def make_questions(
    count: int,
    rng: random.Random,
    pages: list[SyntheticPage],
    dev_set: list[dict[str, object]],
    medicationqa: list[str],
    names: NameMaker,
) -> list[Question]:
    n_real = round(count * MEDICATIONQA_SHARE) if medicationqa else 0
    n_unknown = round(count * UNKNOWN_SHARE)
    n_dev = count - n_real - n_unknown
    questions = [_from_dev(rng.choice(pages), dev_set[i % len(dev_set)], rng) for i in range(n_dev)]
    for _ in range(n_unknown):
        name = names.generic()
        questions.append(Question(rng.choice(UNKNOWN_TEMPLATES).format(x=name), "unknown-invented"))
    questions += [Question(q, "medicationqa") for q in rng.sample(medicationqa, n_real)]
    rng.shuffle(questions)
    return questions


def _from_dev(page: SyntheticPage, case: dict[str, object], rng: random.Random) -> Question:
    text = str(case["q"])
    first, second = page.drugs[0].name, page.drugs[1].name
    category = str(case.get("cat", "dev"))
    kinds = tuple(str(k) for k in case.get("kind", ()))  # type: ignore[attr-defined]
    names_a_drug = bool(_FIRST.search(text) or _SECOND.search(text))
    if names_a_drug and rng.random() < TYPO_SHARE:
        first, second = typo(rng, first), typo(rng, second)
        category += "+typo"
        kinds = ()  # a typo may rightly turn an answer into "did you mean?"
    text = _SECOND.sub(second.casefold(), _FIRST.sub(first.casefold(), text))
    return Question(text, category, kinds)
