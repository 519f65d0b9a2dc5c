"""The notification kinds the Communauté sends (see portal.notifications.kinds)."""

from portal.notifications.kinds import register

register("community.join_request", label="Demandes d'adhésion à mes espaces (animateurs)")
register("community.join_decided", label="Réponse à mes demandes d'adhésion")
