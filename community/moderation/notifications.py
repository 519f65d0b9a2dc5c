"""The notification kinds moderation sends (see portal.notifications.kinds)."""

from portal.notifications.kinds import register

REPORT_HANDLED = "community.report_handled"

register(REPORT_HANDLED, label="Suite donnée à mes signalements")
