"""The notification kinds the forums send (see portal.notifications.kinds)."""

from portal.notifications.kinds import register

REPLY = "community.reply"
MENTION = "community.mention"
ANSWER_ACCEPTED = "community.answer_accepted"

register(REPLY, label="Réponses dans les sujets que je suis")
register(MENTION, label="Mentions de mon nom")
register(ANSWER_ACCEPTED, label="Ma réponse acceptée")
