"""Questions the hand lexicon does not settle, decided by the knowledge's own words and the
rules of confidence: each test names the mechanism it holds, with questions of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.authoring.importer import import_pages
from bot.engine.decisions import (
    Both,
    Check,
    Combination,
    Dosing,
    Fallback,
    FaqAnswer,
    Overview,
    Reverse,
    Sections,
    Uncovered,
)
from bot.engine.engine import Engine
from bot.engine.faqs import is_part_of
from bot.engine.items import close
from bot.engine.stems import StemNormaliser
from bot.engine.understanding import GUESS_SCORE
from bot.knowledge.loading import load_knowledge

PAGES = Path(__file__).resolve().parent.parent / "data" / "pages"


def test_a_question_inside_a_phrasing_must_share_a_telling_word() -> None:
    question_words = frozenset({"what", "happens", "if"})
    phrasing = {"what", "happens", "if", "stop"}
    assert not is_part_of({"what", "happens", "if"}, phrasing, question_words)
    assert is_part_of({"why", "stop"}, {"why", "stop", "abruptly"}, question_words)


@pytest.mark.parametrize(
    "question",
    [
        "what happens if you take gabapentin plus amitriptyline",
        "what happens when i take amitriptyline and gabapentin at the same time",
    ],
)
def test_question_words_alone_never_pick_an_faq(engine: Engine, question: str) -> None:
    decision = engine.decide(question)
    assert not (isinstance(decision, FaqAnswer) and decision.faq == "stop-suddenly")


@pytest.mark.parametrize(
    "question",
    [
        "what do doctors use the gabapentin and amitriptyline combination for",
        "what is taking gabapentin with amitriptyline used for",
    ],
)
def test_a_use_of_drugs_together_is_the_combination_text(engine: Engine, question: str) -> None:
    assert engine.decide(question) == Combination("gabapentin-amitriptyline")


def test_a_unit_of_another_kind_clearly_ahead_beats_the_best_faq(engine: Engine) -> None:
    decision = engine.decide("are gabapentin and amitriptyline often combined for neuropathic pain")
    assert isinstance(decision, Combination)


def test_a_yes_no_question_of_a_use_checks_it_and_a_wh_question_lists(engine: Engine) -> None:
    assert engine.decide("is amitriptyline used for hiccups") == Check(
        "amitriptyline", "", "usage", (), GUESS_SCORE, "Hiccups"
    )
    assert engine.decide("what is amitriptyline used for") == Sections("amitriptyline", ("usage",))


def test_a_word_before_a_medicine_noun_is_a_use_unless_it_says_what_kind(engine: Engine) -> None:
    decision = engine.decide("is amitriptyline a hiccup medicine")
    assert isinstance(decision, Check) and decision.topic == "usage"
    assert not engine.lexicon.analyse("is amitriptyline a strong medicine").has("check:usage")
    # what kind of medicine it is: no guessed "not listed"
    assert engine.decide("is amitriptyline a strong medicine") == Overview("amitriptyline")


def test_making_something_worse_is_a_side_effect_check_not_the_combined_faq(
    engine: Engine,
) -> None:
    decision = engine.decide("can amitriptyline make tinnitus worse")
    assert isinstance(decision, Check) and decision.topic == "side_effects"
    assert "tinnitus" in (decision.term, decision.concept.lower())


@pytest.mark.parametrize(
    ("question", "drug"),
    [
        ("does amitriptyline boost norepinephrine", "amitriptyline"),
        ("is gabapentin acting on the brain or on the nerves", "gabapentin"),
    ],
)
def test_words_of_the_how_it_works_text_get_that_text(
    engine: Engine, question: str, drug: str
) -> None:
    decision = engine.decide(question)
    assert isinstance(decision, Sections)
    assert (decision.drug, decision.topics) == (drug, ("how_it_works",))


def test_a_reverse_look_up_reads_the_how_it_works_texts(engine: Engine) -> None:
    decision = engine.decide("which of them impacts norepinephrine")
    assert isinstance(decision, Reverse) and decision.topic == "how_it_works"
    assert [drug for drug, _ in decision.found] == ["amitriptyline"]


@pytest.mark.parametrize(
    "question",
    ["is 600mg of neurontin too high", "would 50 mg of elavil be a lot for a first dose"],
)
def test_a_judged_strength_is_a_dosing_question(engine: Engine, question: str) -> None:
    assert isinstance(engine.decide(question), Dosing)


@pytest.mark.parametrize(
    "question",
    ["on 600mg of neurontin, what are the side effects", "is neurontin too much for me"],
)
def test_a_strength_alone_or_a_judgement_alone_is_not(engine: Engine, question: str) -> None:
    assert not isinstance(engine.decide(question), Dosing)


def test_both_with_one_drug_named_is_that_drug_and_the_one_just_discussed(
    engine: Engine,
) -> None:
    first = engine.ask("does elavil cause dry mouth")
    analysis = engine.read("would neurontin add to that? im on both", first.context)
    assert sorted(analysis.drugs) == ["amitriptyline", "gabapentin"] and analysis.together
    decision = engine.decide("would neurontin add to that? im on both", first.context)
    assert decision == FaqAnswer("gabapentin-amitriptyline", "combined-side-effects", 100.0)


def test_an_faq_on_a_terms_topic_looks_where_the_term_is_listed(engine: Engine) -> None:
    # "pain" is listed as a use: FAQs are searched on uses, not on side effects
    analysis = engine.read("gabapentin and amitriptyline for my pain")
    hits = engine.decider._faqs_on_topic(analysis)
    assert "combined-side-effects" not in [hit.entry.faq.id for hit in hits]
    analysis = engine.read("gabapentin and amitriptyline and dizziness")
    hits = engine.decider._faqs_on_topic(analysis)
    assert [hit.entry.faq.id for hit in hits][:1] == ["combined-side-effects"]


def test_a_stopping_question_with_a_check_answers_both_stopping_first(engine: Engine) -> None:
    decision = engine.decide("can i quit gabapentin abruptly and does it cause nausea")
    assert isinstance(decision, Both)
    assert decision.first == FaqAnswer("gabapentin-amitriptyline", "stop-suddenly", 100.0)
    assert isinstance(decision.second, Check) and decision.second.found == ("Nausea",)


def test_a_text_topic_named_with_another_answers_both_sections(engine: Engine) -> None:
    decision = engine.decide("how does elavil work and what are the side effects")
    assert isinstance(decision, Sections)
    assert set(decision.topics) == {"how_it_works", "side_effects"}


@pytest.mark.parametrize("question", ["elavil. weight?", "amitriptyline and dizziness"])
def test_one_drugs_own_section_beats_a_combinations_faq_on_the_same_words(
    engine: Engine, question: str
) -> None:
    decision = engine.decide(question)
    assert isinstance(decision, Check) and decision.drug == "amitriptyline"


def test_words_of_the_item_a_check_found_are_not_matched_against_faqs(engine: Engine) -> None:
    decision = engine.decide("my feet are swelling on neurontin, can i come off it?")
    assert isinstance(decision, Both)
    assert decision.first == FaqAnswer("gabapentin-amitriptyline", "stop-suddenly", 100.0)


def test_of_close_faqs_the_one_whose_own_question_holds_the_words_wins(engine: Engine) -> None:
    decision = engine.decide(
        "my wife is on gabapentin and her gp wants to add amitriptyline, is that safe for her"
    )
    assert isinstance(decision, FaqAnswer) and decision.faq == "safe-together"


def test_one_drug_with_another_medicine_is_uncovered_though_the_pair_has_an_faq(
    engine: Engine,
) -> None:
    decision = engine.decide("does gabapentin interact with my thyroid tablets")
    assert decision == Uncovered("interactions", ("gabapentin",))


@pytest.mark.parametrize(
    "question",
    [
        "tell me about gabapentin together with amitriptyline",
        "tell me about using elavil with neurontin",
    ],
)
def test_an_overview_of_drugs_together_is_the_combination_page(
    engine: Engine, question: str
) -> None:
    assert engine.decide(question) == Combination("gabapentin-amitriptyline")


def test_a_follow_up_naming_another_drug_asks_the_previous_faq_again(engine: Engine) -> None:
    first = engine.ask("can i quit amitriptyline cold turkey")
    decision = engine.decide("what about gabapentin, same question", first.context)
    assert decision == FaqAnswer("gabapentin-amitriptyline", "stop-suddenly", 100.0)


def test_a_follow_up_with_a_question_of_its_own_is_not_the_previous_one(engine: Engine) -> None:
    first = engine.ask("my feet swell on gabapentin, does it cause swelling")
    decision = engine.decide("and is it safe to take it with elavil", first.context)
    assert decision == FaqAnswer("gabapentin-amitriptyline", "safe-together", 100.0)


def test_then_after_a_check_keeps_the_drug(engine: Engine) -> None:
    first = engine.ask("gabapentin hair loss?")
    decision = engine.decide("which ones are common then", first.context)
    assert isinstance(decision, Overview | Sections) and decision.drug == "gabapentin"


@pytest.mark.parametrize("pick", ["the second one", "option 2", "2nd", "number 2 please"])
def test_a_choice_is_picked_by_words_as_well_as_by_its_number(engine: Engine, pick: str) -> None:
    offered = engine.ask("how does it work?")
    assert offered.kind == "clarify" and len(offered.suggestions) == 2
    assert engine.ask(pick, offered.context).text == engine.ask("2", offered.context).text


def test_a_pick_past_the_choices_keeps_them_and_more_words_are_a_question(
    engine: Engine,
) -> None:
    offered = engine.ask("how does it work?")
    again = engine.ask("option 7", offered.context)
    assert again.suggestions == offered.suggestions
    assert engine.picker.number("the second one causes dry mouth") is None


def test_a_prefix_written_apart_belongs_to_its_word() -> None:
    normaliser = StemNormaliser((), (), prefixes=("non",))
    assert "opioid" not in normaliser.text_stems("a non-opioid pain reliever")
    assert "opioid" in normaliser.text_stems("an opioid pain reliever")


@pytest.fixture(scope="module")
def two_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Engine]:
    """Pages imported with no hand-written aids, one knowledge each."""
    engines = {}
    for page in ("tramadol-acetaminophen", "cyclobenzaprine-meloxicam", "nortriptyline-topiramate"):
        root = tmp_path_factory.mktemp(page) / "knowledge"
        import_pages([PAGES / f"{page}.md"], root)
        engines[page] = Engine(load_knowledge(root))
    return engines


@pytest.mark.parametrize(
    ("page", "question", "drug"),
    [
        ("tramadol-acetaminophen", "which of the two is an opioid pain reliever", "tramadol"),
        ("cyclobenzaprine-meloxicam", "which of them is a muscle relaxant", "cyclobenzaprine"),
    ],
)
def test_a_reverse_look_up_of_a_class_quotes_only_the_texts_that_say_it(
    two_pages: dict[str, Engine], page: str, question: str, drug: str
) -> None:
    decision = two_pages[page].decide(question)
    assert isinstance(decision, Reverse) and decision.topic == "how_it_works"
    assert [found for found, _ in decision.found] == [drug]


def test_a_yes_no_check_of_a_word_no_list_knows_is_about_something_we_do_not_know(
    engine: Engine,
) -> None:
    assert engine.decide("does fizzbop make you constipated") == Fallback(
        "unknown_drug", names=("fizzbop",)
    )
    assert isinstance(engine.decide("which medicine makes you constipated"), Reverse)


def test_what_it_does_to_a_word_of_its_text_is_that_text_not_the_overview(
    engine: Engine,
) -> None:
    assert engine.decide("what does elavil do to norepinephrine") == Sections(
        "amitriptyline", ("how_it_works",), 100.0
    )


def test_work_for_is_a_use_check_of_the_words_after_it(engine: Engine) -> None:
    decision = engine.decide("does amitriptyline work for tinnitus")
    assert isinstance(decision, Check) and decision.topic == "usage"
    assert "tinnitus" in (decision.term, decision.concept.lower())


@pytest.mark.parametrize(
    ("question", "drug"),
    [
        ("does gaba pentin cause nausea", "gabapentin"),
        ("is ami trip tyline used for sleep", "amitriptyline"),
    ],
)
def test_one_of_our_names_split_in_words_is_still_that_drug(
    engine: Engine, question: str, drug: str
) -> None:
    assert engine.read(question).drugs == [drug]


def test_a_check_of_drugs_combined_asks_about_the_combination_not_which_one(
    engine: Engine,
) -> None:
    decision = engine.decide("will mixing neurontin with elavil make me more sleepy")
    assert decision == FaqAnswer("gabapentin-amitriptyline", "combined-side-effects", 100.0)
    assert isinstance(engine.decide("do both neurontin and elavil cause nausea"), Reverse)


@pytest.mark.parametrize(
    "question",
    [
        "any risk in taking neurontin and elavil together",
        "should i worry about combining them both",
    ],
)
def test_risk_and_worry_ask_whether_it_is_safe(engine: Engine, question: str) -> None:
    context = engine.ask("gabapentin and amitriptyline").context
    decision = engine.decide(question, context)
    assert decision == FaqAnswer("gabapentin-amitriptyline", "safe-together", 100.0)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("does elavil cause memory problems", "Memory problems"),
        ("neurontin hair loss?", "Hair loss"),
    ],
)
def test_a_check_names_what_was_asked_with_its_modifiers(
    engine: Engine, question: str, said: str
) -> None:
    decision = engine.decide(question)
    assert isinstance(decision, Check) and decision.concept == said


def test_a_yes_no_question_of_a_term_checks_it_where_the_knowledge_lists_it(
    engine: Engine,
) -> None:
    decision = engine.decide("is neurontin an antidepressant")
    assert isinstance(decision, Check) and decision.topic == "usage"
    cued = engine.decide("does neurontin cause depression")
    assert isinstance(cued, Check) and cued.topic == "side_effects"


def test_stems_differing_only_in_a_short_ending_meet() -> None:
    assert close("sweati", "sweat") and close("nauseous", "nausea")
    assert not close("heart", "heartburn") and not close("hand", "head")


def test_an_item_is_found_by_an_inflection_the_stemmer_keeps_apart(
    two_pages: dict[str, Engine],
) -> None:
    engine = two_pages["tramadol-acetaminophen"]
    listed = engine.knowledge.drugs["tramadol"].sections["side_effects"]
    assert "Sweating" in getattr(listed, "items", [])
    decision = engine.decide("does tramadol make you sweaty")  # no lay term says "sweaty"
    assert isinstance(decision, Check) and decision.found == ("Sweating",)


def test_a_word_of_the_lexicon_is_not_another_drugs_name(two_pages: dict[str, Engine]) -> None:
    engine = two_pages["cyclobenzaprine-meloxicam"]
    analysis = engine.read("does meloxicam give you a tummy ache")
    assert not analysis.others  # "ache" is a reference name (AChE), but here a lay word
    decision = engine.decide("does meloxicam give you a tummy ache")
    assert isinstance(decision, Check) and "Stomach pain" in decision.found


def test_a_word_inflected_like_the_pages_own_is_not_mended(two_pages: dict[str, Engine]) -> None:
    # "tingle" is no typo of "single": the page says "Tingling in hands and feet"
    engine = two_pages["nortriptyline-topiramate"]
    decision = engine.decide("can topiramate make my toes tingle")
    assert isinstance(decision, Check) and decision.found[0].startswith("Tingling")


@pytest.mark.parametrize(
    "question", ["does it cuase drowsyness", "can these pills cause blurryness"]
)
def test_only_the_subject_of_a_yes_no_question_can_be_a_medicine_we_do_not_know(
    engine: Engine, question: str
) -> None:
    decision = engine.decide(question)
    assert not (isinstance(decision, Fallback) and decision.reason == "unknown_drug")


def test_a_yes_no_question_of_a_lay_term_with_no_drug_looks_it_up_over_every_drug(
    engine: Engine,
) -> None:
    decision = engine.decide("is it normal to feel exhausted on these tablets")
    assert isinstance(decision, Reverse) and decision.term == "fatigue"


def test_one_drug_with_a_together_word_is_not_the_combination_page(engine: Engine) -> None:
    decision = engine.decide("what is elavil used for, alongside my physio")
    assert decision == Sections("amitriptyline", ("usage",))


def test_a_drug_told_of_before_the_question_is_not_asked_about(engine: Engine) -> None:
    story = "I used to take Cymbalta and paid a lot for it. What does elavil treat?"
    assert engine.decide(story) == Sections("amitriptyline", ("usage",))


@pytest.mark.parametrize(
    "message",
    ["I take tramadol. Can I take elavil with it?", "I take tramadol. Is elavil safe?"],
)
def test_a_question_pointing_back_or_about_safety_keeps_the_other_drug(
    engine: Engine, message: str
) -> None:
    decision = engine.decide(message)
    assert isinstance(decision, Fallback) and decision.reason == "drug_with_unknown"
