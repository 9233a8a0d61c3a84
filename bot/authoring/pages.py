"""Parse a drug page in the seed's markdown format into a :class:`Page`.

The format (see ``../shared/seeds/gabapentin-amitriptyline.md``)::

    ---                                   front matter; ``title`` names the page
    title: Gabapentin + Amitriptyline
    ---
    # Gabapentin + Amitriptyline          the title again
    Intro paragraph.                      -> the combination's ``about``
    **Gabapentin**                        a drug section starts with the drug's name
    **Generic Name:** Gabapentin
    **Usage:** Primarily used to treat:   a lead-in line, then bullets
    * Nerve pain
    **Side Effects:** ...                 the same
    **How it Works:** text
    **Combined Use of ...**               a paragraph -> ``combined_use``
    **FAQs (...):**                       bullets ``* **Question?** Answer``
    **Disclaimer:** text
    **Note:** text

Sections may be missing or come in another order, headings may be ``## Markdown`` headings
instead of bold lines, and whitespace may vary. Only the page is read here; turning pages
into knowledge files is :mod:`bot.authoring.importer`'s job.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.yamlsource import KnowledgeError, Problem, read_text

from .page_builder import PageBuilder
from .page_model import (
    BOLD_HEADING,
    Block,
    Headings,
    Page,
    PageDrug,
    PageFaq,
    Section,
    bundled_headings,
    clean,
    field_of,
)

__all__ = [
    "Block",
    "Headings",
    "Page",
    "PageDrug",
    "PageFaq",
    "Section",
    "bundled_headings",
    "clean",
    "field_of",
    "parse_page",
    "read_page",
]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[*+•-]|\d+[.)])\s+(.*)$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")


def read_page(path: Path, headings: Headings | None = None) -> Page:
    """Read and parse one page; raise :class:`KnowledgeError` naming the page if it can't.
    ``headings``: the knowledge's topics (default: the bundled ones)."""
    return parse_page(path, read_text(path).lstrip("\ufeff"), headings)


def parse_page(path: Path, text: str, headings: Headings | None = None) -> Page:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    page = Page(path)
    body_start = 0
    front = _FRONT_MATTER.match(text)
    if front:
        page.title = _front_matter_title(path, front.group(1))
        body_start = front.group(0).count("\n")
    intro, sections = _split(text.split("\n")[body_start:], body_start + 1, page)
    PageBuilder(page, headings or bundled_headings()).build(intro, sections)
    if not page.drugs:
        raise KnowledgeError(
            [
                Problem(
                    path,
                    0,
                    "no drug sections found; a page needs a bold drug name line followed by "
                    "'**Generic Name:** ...' (see the seed page's format)",
                )
            ]
        )
    return page


def _front_matter_title(path: Path, source: str) -> str | None:
    # libyaml crashes the process on brackets nested thousands deep; front matter is a few
    # lines, so any bracket sends it to the pure-Python parser, which fails cleanly.
    loader = yaml.SafeLoader if "[" in source or "{" in source else _Loader
    try:
        # Composed, never constructed: an alias bomb (``&a [*b, *b, ...]``) stays a few
        # shared nodes instead of expanding to gigabytes; only the title's text is read.
        root = yaml.compose(source, Loader=loader)
    except RecursionError as exc:
        raise KnowledgeError([Problem(path, 2, "front matter nested too deeply")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise KnowledgeError(
            [Problem(path, line, "front matter is not valid YAML; check the lines between ---")]
        ) from exc
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "title":
            if not isinstance(value, yaml.ScalarNode) or value.tag.endswith(":null"):
                return None
            return clean(str(value.value)) or None
    return None


def _split(lines: list[str], first_line: int, page: Page) -> tuple[list[Block], list[Section]]:
    """Group lines into the intro's blocks and headed sections; take the ``# Title``."""
    intro: list[Block] = []
    sections: list[Section] = []
    blocks = intro
    last: Block | None = None
    for number, raw in enumerate(lines, start=first_line):
        line = raw.rstrip()
        if not line.strip() or _RULE.match(line):
            last = None  # a blank line or a rule ends a paragraph
            continue
        heading = _heading(line, number)
        if heading is not None:
            if heading.label.startswith("#"):  # a level-one heading: the page title
                page.title = page.title or clean(heading.label[1:]) or None
                last = None
                continue
            sections.append(heading)
            blocks, last = heading.blocks, None
            continue
        bullet = _BULLET.match(line)
        if bullet:
            last = Block("bullet", bullet.group(1), number)
            blocks.append(last)
        elif last is not None:  # a wrapped line continues its paragraph or bullet
            last.text += " " + line.strip()
        else:
            last = Block("para", line.strip(), number)
            blocks.append(last)
    return intro, sections


def _heading(line: str, number: int) -> Section | None:
    """A markdown heading, or a line that opens with bold text ending in ':' or alone."""
    markdown = _MD_HEADING.match(line)
    if markdown:
        text = markdown.group(2)
        if len(markdown.group(1)) == 1:
            return Section("#" + text, "", number, colon=False)
        label = clean(text)
        return Section(label.rstrip(":").strip(), "", number, colon=label.endswith(":"))
    bold = BOLD_HEADING.match(line.strip())
    if not bold:
        return None
    label, rest = bold.group(1).strip(), bold.group(2).strip()
    colon = label.endswith(":") or rest.startswith(":")
    if rest and not colon:  # a paragraph that merely starts in bold
        return None
    return Section(clean(label.rstrip(":")), clean(rest.removeprefix(":")), number, colon)
