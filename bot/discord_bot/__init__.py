"""The Discord front end: Discord events and commands in, engine replies out.

One module, one job:

- ``runner``: ``medfaq run``: settings, token, logging, knowledge, question log, start.
- ``client``: the bot class, its intents, permissions and invite URL.
- ``services``: what the parts share (answerer, knowledge holder, cooldowns, guild settings,
  alerts, store, settings).
- ``messages``: mentions, answer channels, help forum posts and DMs as questions.
- ``forums``: which messages in a help forum are questions, and which replies it gets.
- ``commands``: ``/ask``, ``/drug``, ``/sideeffects``, ``/about`` and their autocomplete,
  installable by a server or by a member on their own account.
- ``menu``: "Ask medfaq" on any message, and its "Post in channel" button.
- ``privacy``: ``/privacy``: what the question log keeps about a member, and deleting it.
- ``admin``: ``/medfaq channel|forum|alerts|region ...`` and ``/medfaq reload``.
- ``answering``: engine (read from the reloadable holder) + follow-up context + question log.
- ``guilds``: per-guild settings (answer channels, alert channel, emergency numbers), cached.
- ``alerts``: crisis alerts to a guild's moderators' channel.
- ``followups``: the follow-up context per (channel, member).
- ``cooldown``: the per-member rate limit.
- ``render``: a reply as embeds or plain text within Discord's limits.
- ``delivery``: sending rendered replies to messages and interactions.
- ``views``: clarify and feedback buttons that survive restarts.
- ``sync``: slash command sync only when the commands changed.
- ``errors``: the one error policy.
- ``inflight``: replies in flight, which a shutdown (SIGTERM, SIGINT) lets finish.
- ``texts``: the adapter's own words.
"""
