"""The per-member cooldown and the follow-up context: pure logic, no Discord."""

from __future__ import annotations

from bot.discord_bot.cooldown import Cooldown, Verdict
from bot.discord_bot.followups import FollowUps
from bot.engine.replies import Context


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_one_notice_then_silence_until_the_window_passes() -> None:
    clock = Clock()
    cooldown = Cooldown(burst=2, seconds=10, clock=clock)
    verdicts = [cooldown.check(1).verdict for _ in range(5)]
    assert verdicts == [
        Verdict.ALLOW,
        Verdict.ALLOW,
        Verdict.NOTIFY,
        Verdict.SILENT,
        Verdict.SILENT,
    ]
    assert cooldown.check(2).allowed  # other members are not affected
    clock.now += 10
    assert cooldown.check(1).allowed
    assert cooldown.check(1).allowed
    assert cooldown.check(1).verdict is Verdict.NOTIFY


def test_retry_after_counts_down() -> None:
    clock = Clock()
    cooldown = Cooldown(burst=1, seconds=10, clock=clock)
    cooldown.check(1)
    clock.now += 4
    decision = cooldown.check(1)
    assert not decision.allowed and decision.retry_after == 6


def test_zero_seconds_disables_the_cooldown() -> None:
    cooldown = Cooldown(burst=1, seconds=0)
    assert all(cooldown.check(1).allowed for _ in range(100))


def test_a_flood_of_members_is_bounded_in_memory() -> None:
    from bot.discord_bot import cooldown as module

    cooldown = Cooldown(burst=1, seconds=60)
    for member in range(module.MAX_TRACKED + 100):
        cooldown.check(member)
    assert len(cooldown._asked) <= module.MAX_TRACKED


def test_follow_ups_expire_and_are_per_channel_and_member() -> None:
    clock = Clock()
    follow_ups = FollowUps(ttl=300, clock=clock)
    context = Context(drugs=("gabapentin",), topic="side_effects")
    follow_ups.remember((1, 42), context)
    assert follow_ups.get((1, 42)) == context
    assert follow_ups.get((2, 42)) is None
    assert follow_ups.get((1, 43)) is None
    clock.now += 301
    assert follow_ups.get((1, 42)) is None


def test_follow_ups_forget_the_oldest_beyond_capacity() -> None:
    follow_ups = FollowUps(capacity=2)
    for member in range(3):
        follow_ups.remember((1, member), Context(drugs=("gabapentin",)))
    assert follow_ups.get((1, 0)) is None
    assert follow_ups.get((1, 2)) is not None


def test_an_empty_context_clears_the_conversation() -> None:
    follow_ups = FollowUps()
    follow_ups.remember((1, 1), Context(drugs=("gabapentin",)))
    follow_ups.remember((1, 1), Context())
    assert follow_ups.get((1, 1)) is None
