"""Grouping similar questions: the report counts "does it make you sleepy?" and "does it make u
sleepy" as one question asked twice."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.runtime.store import LoggedQuestion

SIMILARITY = 85.0
"""Questions whose normalised words score at least this (token sort ratio) share a group."""

RARE_WORDS = 2
"""A wording is scored against the founders sharing one of its this many rarest words (3
merges a few more typo'd wordings for half as much time again)."""

_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class QuestionGroup:
    """Similar questions counted together, shown by their most frequent wording."""

    question: str | None
    """None when the question text was not kept."""
    count: int
    askers: int
    wordings: int
    drug: str | None
    last_asked: float


def distinct_askers(questions: Iterable[LoggedQuestion]) -> int:
    return len({q.asker_hash for q in questions if q.asker_hash})


def wording(text: str) -> str:
    """The form questions are compared in: the words of any script, casefolded, without the
    punctuation and spacing between them (``"Gabapentin -- weight?"``: ``"gabapentin weight"``)."""
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", text).casefold()))


def group_similar(
    questions: Sequence[LoggedQuestion], *, similarity: float = SIMILARITY
) -> list[QuestionGroup]:
    """Similar questions about the same drug (or about none) counted together, largest first."""
    groups = [_group(c.questions, c.wordings) for c in cluster_questions(questions, similarity)]
    return sorted(groups, key=lambda g: (-g.count, -g.last_asked))


@dataclass(frozen=True)
class Cluster:
    questions: list[LoggedQuestion]
    wordings: int
    """Different wordings (0: the question text was not kept)."""


def cluster_questions(
    questions: Sequence[LoggedQuestion], similarity: float = SIMILARITY
) -> list[Cluster]:
    """The questions in groups of similar ones, each group about one drug (or none).

    Greedy, most frequent wording first: each wording joins the group whose founding wording
    scores highest, if at least ``similarity`` (token sort ratio), else it founds one. Grouping
    within one drug keeps "... gabapentin ..." and "... pregabalin ..." apart even when the
    rest of a long question is the same. Questions whose text was not kept form one group a drug.
    """
    by_drug: dict[str | None, list[LoggedQuestion]] = defaultdict(list)
    for q in questions:
        by_drug[q.drug].append(q)
    return [c for same_drug in by_drug.values() for c in _clusters(same_drug, similarity)]


def _clusters(questions: list[LoggedQuestion], similarity: float) -> list[Cluster]:
    by_wording: dict[str, list[LoggedQuestion]] = defaultdict(list)
    textless = [q for q in questions if q.question is None]
    for q in questions:
        if q.question is not None:
            by_wording[wording(q.question)].append(q)
    ordered = sorted(by_wording, key=lambda w: (-len(by_wording[w]), w))
    clusters = [
        Cluster([q for w in cluster for q in by_wording[w]], len(cluster))
        for cluster in _cluster(ordered, similarity)
    ]
    if textless:
        clusters.append(Cluster(textless, 0))
    return clusters


def _cluster(wordings: Sequence[str], similarity: float) -> list[list[str]]:
    """Each wording, in order, joins the closest founder scoring ``similarity`` or founds one.

    token_sort_ratio is ratio() on the sorted words, so each wording's words are sorted once.
    Scoring every founder is quadratic (12 s for 20,000 different questions), so a wording is
    scored only against the founders that share its rarest word (an inverted index from word
    to founders; words said once in the whole log are no help), then, if none scores enough,
    those sharing its next rarest, up to :data:`RARE_WORDS` words: wordings that score
    ``similarity`` share most of their words, rare ones included. Two wordings with a typo in
    each of their rarest words may stay apart; that is the price.
    """
    keys = [" ".join(sorted(text.split())) for text in wordings]
    frequency = Counter(w for key in keys for w in set(key.split()))
    by_word: dict[str, tuple[list[str], list[int]]] = {}  # word -> founders' keys, clusters
    clusters: list[list[str]] = []
    for text, key in zip(wordings, keys, strict=True):
        tokens = sorted(set(key.split()), key=lambda w: (frequency[w], w))
        best: tuple[float, int] | None = None
        for w in [w for w in tokens if frequency[w] > 1][:RARE_WORDS]:
            founders, owners = by_word.get(w, ([], []))
            found = process.extractOne(key, founders, scorer=fuzz.ratio, score_cutoff=similarity)
            if found is not None:
                best = (found[1], owners[found[2]])
                break  # the founders sharing a rarer word are the likelier ones
        if key and best is not None:
            clusters[best[1]].append(text)
            continue
        for w in tokens:
            founders, owners = by_word.setdefault(w, ([], []))
            founders.append(key)
            owners.append(len(clusters))
        clusters.append([text])
    return clusters


def _group(questions: list[LoggedQuestion], wordings: int) -> QuestionGroup:
    drugs = Counter(q.drug for q in questions if q.drug)
    return QuestionGroup(
        question=_representative(questions),
        count=len(questions),
        askers=distinct_askers(questions),
        wordings=wordings,
        drug=drugs.most_common(1)[0][0] if drugs else None,
        last_asked=max(q.asked_at for q in questions),
    )


def _representative(questions: list[LoggedQuestion]) -> str | None:
    """The text asked most often; of equally frequent ones, the one asked last."""
    texts: dict[str, tuple[int, float]] = {}
    for q in questions:
        if q.question is not None:
            count, last = texts.get(q.question, (0, q.asked_at))
            texts[q.question] = (count + 1, max(last, q.asked_at))
    return max(texts, key=lambda text: texts[text]) if texts else None
