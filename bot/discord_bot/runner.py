"""``medfaq run``: read the settings, load the knowledge, open the question log, start the bot.

Every failure at start is one readable line and exit 1, never a traceback. The token is a
:class:`~pydantic.SecretStr` until the moment it is handed to discord.py, and a logging filter
masks it should anything ever try to log it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sqlite3
import sys
from collections.abc import Callable
from typing import Any

import aiohttp
import discord
import yarl

from bot.engine.engine import Engine
from bot.knowledge.loading import KnowledgeBase, bundled_knowledge_dir
from bot.knowledge.yamlsource import KnowledgeError
from bot.runtime.cache import load_engine
from bot.runtime.logformat import formatter
from bot.runtime.reloading import KnowledgeHolder
from bot.runtime.settings import Settings
from bot.runtime.store import StorageError, Store, describe, open_store

from . import monitoring
from .answering import Answerer
from .client import MedfaqBot
from .cooldown import Cooldown
from .services import Services

log = logging.getLogger(__name__)

NO_TOKEN = (
    "medfaq: no Discord token: set DISCORD_TOKEN in the environment or in a .env file "
    "(see the README's Discord section)"
)


class RedactToken(logging.Filter):
    """Replace the token wherever it would appear in a log line."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._secret and self._secret in message:
            record.msg = message.replace(self._secret, "[token]")
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if self._secret in text:
                record.exc_info = None
                record.exc_text = text.replace(self._secret, "[token]")
        return True


def setup_logging(level: str, secret: str, kind: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(kind))
    handler.addFilter(RedactToken(secret))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # discord.py's own HTTP/gateway chatter is noise below WARNING unless debugging.
    logging.getLogger("discord").setLevel("DEBUG" if level == "DEBUG" else "WARNING")
    logging.getLogger("discord.client").setLevel(level)


REAL_GATEWAY = yarl.URL("wss://gateway.discord.gg/")


def point_at(settings: Settings) -> None:
    """Test only: talk to a fake Discord (MEDFAQ_DISCORD_API_BASE, MEDFAQ_DISCORD_GATEWAY)."""
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    if settings.discord_gateway:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway)


def gateway_overridden() -> bool:
    """Is discord.py pointed at another gateway (a fake Discord in tests)?"""
    return discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY != REAL_GATEWAY


def build_bot(
    settings: Settings, knowledge: Engine | KnowledgeHolder, store: Store, **options: Any
) -> MedfaqBot:
    """The bot with its parts; ``options`` go to discord.py (tests shorten timeouts).

    ``knowledge`` is the holder ``/medfaq reload`` and ``--watch`` reload, or an engine (held
    from its knowledge directory). With the gateway URL overridden and no shard count set, the
    bot runs one shard on that URL rather than asking ``/gateway/bot`` where to connect (that
    would name the real one).
    """
    if settings.shard_count is None and gateway_overridden():
        settings = settings.model_copy(update={"shard_count": 1})
    if isinstance(knowledge, Engine):
        knowledge = KnowledgeHolder(
            knowledge.knowledge.root, engine_factory(settings), engine=knowledge
        )
    services = Services(
        answerer=Answerer(knowledge, store),
        cooldown=Cooldown(burst=settings.cooldown_burst, seconds=settings.cooldown_seconds),
        crisis_cooldown=Cooldown(burst=settings.cooldown_burst, seconds=settings.cooldown_seconds),
        store=store,
        settings=settings,
    )
    bot = MedfaqBot(services, **options)
    monitoring.watch(bot)
    return bot


def engine_factory(settings: Settings) -> Callable[[KnowledgeBase], Engine]:
    """How a (re)loaded knowledge base becomes an engine with this deployment's numbers."""

    def make(knowledge: KnowledgeBase) -> Engine:
        return Engine(knowledge, emergency_numbers=settings.emergency_numbers)

    return make


def shard_problem(settings: Settings) -> str | None:
    """What is wrong with the shard settings, in one line; None if nothing."""
    count, ids = settings.shard_count, settings.shard_ids
    if not ids:
        return None
    if count is None:
        return "MEDFAQ_SHARD_IDS (--shard-ids) needs MEDFAQ_SHARD_COUNT (--shard-count) as well"
    outside = [i for i in ids if not 0 <= i < count]
    if outside:
        return (
            f"shard id {outside[0]} is outside 0..{count - 1}: with MEDFAQ_SHARD_COUNT={count} "
            f"the shard ids are 0 to {count - 1}"
        )
    if len(set(ids)) != len(ids):
        return "MEDFAQ_SHARD_IDS names a shard twice"
    return None


def run_bot(settings: Settings) -> int:
    """``medfaq run`` with the settings the command line read (options already applied)."""
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        print(NO_TOKEN, file=sys.stderr)
        return 1
    if problem := shard_problem(settings):
        print(f"medfaq: {problem}", file=sys.stderr)
        return 1
    holder = _knowledge(settings)
    if holder is None:
        return 1
    token = settings.discord_token.get_secret_value().strip()
    setup_logging(settings.log_level, token, settings.log_format)
    summary = holder.engine.knowledge.summary()
    log.info("knowledge loaded from %s: %s", holder.root, summary)
    if settings.shard_count is not None:
        ids = settings.shard_ids or range(settings.shard_count)
        log.info("running shards %s of %d", ",".join(map(str, ids)), settings.shard_count)
    try:
        store = open_store(settings.db, store_question_text=settings.store_question_text)
    except (StorageError, OSError, sqlite3.Error) as exc:
        log.error("cannot open the question log: %s (set MEDFAQ_DB)", exc)
        return 1
    log.info("question log: %s", describe(settings.db))
    point_at(settings)
    try:
        return asyncio.run(_serve(build_bot(settings, holder, store), token))
    except KeyboardInterrupt:
        return 0
    finally:
        store.close()
        log.info("question log closed")


def _knowledge(settings: Settings) -> KnowledgeHolder | None:
    """The knowledge to answer from; None (after printing every ``file:line`` problem to
    standard error) if it does not validate.

    Loaded through the knowledge cache (``MEDFAQ_CACHE_DIR``, else the per-user cache folder),
    like ``medfaq ask``, which also freezes the engine out of the cyclic garbage collector: a
    full collection that walked thousands of drugs would stall the event loop for tens to
    hundreds of milliseconds."""
    path = settings.knowledge or bundled_knowledge_dir()
    try:
        engine = load_engine(
            path, cache_dir=settings.cache_dir, emergency_numbers=settings.emergency_numbers
        )
        return KnowledgeHolder(path, engine_factory(settings), engine=engine)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            f"medfaq: the knowledge in {path} has {len(exc.problems)} problem(s); "
            "fix them (medfaq check lists them) and start again",
            file=sys.stderr,
        )
        return None


async def _serve(bot: MedfaqBot, token: str) -> int:
    """Run until Discord or a signal stops the bot. SIGTERM and SIGINT shut down cleanly
    (:meth:`MedfaqBot.shutdown`): discord.py's own ``run`` does not handle SIGTERM."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(signum, bot.request_shutdown)
    try:
        async with bot, monitoring.health_endpoint(bot):
            await bot.start(token)
    except discord.LoginFailure:
        log.error("Discord refused the token: check DISCORD_TOKEN (Developer Portal > Bot)")
        return 1
    except discord.PrivilegedIntentsRequired:
        log.error(
            "the Message Content intent is not enabled for this bot: enable it in the "
            "Developer Portal (Bot > Privileged Gateway Intents) or unset MEDFAQ_MESSAGE_CONTENT"
        )
        return 1
    except (discord.HTTPException, discord.GatewayNotFound, aiohttp.ClientError, OSError) as exc:
        log.error("cannot reach Discord: %s", exc)
        return 1
    log.info("stopped")
    return 0
