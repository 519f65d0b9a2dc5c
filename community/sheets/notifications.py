"""The notification kinds practice sheets send (see portal.notifications.kinds)."""

from portal.notifications.kinds import register

SHEET_SUBMITTED = "community.sheet_submitted"
SHEET_REVIEWED = "community.sheet_reviewed"

register(SHEET_SUBMITTED, label="Fiches pratiques proposées dans mes espaces")
register(SHEET_REVIEWED, label="Décision sur mes fiches pratiques")
