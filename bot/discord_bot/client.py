"""The bot: an :class:`~discord.ext.commands.AutoShardedBot` that can never ping anyone.

``setup_hook`` starts the worker threads, adds the parts (loudly: a part that fails to load
stops the start) and syncs the slash commands when they changed; with ``MEDFAQ_WATCH`` it also
polls the knowledge files and reloads them when they change (logging the outcome). Intents are
the unprivileged ones the bot uses, plus message content only when ``MEDFAQ_MESSAGE_CONTENT``
is on (answer channels).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from typing import Any

import discord
from discord.ext import commands

from bot.runtime.reloading import ReloadResult
from bot.runtime.retention import prune_daily

from .admin import AdminCommands
from .commands import AskCommands
from .errors import Tree
from .menu import PostButton, ask_menu
from .messages import MessageQuestions
from .privacy import DeleteButton, PrivacyCommands
from .services import Services
from .sync import sync_if_changed
from .views import FeedbackButton, PickButton

log = logging.getLogger(__name__)

SHUTDOWN_GRACE_SECONDS = 5.0
"""How long a shutdown waits for replies in flight before it closes anyway."""

WORKER_THREADS = 4
"""Threads for the blocking work (``asyncio.to_thread``: the question log, guild settings,
reloads). The question log's SQLite connection is behind one lock, so more would only wait."""

SCOPES = ("bot", "applications.commands")
USER_SCOPES = ("applications.commands",)
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    read_message_history=True,
)
"""Only what the bot uses: read the channel, reply (a reply needs message history), embeds."""


def bot_intents(*, message_content: bool) -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = message_content
    return intents


class MedfaqBot(commands.AutoShardedBot):
    def __init__(self, services: Services, **options: Any) -> None:
        settings = services.settings
        # The bot never joins voice: no warnings about missing voice libraries.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            tree_cls=Tree,
            intents=bot_intents(message_content=settings.message_content),
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=settings.shard_count,
            shard_ids=settings.shard_ids or None,  # type: ignore[arg-type]  # None: all
            # No message cache: nothing here reads a cached message (buttons are persistent
            # items), and discord.py's default keeps the last 1,000 messages of every channel
            # the bot sees, about 11,000 objects that each full garbage collection walks.
            max_messages=options.pop("max_messages", None),
            **options,
        )
        self.services = services
        self._watcher: asyncio.Task[None] | None = None
        self._pruner: asyncio.Task[None] | None = None
        self._stopping: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        start_worker_threads(asyncio.get_running_loop())
        await self.add_cog(AskCommands(self.services))
        await self.add_cog(AdminCommands(self.services))
        await self.add_cog(MessageQuestions(self, self.services))
        await self.add_cog(PrivacyCommands(self.services))
        self.tree.add_command(ask_menu())
        self.add_dynamic_items(PickButton, FeedbackButton, PostButton, DeleteButton)
        if self.application_id is None:
            raise RuntimeError("Discord did not say which application this bot is")
        log.info("invite URL: %s", invite_url(self.application_id))
        log.info("user install URL: %s", user_install_url(self.application_id))
        try:
            await sync_if_changed(
                self.tree,
                self.services.store,
                application_id=self.application_id,
                dev_guild=self.services.settings.dev_guild,
            )
        except discord.HTTPException as exc:
            # Mentions and DMs still work; the next start tries the sync again.
            log.error("could not sync the slash commands (HTTP %s): %s", exc.status, exc.text)
        settings = self.services.settings
        if settings.retention_days is not None:
            self._pruner = asyncio.create_task(
                prune_daily(self.services.store, settings.retention_days), name="medfaq-prune"
            )
        if settings.watch:
            holder = self.services.knowledge
            log.info("watching %s for changes every %g s", holder.root, settings.watch_seconds)
            self._watcher = asyncio.create_task(
                holder.watch(settings.watch_seconds, on_result=log_reload), name="medfaq-watch"
            )

    def request_shutdown(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """SIGTERM / SIGINT: shut down cleanly (once, however many signals come)."""
        if self._stopping is None:
            self._stopping = asyncio.create_task(self.shutdown(grace), name="medfaq-shutdown")

    async def shutdown(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Close the gateway (no new events), let the replies in flight finish (at most
        ``grace`` seconds), then close the bot; the runner then closes the question log."""
        in_flight = self.services.in_flight
        log.info("shutting down: closing the gateway, %d reply(ies) in flight", in_flight.count)
        for shard in self.shards.values():
            with contextlib.suppress(Exception):
                await shard.disconnect()
        if not await in_flight.wait_idle(grace):
            log.warning(
                "shutting down with %d reply(ies) unfinished after %g s", in_flight.count, grace
            )
        await self.close()

    async def close(self) -> None:
        for task in (self._watcher, self._pruner):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await super().close()

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: messages are handled by :class:`MessageQuestions` only."""

    async def on_ready(self) -> None:
        log.info("connected as %s, in %d servers", self.user, len(self.guilds))

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        log.exception("error in event %s; the bot stays up", event_method)


async def log_reload(result: ReloadResult) -> None:
    """The watcher's report: the new summary, or that the last good knowledge stays."""
    if result.ok:
        log.info("knowledge changed on disk and was reloaded: %s", result.summary)
    else:
        log.error(
            "knowledge changed on disk but has %d problem(s) (listed above); still answering "
            "from the last good knowledge (%s)",
            len(result.problems),
            result.summary,
        )


def start_worker_threads(
    loop: asyncio.AbstractEventLoop, count: int = WORKER_THREADS
) -> concurrent.futures.ThreadPoolExecutor:
    """Give ``loop`` a default executor whose ``count`` threads are all running now, at start.

    asyncio's own starts a thread at a time as work arrives, and the event loop waits for each
    new thread to run (over 10 ms on a busy 2-core machine, measured by the end-to-end bench)
    in the middle of answering; here that happens once, before the bot connects.
    """
    executor = concurrent.futures.ThreadPoolExecutor(count, thread_name_prefix="medfaq-worker")
    everyone = threading.Barrier(count)
    # A worker that has not yet met the others is busy, so each submit starts another thread.
    started = [executor.submit(everyone.wait, 10.0) for _ in range(count)]
    concurrent.futures.wait(started)
    loop.set_default_executor(executor)
    return executor


def invite_url(application_id: int) -> str:
    """The guild install: a server admin adds the bot."""
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=SCOPES)


def user_install_url(application_id: int) -> str:
    """The user install: a member adds the app to their own account (commands only; needs
    User Install ticked on the Developer Portal's Installation page)."""
    url = discord.utils.oauth_url(application_id, scopes=USER_SCOPES)
    return f"{url}&integration_type=1"
