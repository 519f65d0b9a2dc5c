from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from portal.notifications.personal_data import export
        from portal.people.personal_data import register_exporter

        register_exporter("notifications", export)
