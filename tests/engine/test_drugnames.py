"""The drug-field matcher behind ``/drug``, ``/sideeffects`` and their autocomplete."""

from __future__ import annotations

import pytest

from bot.engine.drugnames import DrugNames, drug_names
from bot.knowledge.loading import KnowledgeBase


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("gabapentin", "gabapentin"),
        ("  Neurontin ", "gabapentin"),
        ("Elavil", "amitriptyline"),
        ("gaba", None),
        ("nortriptyline", None),
    ],
)
def test_find_takes_only_an_exact_name(knowledge: KnowledgeBase, typed: str, found: str) -> None:
    assert DrugNames(knowledge).find(typed) == found


@pytest.mark.parametrize(
    ("typed", "first"),
    [("", "amitriptyline"), ("ami", "amitriptyline"), ("gabapentn", "gabapentin")],
)
def test_matches_by_part_then_by_closeness(
    knowledge: KnowledgeBase, typed: str, first: str
) -> None:
    assert DrugNames(knowledge).matches(typed)[0] == first


def test_one_index_per_knowledge(knowledge: KnowledgeBase) -> None:
    assert drug_names(knowledge) is drug_names(knowledge)
