"""A synthetic knowledge base: drug pages in the source page's markdown format.

Two invented drugs a page, like ``../shared/seeds/gabapentin-amitriptyline.md``: generic name,
usage, side effects, how it works, combined use, FAQs, disclaimer and note. Uses and side
effects are mostly the lay terms of the bundled lexicon, so benchmark questions hit them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from bench.names import NameMaker
from bench.wording import (
    ALWAYS_FAQS,
    CLASSES,
    EFFECTS,
    EXTRA_SIDE_EFFECTS,
    EXTRA_USES,
    MORE_FAQS,
    PLACES,
    TARGETS,
)
from bot.knowledge.loading import KnowledgeBase
from bot.knowledge.schema import ListSection


@dataclass
class SyntheticDrug:
    name: str
    brands: list[str]
    usage: list[str]
    side_effects: list[str]
    how_it_works: str


@dataclass
class SyntheticPage:
    slug: str
    drugs: tuple[SyntheticDrug, SyntheticDrug]
    faqs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.drugs[0].name} + {self.drugs[1].name}"


@dataclass
class Vocabulary:
    """The lay terms of the lexicon, split into uses and side effects."""

    uses: list[str]
    side_effects: list[str]

    @classmethod
    def from_knowledge(cls, knowledge: KnowledgeBase) -> Vocabulary:
        used = " ".join(
            item.casefold()
            for drug in knowledge.drugs.values()
            if isinstance(usage := drug.sections.get("usage"), ListSection)
            for item in usage.items
        )
        uses: list[str] = []
        side_effects: list[str] = []
        for term in knowledge.terms.terms:
            item = term.listed[0].capitalize()
            (uses if any(w in used for w in term.listed) else side_effects).append(item)
        return cls(
            uses=uses + list(EXTRA_USES), side_effects=side_effects + list(EXTRA_SIDE_EFFECTS)
        )


def make_pages(
    count: int, rng: random.Random, names: NameMaker, vocabulary: Vocabulary
) -> list[SyntheticPage]:
    pages = []
    for _ in range(count):
        first, second = make_drug(rng, names, vocabulary), make_drug(rng, names, vocabulary)
        slug = f"{first.name}-{second.name}".casefold()
        page = SyntheticPage(slug=slug, drugs=(first, second))
        chosen = list(ALWAYS_FAQS) + rng.sample(MORE_FAQS, rng.randint(2, 3))
        page.faqs = [
            (q.format(a=first.name, b=second.name), a.format(a=first.name, b=second.name))
            for q, a in chosen
        ]
        pages.append(page)
    return pages


def make_drug(rng: random.Random, names: NameMaker, vocabulary: Vocabulary) -> SyntheticDrug:
    name = names.generic()
    brands = [names.brand() for _ in range(rng.choice((0, 1, 1, 2)))]
    how = (
        f"{name} is {article(rng.choice(CLASSES))} that works by changing the levels of "
        f"{rng.choice(TARGETS)} in the {rng.choice(PLACES)}, helping to {rng.choice(EFFECTS)}."
    )
    return SyntheticDrug(
        name=name,
        brands=brands,
        usage=rng.sample(vocabulary.uses, rng.randint(2, 4)),
        side_effects=rng.sample(vocabulary.side_effects, rng.randint(4, 7)),
        how_it_works=how,
    )


def article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def render_page(page: SyntheticPage) -> str:
    """The page in the seed's markdown format."""
    first, second = page.drugs
    lines = [
        "---",
        "layout: minimal",
        "nav_exclude: true",
        f"title: {page.title}",
        "---",
        "",
        f"# {page.title}",
        "",
        f"**{first.name} and {second.name} are two separate medications** that are often "
        "prescribed together but taken as distinct pills. The information below describes each "
        "drug individually and then briefly addresses their combined use.",
        "",
    ]
    for drug in page.drugs:
        lines += [
            "",
            f"**{drug.name}**",
            "",
            f"**Generic Name:** {drug.name}",
            "",
            "**Usage:** Primarily used to treat:",
            *(f"* {item}" for item in drug.usage),
            "",
            "**Side Effects:** Common side effects include:",
            *(f"* {item}" for item in drug.side_effects),
            "",
            "",
            f"**How it Works:** {drug.how_it_works}",
            "",
        ]
    lines += [
        "",
        f"**Combined Use of {first.name} and {second.name}**",
        "",
        f"The combination of {first.name} and {second.name} is sometimes prescribed to manage "
        "chronic conditions, because the drugs have different mechanisms of action.",
        "",
        "**FAQs (regarding combined use):**",
        "",
        *(f"* **{question}** {answer}" for question, answer in page.faqs),
        "",
        "**Disclaimer:** This information is for educational purposes only and should not be "
        "considered medical advice. Always consult with a healthcare professional before "
        f"starting, stopping, or changing any medication, including {first.name} and "
        f"{second.name}.",
        "",
        "",
        "**Note:** This information is AI-generated or crowd-sourced and may not be accurate. "
        "Please consult a medical professional for verified advice.",
    ]
    return "\n".join(lines) + "\n"


def write_pages(pages: list[SyntheticPage], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for page in pages:
        path = folder / f"{page.slug}.md"
        path.write_text(render_page(page), encoding="utf-8")
        paths.append(path)
    return paths


def add_brands(knowledge_dir: Path, pages: list[SyntheticPage]) -> int:
    """Add brand names to imported drug files, as a maintainer would by hand after an import
    (pages carry no brands). Returns how many files got some."""
    brands = {drug.name: drug.brands for page in pages for drug in page.drugs if drug.brands}
    changed = 0
    for path in sorted((knowledge_dir / "drugs").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        name = next((ln[len("name: ") :].strip() for ln in lines if ln.startswith("name: ")), "")
        if name not in brands:
            continue
        at = next(i for i, ln in enumerate(lines) if ln.startswith("generic_name:"))
        lines.insert(at + 1, f"brands: [{', '.join(brands[name])}]\n")
        path.write_text("".join(lines), encoding="utf-8")
        changed += 1
    return changed
