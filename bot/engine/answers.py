"""Wording the answers proper (sections, overviews, checks, reverse look-ups, FAQs and
combination pages); :mod:`bot.engine.render` words the rest and shapes every reply."""

from __future__ import annotations

from bot.engine import decisions as d
from bot.engine.replies import Context, ReplyFields
from bot.engine.texts import Texts
from bot.engine.wording import MAX_LISTED
from bot.knowledge.schema import ListSection


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
    """Is this side effect (or use) listed for the drug? Quote the items that name it, or say
    it is not listed; then the rest of the list, in one short sentence."""
    drug, topic = r.kb.drugs[x.drug], r.topics[x.topic]
    term = r.terms.get(x.term)
    listing = topic.listing or topic.label.lower()
    # A lay term is named by its label; else the item itself is quoted ("Yes: increased
    # sweating is among ..."), or the words asked are said not to be listed.
    concept = term.label if term else (x.found[0] if x.found else x.concept)
    if x.found:
        body = r.messages.listed.format(concept=concept.lower(), listing=listing, drug=drug.name)
        body += "\n" + "\n".join(f"• {item}" for item in x.found)
    else:
        plural = concept.casefold().endswith("s") and not concept.casefold().endswith("ss")
        template = r.messages.not_listed_many if plural else r.messages.not_listed
        body = template.format(
            concept=concept, listing=listing, drug=drug.name, advice=topic.not_listed or ""
        )
    section = drug.sections.get(x.topic)
    rest = (
        [i for i in section.items if i not in x.found] if isinstance(section, ListSection) else []
    )
    if rest:
        shown = rest[:MAX_LISTED]
        more = len(rest) - len(shown)
        names = r.listing([*shown, r.messages.more.format(count=more)] if more else shown)
        body += "\n\n" + r.messages.full_list.format(listing=listing, drug=drug.name, items=names)
    return body, {
        "title": f"{drug.name}: {topic.label.lower()}",
        "drug": drug.id,
        "topic": x.topic,
        "entry": f"{drug.id}/{x.topic}",
        "score": x.score,
        "context": Context((drug.id,), x.topic, x.term or None),
    }


def reverse(r: Texts, x: d.Reverse) -> tuple[str, ReplyFields]:
    """Which of our drugs list this term (or the words asked) under the topic; for a text
    topic, what their texts say."""
    term, topic = r.terms.get(x.term), r.topics[x.topic]
    concept = term.label if term else x.concept
    item = topic.item or topic.label.lower()
    shown_drugs = tuple(dict.fromkeys(drug for drug, _ in x.found))
    if not x.found:
        among = r.messages.all_medicines if x.everyone else r.drug_names(x.drugs)
        body = r.messages.reverse_none.format(among=among, concept=concept.lower(), item=item)
    elif topic.section == "text":
        lines = [f"**{r.kb.drugs[drug].name}**: {text}" for drug, text in x.found]
        body = r.kb.conversation.texts["reverse_text"].format(concept=concept)
        body += "\n" + "\n".join(lines)
    else:
        shown = [f"• {r.kb.drugs[drug].name}: {it}" for drug, it in x.found[: MAX_LISTED * 2]]
        more = len(x.found) - len(shown)
        body = r.messages.reverse_found.format(concept=concept, item=item)
        body += "\n" + "\n".join(shown)
        if more:
            body += "\n" + r.messages.and_more.format(count=more)
    return body, {
        "title": r.messages.reverse_title.format(concept=concept),
        "drug": shown_drugs[0] if len(shown_drugs) == 1 else None,
        "topic": x.topic,
        "entry": f"term/{x.term}" if x.term else f"reverse/{x.topic}",
        "score": x.score,
        # "is that one also used for sleep?" speaks of the drugs just found.
        "context": Context(shown_drugs or x.drugs, x.topic, x.term or None),
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
