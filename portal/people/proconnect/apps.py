from django.apps import AppConfig


class ProConnectConfig(AppConfig):
    name = "portal.people.proconnect"
    label = "proconnect"
    verbose_name = "ProConnect"

    def ready(self):
        from portal.people.proconnect import services  # noqa: F401 — its receiver
