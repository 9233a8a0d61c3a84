"""Safety first: is someone in danger now? Read before any matching.

message -> words (typos mended) -> signal spans by category (who, what, how much, when,
intent, states that need help now) -> figurative and past words take theirs away -> the first
rule of ``safety.yaml`` whose signals are all there -> an :class:`Assessment`.

The vocabulary, the rules and the reply texts are data (``knowledge/safety.yaml``); this
package is only the mechanism.
"""

from __future__ import annotations

from bot.engine.triage.assessment import NOTHING, Assessment
from bot.engine.triage.tokens import MAX_CHECKED
from bot.engine.triage.triage import Triage
from bot.knowledge.safety_schema import SafetyLevel as Concern

__all__ = ["MAX_CHECKED", "NOTHING", "Assessment", "Concern", "Triage"]
