"""Drug sections checked against the topics declared in ``lexicon/topics.yaml``.

The topics are data: a drug file's ``sections`` may hold any declared topic, in the shape
(list or text) its declaration gives, and nothing else.
"""

from __future__ import annotations

from bot.knowledge.lexicon_schema import TopicsFile
from bot.knowledge.schema import Drug, ListSection
from bot.knowledge.yamlsource import Problem, YamlDocument

CHECK_WORDING = ("listing", "item", "not_listed")
"""What a list topic must say for checks and reverse look-ups to be worded."""


def check_topics(topics: TopicsFile, document: YamlDocument, problems: list[Problem]) -> None:
    defaults = [t for t, topic in topics.topics.items() if topic.default_check]
    for topic_id in defaults[1:]:
        problems.append(
            document.problem(
                ("topics", topic_id, "default_check"),
                f"only one topic may be the default check; {defaults[0]!r} already is",
            )
        )
    for topic_id, topic in topics.topics.items():
        if topic.section != "list":
            continue
        for name in CHECK_WORDING:
            if getattr(topic, name) is None:
                problems.append(
                    document.problem(
                        ("topics", topic_id),
                        f"list topic {topic_id!r} needs {name!r}, the words its checks use "
                        "(see the other list topics)",
                    )
                )


def check_sections(
    drugs: list[tuple[Drug, YamlDocument]], topics: TopicsFile, problems: list[Problem]
) -> None:
    declared = ", ".join(topics.topics)
    for drug, document in drugs:
        for topic_id, section in drug.sections.items():
            topic = topics.topics.get(topic_id)
            where = ("sections", topic_id)
            if topic is None:
                problems.append(
                    document.problem(
                        where,
                        f"unknown topic {topic_id!r}; use one of {declared}, or declare it "
                        "in lexicon/topics.yaml",
                    )
                )
                continue
            shape = "list" if isinstance(section, ListSection) else "text"
            if shape != topic.section:
                wanted = "'lead' and 'items'" if topic.section == "list" else "'text'"
                problems.append(
                    document.problem(
                        where,
                        f"{topic_id!r} is declared a {topic.section} topic in "
                        f"lexicon/topics.yaml; write its section with {wanted}",
                    )
                )
