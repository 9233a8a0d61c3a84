"""The Discord front end: Discord events and commands in, engine replies out.

One module, one job:

- ``runner``: ``medfaq run``: settings, token, logging, knowledge, question log, start.
- ``client``: the bot class, its intents, permissions and invite URL.
- ``services``: what the parts share (answerer, knowledge holder, cooldowns, guild settings,
  alerts, store, settings).
- ``messages``: mentions, answer channels and DMs as questions.
- ``commands``: ``/ask``, ``/drug``, ``/sideeffects``, ``/about`` and their autocomplete.
- ``admin``: ``/medfaq channel|alerts|region ...`` and ``/medfaq reload``.
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
- ``texts``: the adapter's own words.
"""
