"""A fake Discord on 127.0.0.1: the REST API under ``/api/v10`` and the gateway websocket.

Reusable by any test that needs the real bot to talk to "Discord" (``conftest.running_bot``
starts the bot in-process; ``test_run_process`` runs ``python -m bot run`` against it):

    async with FakeDiscord() as fake:
        # point discord.py at fake.api_base / fake.gateway_url, start the bot, then
        await fake.wait_ready()
        start = len(fake.calls)
        await fake.dispatch("MESSAGE_CREATE", fake.mention("side effects of gabapentin?"))
        call = await fake.wait_for_call("POST", f"/channels/{CHANNEL_ID}/messages", after=start)
        assert "Dizziness" in call.content  # content + embed titles, descriptions, footers

Builders: :meth:`message` (``guild=False`` for a DM), :meth:`mention`, :meth:`slash`,
:meth:`autocomplete`, :meth:`click` (a button on a message the bot sent, from
:attr:`messages`), :meth:`interaction` (any other). Two members (:attr:`member_user`, and
:attr:`admin_user` who has Manage Server when given ``ADMIN_PERMISSIONS``) and another bot.

It records every REST call (:attr:`calls`) and every gateway payload from the bot
(:attr:`received`), answers with ``Content-Type: application/json`` exactly (discord.py checks
it), sends HELLO, READY and GUILD_CREATE, acknowledges heartbeats and resumes sessions.
:meth:`fail_next` makes chosen routes fail (429 with ``retry_after``, 500, 502) for fault tests,
and :meth:`drop_connections` closes the gateway sockets to test a resume.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

API_PREFIX = "/api/v10"
JSON = "application/json"
EPOCH_MS = 1_420_070_400_000

BOT_ID = 900_000_000_000_000_001
APP_ID = BOT_ID
GUILD_ID = 800_000_000_000_000_001
CHANNEL_ID = 810_000_000_000_000_001
ANSWER_CHANNEL_ID = 810_000_000_000_000_002
MODS_CHANNEL_ID = 810_000_000_000_000_003
OTHER_GUILD_ID = 800_000_000_000_000_002
"""A server that has not added the bot (a member uses their own install of the app there)."""
OTHER_GUILD_CHANNEL_ID = 820_000_000_000_000_001
GROUP_DM_ID = 830_000_000_000_000_001
FORUM_ID = 810_000_000_000_000_004
MEMBER_ID = 700_000_000_000_000_001
ADMIN_ID = 700_000_000_000_000_002
OTHER_BOT_ID = 700_000_000_000_000_099

PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content
MANAGE_GUILD = 1 << 5
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 31)  # view, send, use application commands
USE_EXTERNAL_APPS = 1 << 50
GUILD_CONTEXT, BOT_DM_CONTEXT, PRIVATE_CHANNEL_CONTEXT = 0, 1, 2
ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | MANAGE_GUILD


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str
    """Without the ``/api/v10`` prefix, e.g. ``/channels/1/messages``."""
    query: dict[str, str]
    body: Any
    at: float = field(default_factory=time.monotonic)

    @property
    def content(self) -> str:
        """Everything a person would read: content plus embed titles, descriptions, footers."""
        body = self.body if isinstance(self.body, dict) else {}
        data = body.get("data", body) if "type" in body and "data" in body else body
        parts = [data.get("content") or ""]
        for embed in data.get("embeds") or []:
            parts.append(embed.get("title") or "")
            parts.append(embed.get("description") or "")
            parts.extend(f.get("value", "") for f in embed.get("fields") or [])
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(p for p in parts if p)

    @property
    def payload(self) -> dict[str, Any]:
        """The message part of the body (an interaction callback wraps it in ``data``)."""
        body = self.body if isinstance(self.body, dict) else {}
        if "type" in body and "data" in body and isinstance(body["data"], dict):
            return body["data"]  # type: ignore[no-any-return]
        return body

    @property
    def custom_ids(self) -> list[str]:
        ids: list[str] = []
        for row in self.payload.get("components") or []:
            ids.extend(c["custom_id"] for c in row.get("components", []) if "custom_id" in c)
        return ids


@dataclass
class Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    times: int
    retry_after: float = 0.05


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def snowflake_now() -> int:
    return (int(time.time() * 1000) - EPOCH_MS) << 22


class FakeDiscord:
    def __init__(self) -> None:
        self.bot_user = user(BOT_ID, "medfaq", bot=True)
        self.member_user = user(MEMBER_ID, "member")
        self.admin_user = user(ADMIN_ID, "admin")
        self.other_bot = user(OTHER_BOT_ID, "otherbot", bot=True)
        self.calls: list[Call] = []
        self.received: list[dict[str, Any]] = []
        """Every gateway payload the bot sent (IDENTIFY, heartbeats, RESUME)."""
        self.commands: dict[str, list[dict[str, Any]]] = {}
        """Registered commands by scope: "global" or the guild id."""
        self.messages: dict[int, dict[str, Any]] = {}
        self.failures: list[Failure] = []
        self.delays: list[Failure] = []
        """Routes answered only after a while (``status`` unused, ``retry_after`` the delay)."""
        self.request_log: list[str] = []
        """Every raw request line and header block, to check nothing leaks in them."""
        self._ids = itertools.count(snowflake_now())
        self._sockets: list[web.WebSocketResponse] = []
        self._shard_of: dict[web.WebSocketResponse, int] = {}
        self._seq = itertools.count(1)
        self._ready = asyncio.Event()
        self._call_added = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.sessions = 0
        self.resumes = 0
        self.privileged = True
        """Whether the application has the privileged intents enabled in the portal."""

    # ---- lifecycle -------------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def next_id(self) -> int:
        return next(self._ids)

    # ---- waiting and asserting -------------------------------------------------------

    async def wait_ready(self, timeout: float = 10.0) -> None:
        """Until the bot identified (after syncing its commands) and got READY, GUILD_CREATE."""
        await asyncio.wait_for(self._ready.wait(), timeout)

    def expect_new_session(self) -> None:
        """Before starting another bot: make :meth:`wait_ready` wait for its IDENTIFY."""
        self._ready.clear()

    async def wait_for_call(
        self,
        method: str,
        path: str | re.Pattern[str],
        *,
        after: int = 0,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> Call:
        """The first call at index >= ``after`` matching; ``path`` is exact or a regex."""

        def find() -> Call | None:
            for call in self.calls[after:]:
                if call.method != method:
                    continue
                ok = (
                    path.fullmatch(call.path) if isinstance(path, re.Pattern) else call.path == path
                )
                if ok and (where is None or where(call)):
                    return call
            return None

        async with self._call_added:
            await asyncio.wait_for(self._call_added.wait_for(lambda: find() is not None), timeout)
        found = find()
        assert found is not None
        return found

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Poll ``condition`` until it holds (for state that no call announces)."""

        async def poll() -> None:
            while not condition():
                await asyncio.sleep(0.02)

        await asyncio.wait_for(poll(), timeout)

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until the bot has made no call for ``quiet`` seconds."""
        while True:
            count = len(self.calls)
            await asyncio.sleep(quiet)
            if len(self.calls) == count:
                return

    def calls_that_could_ping(self) -> list[Call]:
        """Messages the bot sent whose ``allowed_mentions`` would let anyone be pinged."""
        risky = []
        for call in self.calls:
            if call.method not in ("POST", "PATCH") or not isinstance(call.body, dict):
                continue
            if call.body.get("type") == 8:  # autocomplete choices are not a message
                continue
            payload = call.payload
            if "content" not in payload and "embeds" not in payload:
                continue
            allowed = payload.get("allowed_mentions")
            if (
                not isinstance(allowed, dict)
                or allowed.get("parse") != []
                or any(allowed.get(key) for key in ("users", "roles", "replied_user"))
            ):
                risky.append(call)
        return risky

    def calls_since(self, index: int) -> list[Call]:
        return self.calls[index:]

    def fail_next(
        self, method: str, pattern: str, status: int, *, times: int = 1, retry_after: float = 0.05
    ) -> None:
        """Make the next ``times`` matching calls fail with ``status`` (429, 500, 502, ...)."""
        self.failures.append(Failure(method, re.compile(pattern), status, times, retry_after))

    def delay_next(self, method: str, pattern: str, seconds: float, *, times: int = 1) -> None:
        """Answer the next ``times`` matching calls only after ``seconds`` (a reply in flight)."""
        self.delays.append(Failure(method, re.compile(pattern), 200, times, seconds))

    async def drop_connections(self, code: int = 4000) -> None:
        """Close every gateway socket (the bot should reconnect and RESUME)."""
        for ws in list(self._sockets):
            await ws.close(code=code)

    # ---- gateway ---------------------------------------------------------------------

    @property
    def shards(self) -> set[int]:
        """The shards connected now (identified, not closed)."""
        return {n for ws, n in self._shard_of.items() if not ws.closed}

    async def dispatch(self, event: str, data: dict[str, Any], *, shard: int | None = None) -> None:
        """Send a DISPATCH event to every connected shard, or to the one numbered ``shard``."""
        for ws in list(self._sockets):
            if not ws.closed and (shard is None or self._shard_of.get(ws) == shard):
                await ws.send_str(
                    json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data})
                )

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45_000}}))
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                self.received.append(payload)
                await self._on_gateway(ws, payload)
        finally:
            self._sockets.remove(ws)
            self._shard_of.pop(ws, None)
        return ws

    async def _on_gateway(self, ws: web.WebSocketResponse, payload: dict[str, Any]) -> None:
        op = payload.get("op")
        if op == 1:
            await ws.send_str(json.dumps({"op": 11}))
        elif op == 2:
            if payload["d"].get("intents", 0) & PRIVILEGED_INTENTS and not self.privileged:
                await ws.close(code=4014, message=b"Disallowed intent(s).")
                return
            self.sessions += 1
            shard = payload["d"].get("shard", [0, 1])
            self._shard_of[ws] = shard[0]
            await self._send(ws, "READY", self._ready_payload(shard))
            if shard[0] == 0:
                await self._send(ws, "GUILD_CREATE", self.guild())
            self._ready.set()
        elif op == 6:
            self.resumes += 1
            await self._send(ws, "RESUMED", {})

    async def _send(self, ws: web.WebSocketResponse, event: str, data: dict[str, Any]) -> None:
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data}))

    def _ready_payload(self, shard: list[int]) -> dict[str, Any]:
        guilds = [{"id": str(GUILD_ID), "unavailable": True}] if shard[0] == 0 else []
        return {
            "v": 10,
            "user": self.bot_user,
            "guilds": guilds,
            "session_id": f"session-{self.sessions}",
            "resume_gateway_url": self.gateway_url,
            "shard": shard,
            "application": {"id": str(APP_ID), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }

    def guild(self) -> dict[str, Any]:
        return {
            "id": str(GUILD_ID),
            "name": "Chronic pain support",
            "icon": None,
            "owner_id": str(ADMIN_ID),
            "unavailable": False,
            "member_count": 3,
            "large": False,
            "features": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "system_channel_flags": 0,
            "nsfw_level": 0,
            "roles": [
                {
                    "id": str(GUILD_ID),
                    "name": "@everyone",
                    "permissions": str(MEMBER_PERMISSIONS),
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "emojis": [],
            "stickers": [],
            "channels": [
                text_channel(CHANNEL_ID, "general", 0),
                text_channel(ANSWER_CHANNEL_ID, "ask-meds", 1),
                text_channel(MODS_CHANNEL_ID, "mods", 2),
                forum_channel(FORUM_ID, "help", 3),
            ],
            "threads": [],
            "members": [
                {
                    "user": self.bot_user,
                    "roles": [],
                    "joined_at": _now_iso(),
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                }
            ],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "joined_at": _now_iso(),
        }

    # ---- events a test dispatches ----------------------------------------------------

    def message(
        self,
        content: str,
        *,
        author: dict[str, Any] | None = None,
        channel_id: int = CHANNEL_ID,
        guild: bool = True,
        mentions: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A MESSAGE_CREATE payload; ``guild=False`` makes it a DM."""
        author = author or self.member_user
        data: dict[str, Any] = {
            "id": str(self.next_id()),
            "channel_id": str(channel_id),
            "author": author,
            "content": content,
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content,
            "mentions": mentions
            if mentions is not None
            else ([self.bot_user] if f"<@{BOT_ID}>" in content else []),
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }
        if guild:
            data["guild_id"] = str(GUILD_ID)
            data["member"] = {"roles": [], "joined_at": _now_iso(), "deaf": False, "mute": False}
        return data

    def forum_post(
        self,
        title: str,
        content: str,
        *,
        author: dict[str, Any] | None = None,
        forum_id: int = FORUM_ID,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """A new post in a forum, as Discord sends it: THREAD_CREATE (the thread, named by the
        title, owned by the author) and the starter MESSAGE_CREATE (its id is the thread's)."""
        author = author or self.member_user
        thread_id = self.next_id()
        thread = {
            "id": str(thread_id),
            "guild_id": str(GUILD_ID),
            "parent_id": str(forum_id),
            "owner_id": author["id"],
            "name": title,
            "type": 11,
            "last_message_id": str(thread_id),
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "rate_limit_per_user": 0,
            "flags": 0,
            "applied_tags": [],
            "newly_created": True,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 4320,
                "archive_timestamp": _now_iso(),
                "locked": False,
                "create_timestamp": _now_iso(),
            },
        }
        starter = self.message(content, author=author, channel_id=thread_id)
        starter["id"] = str(thread_id)
        return thread, starter

    async def post_in_forum(self, thread: dict[str, Any], starter: dict[str, Any]) -> None:
        """Dispatch a :meth:`forum_post` the way Discord does: the thread, then its message."""
        await self.dispatch("THREAD_CREATE", thread)
        await self.dispatch("MESSAGE_CREATE", starter)

    def mention(self, question: str, **options: Any) -> dict[str, Any]:
        return self.message(f"<@{BOT_ID}> {question}", **options)

    def interaction(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        user: dict[str, Any] | None = None,
        permissions: int = MEMBER_PERMISSIONS,
        channel_id: int = CHANNEL_ID,
        message: dict[str, Any] | None = None,
        guild: bool = True,
        context: int | None = None,
        installs: tuple[str, ...] = ("guild",),
        locale: str = "en-US",
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE payload (2: command, 3: component, 4: autocomplete).

        ``context``: where it was used (0: a server, the bot's server unless ``installs`` is
        only ``("user",)``; 1: a DM with the bot; 2: another DM or a group DM); default 0, or 1
        with ``guild=False``. ``installs``: which installs authorised it, "guild" and / or
        "user" (the member's own install of the app), as ``authorizing_integration_owners``.
        """
        user = user or self.member_user
        if context is None:
            context = GUILD_CONTEXT if guild else BOT_DM_CONTEXT
        in_bots_server = "guild" in installs
        guild_id = GUILD_ID if in_bots_server else OTHER_GUILD_ID
        owners: dict[str, str] = {}
        if "guild" in installs:
            owners["0"] = str(guild_id) if context == GUILD_CONTEXT else "0"
        if "user" in installs:
            owners["1"] = user["id"]
        payload: dict[str, Any] = {
            "id": str(self.next_id()),
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "channel_id": str(channel_id),
            "token": f"itoken-{self.next_id()}",
            "version": 1,
            "locale": locale,
            "app_permissions": str(MEMBER_PERMISSIONS | (1 << 14) | (1 << 16)),
            "entitlements": [],
            "authorizing_integration_owners": owners,
            "context": context,
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if context == GUILD_CONTEXT:
            if not in_bots_server and channel_id == CHANNEL_ID:
                channel_id = OTHER_GUILD_CHANNEL_ID
                payload["channel_id"] = str(channel_id)
            payload["guild_id"] = str(guild_id)
            payload["guild_locale"] = "en-US"
            payload["guild"] = {"id": str(guild_id), "locale": "en-US", "features": []}
            channel = text_channel(channel_id, "general", 0, guild_id)
            payload["channel"] = channel
            payload["member"] = {
                "user": user,
                "roles": [],
                "joined_at": _now_iso(),
                "deaf": False,
                "mute": False,
                "permissions": str(permissions),
                "flags": 0,
            }
        elif context == BOT_DM_CONTEXT:
            payload["channel"] = {"id": str(channel_id), "type": 1, "recipients": [user]}
            payload["user"] = user
        else:
            if channel_id == CHANNEL_ID:
                channel_id = GROUP_DM_ID
                payload["channel_id"] = str(channel_id)
            friend = _user(700_000_000_000_000_050, "friend")
            payload["channel"] = {
                "id": str(channel_id),
                "type": 3,
                "recipients": [user, friend],
                "owner_id": user["id"],
                "name": None,
                "icon": None,
            }
            payload["user"] = user
        if message is not None:
            payload["message"] = message
        return payload

    def command_id(self, name: str) -> str:
        for scope in self.commands.values():
            for command in scope:
                if command["name"] == name:
                    return str(command["id"])
        return "0"

    def slash(
        self, name: str, options: list[dict[str, Any]] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """A chat-input command; ``options`` as Discord sends them (name, type, value)."""
        data = {"id": self.command_id(name), "name": name, "type": 1, "options": options or []}
        return self.interaction(2, data, **kwargs)

    def autocomplete(
        self, name: str, options: list[dict[str, Any]], **kwargs: Any
    ) -> dict[str, Any]:
        data = {"id": self.command_id(name), "name": name, "type": 1, "options": options}
        return self.interaction(4, data, **kwargs)

    def message_command(self, name: str, target: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """A message context-menu command (type 3) on ``target`` (a :meth:`message` payload),
        which Discord sends whole in ``resolved.messages``."""
        resolved = {k: v for k, v in target.items() if k not in ("guild_id", "member")}
        data = {
            "id": self.command_id(name),
            "name": name,
            "type": 3,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: resolved}},
        }
        return self.interaction(2, data, channel_id=int(target["channel_id"]), **kwargs)

    def sent_with(self, custom_id: str) -> dict[str, Any]:
        """The message the bot sent that carries the component ``custom_id``."""
        for message in reversed(self.messages.values()):
            for row in message.get("components") or []:
                if any(c.get("custom_id") == custom_id for c in row.get("components", [])):
                    return message
        raise AssertionError(f"the bot sent no message with {custom_id!r}")

    def click(self, message: dict[str, Any], custom_id: str, **kwargs: Any) -> dict[str, Any]:
        """A button press on a message the bot sent (as recorded by this fake)."""
        data = {"custom_id": custom_id, "component_type": 2}
        return self.interaction(3, data, message=message, **kwargs)

    # ---- REST ------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        raw = await request.read()
        self.request_log.append(f"{request.method} {request.path_qs}\n{dict(request.headers)}\n")
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        call = Call(request.method, path, dict(request.query), body)
        failure = self._failure_for(call)
        delay = self._matching(self.delays, call)
        async with self._call_added:
            self.calls.append(call)
            self._call_added.notify_all()
        if delay is not None:
            await asyncio.sleep(delay.retry_after)
        if failure is not None:
            return self._failure_response(failure)
        status, data = self._route(call)
        if status == 204:
            return web.Response(status=204)
        return json_response(status, data)

    def _failure_for(self, call: Call) -> Failure | None:
        return self._matching(self.failures, call)

    @staticmethod
    def _matching(failures: list[Failure], call: Call) -> Failure | None:
        for failure in failures:
            matches = failure.method == call.method and failure.pattern.fullmatch(call.path)
            if failure.times > 0 and matches:
                failure.times -= 1
                return failure
        return None

    def _failure_response(self, failure: Failure) -> web.Response:
        if failure.status == 429:
            data = {
                "message": "You are being rate limited.",
                "retry_after": failure.retry_after,
                "global": False,
            }
            headers = {
                "Content-Type": JSON,
                "Retry-After": str(failure.retry_after),
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": str(failure.retry_after),
                "X-RateLimit-Bucket": "fake",
                "X-RateLimit-Scope": "user",
                # discord.py takes a 429 without "Via" for a Cloudflare ban and gives up.
                "Via": "1.1 google",
            }
            return json_response(429, data, headers)
        return json_response(failure.status, {"message": "Server error", "code": 0})

    def _route(self, call: Call) -> tuple[int, Any]:
        method, path = call.method, call.path
        app = str(APP_ID)
        if method == "GET" and path == "/gateway/bot":
            return 200, {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        if method == "GET" and path == "/gateway":
            return 200, {"url": self.gateway_url}
        if method == "GET" and path == "/users/@me":
            return 200, self.bot_user
        if method == "GET" and path == "/oauth2/applications/@me":
            return 200, self._application()
        if match := re.fullmatch(rf"/applications/{app}(?:/guilds/(\d+))?/commands", path):
            scope = match.group(1) or "global"
            if method == "PUT":
                self.commands[scope] = [self._registered(c, match.group(1)) for c in call.body]
            return 200, self.commands.get(scope, [])
        if method == "POST" and (match := re.fullmatch(r"/channels/(\d+)/messages", path)):
            return 200, self._store_message(int(match.group(1)), call.payload)
        if method == "POST" and path == "/users/@me/channels":
            recipient = call.body.get("recipient_id")
            return 200, {
                "id": str(self.dm_channel_id(int(recipient))),
                "type": 1,
                "recipients": [user(int(recipient), "member")],
                "last_message_id": None,
            }
        if method == "POST" and re.fullmatch(r"/interactions/\d+/[^/]+/callback", path):
            return 200, self._callback(call)
        if match := re.fullmatch(rf"/webhooks/{app}/[^/]+(?:/messages/(@original|\d+))?", path):
            return 200, self._store_message(CHANNEL_ID, call.payload, webhook=True)
        return 404, {"message": f"fake Discord has no route {method} {path}", "code": 0}

    def dm_channel_id(self, user_id: int) -> int:
        return 600_000_000_000_000_000 + user_id % 1_000_000

    def _application(self) -> dict[str, Any]:
        return {
            "id": str(APP_ID),
            "name": "medfaq",
            "icon": None,
            "description": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.admin_user,
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "summary": "",
        }

    def _registered(self, command: dict[str, Any], guild_id: str | None) -> dict[str, Any]:
        registered = {
            "id": str(self.next_id()),
            "application_id": str(APP_ID),
            "version": "1",
            "type": 1,
            "options": [],
            "default_member_permissions": None,
            "dm_permission": True,
            "nsfw": False,
            "description": "",
            **command,
        }
        if guild_id:
            registered["guild_id"] = guild_id
        return registered

    def _store_message(
        self, channel_id: int, payload: dict[str, Any], *, webhook: bool = False
    ) -> dict[str, Any]:
        message_id = self.next_id()
        message = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": self.bot_user,
            "content": payload.get("content") or "",
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": payload.get("embeds") or [],
            "components": payload.get("components") or [],
            "pinned": False,
            "type": 19 if payload.get("message_reference") else 0,
            "flags": payload.get("flags") or 0,
        }
        if webhook:
            message["webhook_id"] = str(APP_ID)
        self.messages[message_id] = message
        return message

    def _callback(self, call: Call) -> dict[str, Any]:
        body = call.body or {}
        kind = body.get("type")
        interaction_id = call.path.split("/")[2]
        result: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool((body.get("data") or {}).get("flags", 0) & 64),
            }
        }
        if kind in (4, 7):
            message = self._store_message(CHANNEL_ID, body.get("data") or {}, webhook=True)
            result["interaction"]["response_message_id"] = message["id"]
            result["resource"] = {"type": kind, "message": message}
        return result


def text_channel(
    channel_id: int, name: str, position: int, guild_id: int = GUILD_ID
) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
    }


def forum_channel(channel_id: int, name: str, position: int) -> dict[str, Any]:
    return {
        **text_channel(channel_id, name, position),
        "type": 15,
        "available_tags": [],
        "default_reaction_emoji": None,
        "default_thread_rate_limit_per_user": 0,
        "default_sort_order": None,
        "default_forum_layout": 0,
        "flags": 0,
    }


_user = user


def json_response(status: int, data: Any, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with ``Content-Type: application/json`` exactly: discord.py compares the header
    to that string, and aiohttp's ``text=``/``json_response`` would add "; charset=utf-8"."""
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={**(headers or {}), "Content-Type": JSON},
    )


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()
