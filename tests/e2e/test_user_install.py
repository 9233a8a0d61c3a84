"""A member's own install of the app: /ask, /drug, /sideeffects, /about in DMs, group DMs and
servers that have not added the bot; admin commands stay with the server install.

Interactions carry ``authorizing_integration_owners`` ("1": the member, for a user install) and
``context`` (0: a server, 1: a DM with the bot, 2: another DM or a group DM), as Discord sends.
"""

from __future__ import annotations

from ..support.fake_discord import (
    BOT_DM_CONTEXT,
    GUILD_CONTEXT,
    MEMBER_ID,
    MEMBER_PERMISSIONS,
    MODS_CHANNEL_ID,
    OTHER_GUILD_ID,
    PRIVATE_CHANNEL_CONTEXT,
    USE_EXTERNAL_APPS,
)
from .conftest import Running
from .helpers import EPHEMERAL, as_admin, flags, interact, option

DISCLAIMER = "Not medical advice"
NO_PING = {"parse": []}
QUESTION = "what are the side effects of gabapentin?"
EMERGENCY = "I took too many pills"


async def test_member_commands_install_everywhere_and_admin_commands_stay_in_servers(
    running: Running,
) -> None:
    registered = {c["name"]: c for c in running.fake.commands["global"]}
    for name in ("ask", "drug", "sideeffects", "about", "Ask medfaq", "privacy"):
        assert sorted(registered[name]["integration_types"]) == [0, 1], name
        assert sorted(registered[name]["contexts"]) == [0, 1, 2], name
    assert registered["medfaq"]["integration_types"] == [0]
    assert registered["medfaq"]["contexts"] == [0]


async def test_user_install_ask_in_a_dm_with_the_bot(running: Running) -> None:
    fake = running.fake
    payload = fake.slash(
        "ask", [option("question", QUESTION)], context=BOT_DM_CONTEXT, installs=("user",)
    )
    assert payload["authorizing_integration_owners"] == {"1": str(MEMBER_ID)}
    call = await interact(fake, payload)
    assert "Dizziness" in call.content and DISCLAIMER in call.content
    assert call.body["data"]["allowed_mentions"] == NO_PING
    assert not flags(call) & EPHEMERAL
    (logged,) = running.store.questions()
    assert (logged.source, logged.kind, logged.guild_id) == ("slash", "answer", None)


async def test_user_install_ask_in_a_group_dm(running: Running) -> None:
    fake = running.fake
    payload = fake.slash(
        "sideeffects",
        [option("drug", "amitriptyline")],
        context=PRIVATE_CHANNEL_CONTEXT,
        installs=("user",),
    )
    call = await interact(fake, payload)
    assert "Dry mouth" in call.content and DISCLAIMER in call.content
    assert call.body["data"]["allowed_mentions"] == NO_PING


async def test_user_install_in_a_server_without_the_bot_is_private_unless_allowed(
    running: Running,
) -> None:
    fake = running.fake
    private = fake.slash(
        "ask", [option("question", QUESTION)], context=GUILD_CONTEXT, installs=("user",)
    )
    assert private["guild_id"] == str(OTHER_GUILD_ID)
    call = await interact(fake, private)
    assert "Dizziness" in call.content and DISCLAIMER in call.content
    assert flags(call) & EPHEMERAL, "Discord shows it to the member only: say so"
    assert call.body["data"]["allowed_mentions"] == NO_PING

    allowed = fake.slash(
        "ask",
        [option("question", QUESTION)],
        context=GUILD_CONTEXT,
        installs=("user",),
        permissions=MEMBER_PERMISSIONS | USE_EXTERNAL_APPS,
    )
    call = await interact(fake, allowed)
    assert "Dizziness" in call.content and not flags(call) & EPHEMERAL

    about = await interact(fake, fake.slash("about", context=GUILD_CONTEXT, installs=("user",)))
    assert flags(about) & EPHEMERAL and DISCLAIMER in about.content


async def test_emergency_numbers_follow_the_locale_where_no_server_set_them(
    running: Running,
) -> None:
    fake = running.fake
    dm = fake.slash(
        "ask",
        [option("question", EMERGENCY)],
        context=BOT_DM_CONTEXT,
        installs=("user",),
        locale="de",
    )
    call = await interact(fake, dm)
    assert "112 in Germany" in call.content and flags(call) & EPHEMERAL
    assert call.body["data"]["allowed_mentions"] == NO_PING

    # A server without the bot: the British member gets the UK's numbers, privately, and no
    # server's crisis alert can fire (that server never set any up with this bot).
    start = len(fake.calls)
    elsewhere = fake.slash(
        "ask",
        [option("question", EMERGENCY)],
        context=GUILD_CONTEXT,
        installs=("user",),
        locale="en-GB",
    )
    call = await interact(fake, elsewhere)
    assert "999 or 112 in the UK" in call.content and flags(call) & EPHEMERAL
    await fake.settle(0.3)
    assert not [c for c in fake.calls[start:] if c.path == f"/channels/{MODS_CHANNEL_ID}/messages"]

    # A language with no numbers in the knowledge: the generic text.
    unknown = fake.slash(
        "ask",
        [option("question", EMERGENCY)],
        context=BOT_DM_CONTEXT,
        installs=("user",),
        locale="xx-YY",
    )
    call = await interact(fake, unknown)
    assert "911 in the US and Canada" in call.content  # the deployment's default numbers


async def test_the_bots_own_server_keeps_its_own_numbers(running: Running) -> None:
    fake = running.fake
    await interact(
        fake, as_admin(fake, "region", "set", options=[option("numbers", "112 or 1813")])
    )
    both = fake.slash(
        "ask", [option("question", EMERGENCY)], installs=("guild", "user"), locale="de"
    )
    call = await interact(fake, both)
    assert "112 or 1813" in call.content and "Germany" not in call.content
