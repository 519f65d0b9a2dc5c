"""The notifications' part of a person's data export (see portal.people.personal_data)."""

from portal.notifications import kinds
from portal.notifications.models import Notification, NotificationPreference


def export(user) -> dict:
    return {
        "notifications": [
            {
                "type": kinds.label_for(n.kind),
                "titre": n.title,
                "le": n.created.isoformat(),
                "lue": n.read_at is not None,
            }
            for n in Notification.objects.filter(recipient=user).order_by("created")
        ],
        "preferences": {
            kinds.label_for(p.kind): p.get_delivery_display()
            for p in NotificationPreference.objects.filter(user=user)
        },
    }
