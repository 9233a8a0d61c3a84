"""Small builders shared by the e2e tests: interactions, ``/medfaq`` subcommands, messages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..support.fake_discord import (
    ADMIN_PERMISSIONS,
    APP_ID,
    CHANNEL_ID,
    MEMBER_PERMISSIONS,
    Call,
    FakeDiscord,
)

EPHEMERAL = 64
ANY_MESSAGE = re.compile(r"/channels/\d+/messages")
FOLLOWUP = re.compile(rf"/webhooks/{APP_ID}/[^/]+")


def option(name: str, value: Any, kind: int = 3) -> dict[str, Any]:
    return {"name": name, "type": kind, "value": value}


def flags(call: Call) -> int:
    body = call.body if isinstance(call.body, dict) else {}
    data = body.get("data", body) if "type" in body else body
    return int(data.get("flags") or 0)


async def interact(fake: FakeDiscord, payload: dict[str, Any]) -> Call:
    """Dispatch an interaction and return the bot's callback for it."""
    start = len(fake.calls)
    await fake.dispatch("INTERACTION_CREATE", payload)
    path = f"/interactions/{payload['id']}/{payload['token']}/callback"
    return await fake.wait_for_call("POST", path, after=start)


async def interact_deferred(fake: FakeDiscord, payload: dict[str, Any]) -> tuple[Call, Call]:
    """An interaction answered "thinking" first, then by a follow-up: both calls."""
    start = len(fake.calls)
    callback = await interact(fake, payload)
    followup = await fake.wait_for_call(
        "POST", FOLLOWUP, after=start, where=lambda c: payload["token"] in c.path
    )
    return callback, followup


def medfaq(
    fake: FakeDiscord,
    *path: str,
    options: list[dict[str, Any]] | None = None,
    resolved: dict[str, Any] | None = None,
    user: dict[str, Any] | None = None,
    permissions: int = MEMBER_PERMISSIONS,
    channel_id: int = CHANNEL_ID,
) -> dict[str, Any]:
    """``/medfaq <path...>`` as Discord sends it: a subcommand, nested in its group if any."""
    node: dict[str, Any] = {"name": path[-1], "type": 1, "options": options or []}
    for name in reversed(path[:-1]):
        node = {"name": name, "type": 2, "options": [node]}
    data: dict[str, Any] = {
        "id": fake.command_id("medfaq"),
        "name": "medfaq",
        "type": 1,
        "options": [node],
    }
    if resolved:
        data["resolved"] = resolved
    return fake.interaction(
        2, data, user=user or fake.member_user, permissions=permissions, channel_id=channel_id
    )


def as_admin(fake: FakeDiscord, *path: str, **options: Any) -> dict[str, Any]:
    """``/medfaq <path...>`` by a member with Manage Server."""
    return medfaq(fake, *path, user=fake.admin_user, permissions=ADMIN_PERMISSIONS, **options)


def channel_option(
    channel_id: int, name: str, *, channel_type: int = 0, option_name: str = "channel"
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A channel option and the ``resolved`` data Discord sends with it."""
    resolved = {
        "channels": {
            str(channel_id): {
                "id": str(channel_id),
                "name": name,
                "type": channel_type,
                "permissions": str(MEMBER_PERMISSIONS),
                "parent_id": None,
            }
        }
    }
    return [option(option_name, str(channel_id), kind=7)], resolved


def posts_since(fake: FakeDiscord, start: int, channel_id: int | None = None) -> list[Call]:
    """Messages the bot posted (to one channel, if given) since call ``start``."""
    return [
        c
        for c in fake.calls[start:]
        if c.method == "POST"
        and ANY_MESSAGE.fullmatch(c.path)
        and (channel_id is None or c.path == f"/channels/{channel_id}/messages")
    ]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
