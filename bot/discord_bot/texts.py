"""The Discord adapter's own words (buttons, notices). Answers come from the knowledge base."""

from __future__ import annotations

OVERVIEW = "Overview"
"""The /drug topic choice for every section at once."""
HELPFUL = "Helpful"
NOT_HELPFUL = "Not helpful"
THANKS_HELPFUL = "Thanks, glad it helped."
THANKS_NOT_HELPFUL = (
    "Thanks for telling us. The server's moderators can see which answers were not helpful "
    "and improve them."
)
COOLDOWN = "You're asking quickly. Please wait {seconds} s before the next question."
EMPTY_MENTION = (
    "Ask me about a medicine, for example: "
    "`@{name} what are the side effects of gabapentin?` or use `/ask`."
)
ERROR = "Sorry, something went wrong on my side and I couldn't answer. Please try again later."
NEEDS_MANAGE_SERVER = "Only members with the Manage Server permission can change this."
NO_DMS = "I only answer in servers here, not in direct messages."
GUILD_ONLY = "This command works in a server, not in direct messages."
EMERGENCY_DM_SENT = "I have also sent this to you by direct message."
CHANNEL_ADDED = "I will now answer every message in {channel} as a question."
CHANNEL_ALREADY = "{channel} is already an answer channel."
CHANNEL_REMOVED = "{channel} is no longer an answer channel."
CHANNEL_NOT_ONE = "{channel} was not an answer channel."
CHANNEL_LIST = "Answer channels: {channels}"
CHANNEL_NONE = (
    "No answer channels yet. Members can still mention me or use `/ask` anywhere I can read."
)
NEEDS_MESSAGE_CONTENT = (
    "Note: to read messages in answer channels I need the Message Content intent. The bot's "
    "operator enables it in the Discord Developer Portal (Bot > Privileged Gateway Intents) "
    "and sets MEDFAQ_MESSAGE_CONTENT=true; until then I only answer mentions and `/ask`."
)
REPORT_WRONG = (
    "Found a wrong or unclear answer? Press **Not helpful** under it, and tell the server's "
    "moderators; maintainers review those answers."
)
RELOAD_OK = "Reloaded the knowledge: {summary}."
RELOAD_REFUSED = (
    "Reload refused: still answering from the last good knowledge ({summary}). "
    "Fix these and run `/medfaq reload` again:"
)
RELOAD_FAILED = (
    "Reload failed on my side; still answering from the last good knowledge. "
    "The bot's log says why."
)
RELOAD_MORE = "…and {count} more (`medfaq check` lists them all)"
NEEDS_OWNER_OR_MANAGE = (
    "Only members with the Manage Server permission, or the bot's owner, can reload."
)
ALERT_TITLE = "🚨 **Crisis alert**: a member was just given the emergency reply"
ALERT_MESSAGE = "in {channel}: {link}"
ALERT_COMMAND = "via {command} in {channel} (only they can see that reply)."
ALERT_ACTION = "Please check on them. Their words are not repeated here."
ALERTS_SET = (
    "Crisis alerts go to {channel}: when I give someone the emergency reply in this server, "
    "I post where it happened and a link there (never their words, never a ping)."
)
ALERTS_CANNOT_SEND = "Note: I cannot send messages in {channel} yet; give me that permission."
ALERTS_OFF = "Crisis alerts are off."
ALERTS_WERE_OFF = "Crisis alerts were already off."
REGION_SET = "The emergency reply in this server now names: {numbers}"
REGION_CLEARED = "The emergency reply in this server names the default numbers again."
REGION_TOO_LONG = "Please keep the numbers under {limit} characters."
REGION_EMPTY = "Give the numbers to show, e.g. `112, or 116 123 for the Samaritans`."
MENU_NO_TEXT = "That message has no text I can read, so there is nothing to answer."
POST_IN_CHANNEL = "Post in channel"
POSTED_ABOUT = "About this message: {link}"
POST_GONE = "This reply can no longer be posted (it was posted already, or I restarted)."
FORUM_ADDED = (
    "I will answer new posts in {forum} when I am confident (an answer, or help in an "
    "emergency), and stay quiet otherwise."
)
FORUM_ALREADY = "{forum} is already a help forum."
FORUM_REMOVED = "{forum} is no longer a help forum."
FORUM_NOT_ONE = "{forum} was not a help forum."
FORUM_LIST = "Help forums: {forums}"
FORUM_NONE = "No help forums yet. Add one with `/medfaq forum add`."
FORUM_TITLES_ONLY = (
    "Note: without the Message Content intent I read only each post's title (and messages "
    "that mention me). The bot's operator enables it in the Developer Portal and sets "
    "MEDFAQ_MESSAGE_CONTENT=true."
)
ONLY_AUTHOR = "Only the person who started this post can choose here; use `/ask` to ask yourself."
PRIVACY_INTRO = (
    "**What I keep about you.** Never your user id or name: only a salted hash of your id "
    "(`{hash}`), under which I log the questions you ask me, what I replied, and any buttons "
    "you pressed under my replies."
)
PRIVACY_NOTHING = "There is nothing logged under it."
PRIVACY_COUNTS = "Logged under it: {questions} question(s), {with_text} of them with your words."
PRIVACY_NO_TEXT_NOW = "This bot no longer keeps the words of new questions."
PRIVACY_WORDS_NOT_KEPT = "(words not kept)"
PRIVACY_DELETE_HINT = "The latest are above. **Delete all** removes every one of them."
PRIVACY_DELETE = "Delete all"
PRIVACY_CONFIRM = "Yes, delete everything"
PRIVACY_SURE = (
    "Delete every question logged under your hash, with my replies and your button clicks? "
    "This cannot be undone."
)
PRIVACY_DELETED = "Done: deleted {questions} question(s) and everything tied to them."
