"""Brand names as maintainers write them on a page."""

from __future__ import annotations

from bot.authoring.brands import page_brands, without_brands


def test_a_listed_bracket_on_the_generic_name_line() -> None:
    assert page_brands("Venlafaxine (brand name: Effexor XR)", None, "Venlafaxine") == [
        "Effexor XR",
        "Effexor",
    ]
    assert without_brands("Baclofen (brand name: Lioresal)") == "Baclofen"


def test_a_bracket_that_speaks_of_brands_in_a_sentence() -> None:
    line = "Methotrexate (brand names include Trexall tablets and the Otrexup and Rasuvo pens)"
    assert page_brands(line, None, "Methotrexate") == ["Trexall", "Otrexup", "Rasuvo"]
    assert without_brands(line) == "Methotrexate"


def test_the_intro_bracket_right_after_the_drugs_name() -> None:
    intro = (
        "**Ibuprofen** (sold under brand names such as Advil, Motrin and Nurofen) and "
        "**codeine** are painkillers (a combined tablet is sold in the UK)."
    )
    assert page_brands("Ibuprofen", intro, "Ibuprofen") == ["Advil", "Motrin", "Nurofen"]
    assert page_brands("Codeine", intro, "Codeine") == []


def test_a_bracket_of_other_words_is_kept_and_names_no_brand() -> None:
    line = "Folic acid (a man-made form of folate, also known as vitamin B9)"
    assert page_brands(line, None, "Folic acid") == []
    assert without_brands(line) == line
