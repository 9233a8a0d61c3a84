"""The length-bucketed look-ups give exactly what one scan of the whole list gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.engine.namesearch import WordList
from bot.knowledge.loading import KnowledgeBase

word = st.text(alphabet="abcden", min_size=1, max_size=9)
words = st.lists(word, max_size=40)


@settings(max_examples=300, deadline=None)
@given(words, word, st.sampled_from([0.0, 50.0, 72.0, 85.0, 100.0]))
def test_best_ratio_is_extract_one_over_the_sorted_list(
    names: list[str], query: str, cutoff: float
) -> None:
    ordered = sorted(set(names))
    expected = process.extractOne(query, ordered, scorer=fuzz.ratio, score_cutoff=cutoff)
    found = WordList(names).best_ratio(query, cutoff)
    assert found == (None if expected is None else (expected[0], expected[1]))


@settings(max_examples=300, deadline=None)
@given(words, word, st.integers(min_value=0, max_value=2))
def test_nearest_is_extract_one_by_distance(names: list[str], query: str, limit: int) -> None:
    ordered = sorted(set(names))
    expected = process.extractOne(query, ordered, scorer=Levenshtein.distance, score_cutoff=limit)
    assert WordList(names).nearest(query, limit) == (None if expected is None else expected[0])


@settings(max_examples=200, deadline=None)
@given(words, word)
def test_within_is_the_words_of_that_length_one_edit_away(names: list[str], query: str) -> None:
    expected = sorted(
        name
        for name in set(names)
        if len(name) == len(query) + 1 and Levenshtein.distance(query, name) <= 1
    )
    assert sorted(WordList(names).within(query, 1, len(query) + 1)) == expected


@settings(max_examples=400, deadline=None)
@given(words, word, st.sampled_from([0.0, 40.0, 72.0, 85.0, 90.0, 100.0]))
def test_the_letter_filter_gives_the_same_best_ratio(
    names: list[str], query: str, cutoff: float
) -> None:
    ordered = sorted(set(names))
    expected = process.extractOne(query, ordered, scorer=fuzz.ratio, score_cutoff=cutoff)
    found = WordList(names, letter_index_min=0).best_ratio(query, cutoff)
    assert found == (None if expected is None else (expected[0], expected[1]))


def test_the_letter_filter_on_real_drug_names(knowledge: KnowledgeBase) -> None:
    names = sorted({n for n in knowledge.reference_names if " " not in n})[:20_000]
    indexed = WordList(names, letter_index_min=1000)
    assert indexed._letters is not None
    for query in ["gabapentin", "raise", "vaccine", "amitryptiline", "ibuprofin", "zz", "a"]:
        for cutoff in (72.0, 85.0):
            expected = process.extractOne(query, names, scorer=fuzz.ratio, score_cutoff=cutoff)
            found = indexed.best_ratio(query, cutoff)
            assert found == (None if expected is None else (expected[0], expected[1]))
