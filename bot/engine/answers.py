"""Wording the answers proper (sections, overviews, checks, reverse look-ups, FAQs and
combination pages); :mod:`bot.engine.render` words the rest and shapes every reply."""

from __future__ import annotations

from bot.engine import decisions as d
from bot.engine.replies import Context, ReplyFields
from bot.engine.texts import Texts
from bot.engine.wording import MAX_LISTED


def answer_body(r: Texts, x: d.Decision) -> tuple[str, ReplyFields]:
    if isinstance(x, d.Sections):
        return sections(r, x)
    if isinstance(x, d.Overview):
        return overview(r, x)
    if isinstance(x, d.Check):
        return check(r, x)
    if isinstance(x, d.Reverse):
        return reverse(r, x)
    if isinstance(x, d.FaqAnswer):
        return faq(r, x)
    if isinstance(x, d.Combination):
        return combination(r, x)
    raise TypeError(f"not an answer: {x!r}")


def sections(r: Texts, x: d.Sections) -> tuple[str, ReplyFields]:
    drug = r.kb.drugs[x.drug]
    parts = [r.section_text(x.drug, topic) or "" for topic in x.topics]
    label = ", ".join(r.topics[t].label.lower() for t in x.topics)
    first = x.topics[0]
    return "\n\n".join(parts), {
        "title": f"{drug.name}: {label}",
        "drug": drug.id,
        "topic": first,
        "entry": f"{drug.id}/{first}",
        "score": x.score,
        "context": Context((drug.id,), first),
    }


def overview(r: Texts, x: d.Overview) -> tuple[str, ReplyFields]:
    drug = r.kb.drugs[x.drug]
    names = r.messages.generic_name.format(name=drug.generic_name)
    if drug.brands:
        names += ". " + r.messages.brand_names.format(names=", ".join(drug.brands))
    parts = [names]
    parts += [t for t in (r.section_text(drug.id, topic, True) for topic in r.topics) if t]
    return "\n\n".join(parts), {
        "title": drug.name,
        "drug": drug.id,
        "topic": "overview",
        "entry": f"{drug.id}/overview",
        "score": x.score,
        "context": Context((drug.id,), None),
    }


def check(r: Texts, x: d.Check) -> tuple[str, ReplyFields]:
    """Is this side effect (or use) listed for the drug? Quote the items, or say it is not."""
    drug, term, topic = r.kb.drugs[x.drug], r.terms[x.term], r.topics[x.topic]
    listing = topic.listing or topic.label.lower()
    if x.found:
        first = r.messages.listed.format(
            concept=term.label.lower(), listing=listing, drug=drug.name
        )
        body = first + "\n" + "\n".join(f"• {item}" for item in x.found)
    else:
        body = r.messages.not_listed.format(
            concept=term.label, listing=listing, drug=drug.name, advice=topic.not_listed or ""
        )
    full = r.section_text(drug.id, x.topic)
    if full:
        body = f"{body}\n\n{full}"
    return body, {
        "title": f"{drug.name}: {topic.label.lower()}",
        "drug": drug.id,
        "topic": x.topic,
        "entry": f"{drug.id}/{x.topic}",
        "score": x.score,
        "context": Context((drug.id,), x.topic, x.term),
    }


def reverse(r: Texts, x: d.Reverse) -> tuple[str, ReplyFields]:
    """Which of our drugs list this term under the topic."""
    term, topic = r.terms[x.term], r.topics[x.topic]
    item = topic.item or topic.label.lower()
    if not x.found:
        among = r.messages.all_medicines if x.everyone else r.drug_names(x.drugs)
        body = r.messages.reverse_none.format(among=among, concept=term.label.lower(), item=item)
    else:
        shown = [f"• {r.kb.drugs[drug].name}: {it}" for drug, it in x.found[: MAX_LISTED * 2]]
        more = len(x.found) - len(shown)
        body = r.messages.reverse_found.format(concept=term.label, item=item)
        body += "\n" + "\n".join(shown)
        if more:
            body += "\n" + r.messages.and_more.format(count=more)
    return body, {
        "title": r.messages.reverse_title.format(concept=term.label),
        "topic": x.topic,
        "entry": f"term/{x.term}",
        "score": x.score,
    }


def faq(r: Texts, x: d.FaqAnswer) -> tuple[str, ReplyFields]:
    combination = r.kb.combinations[x.combination]
    entry = next(f for f in combination.faqs if f.id == x.faq)
    return f"**{entry.question}**\n{entry.answer}", {
        "title": combination.title,
        "drug": combination.drugs[0],
        "topic": "faq",
        "entry": f"{combination.id}#{entry.id}",
        "score": x.score,
        "context": Context(tuple(combination.drugs), "faq"),
    }


def combination(r: Texts, x: d.Combination) -> tuple[str, ReplyFields]:
    page = r.kb.combinations[x.combination]
    parts = [p for p in (page.about, page.combined_use) if p]
    if page.faqs:
        questions = "\n".join(f"• {f.question}" for f in page.faqs)
        parts.append(f"**{r.messages.common_questions}**\n{questions}")
    return "\n\n".join(parts) or page.title, {
        "title": page.title,
        "drug": page.drugs[0],
        "topic": "together",
        "entry": page.id,
        "score": x.score,
        "context": Context(tuple(page.drugs), "together"),
    }
