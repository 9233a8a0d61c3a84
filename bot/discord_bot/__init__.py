"""The Discord front end: Discord events and commands in, engine replies out.

One module, one job: ``runner`` (start-up), ``client`` (the bot class), ``messages`` (mentions,
answer channels, DMs), ``commands`` (slash commands), ``admin`` (``/medfaq channel``),
``answering`` (engine + follow-ups + question log), ``render`` (reply to embeds), ``views``
(buttons), ``cooldown``, ``followups``, ``sync`` (command sync only when changed), ``errors``
(the one error policy), ``texts`` (the adapter's own words).
"""
