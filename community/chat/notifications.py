"""The notification kind the live chat sends (see portal.notifications.kinds)."""

from portal.notifications.kinds import register

MENTION = "community.chat_mention"

register(MENTION, label="Mentions de mon nom dans la discussion en direct")
