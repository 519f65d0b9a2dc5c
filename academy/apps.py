from django.apps import AppConfig


class AcademyConfig(AppConfig):
    name = "academy"
    verbose_name = "Académie"

    def ready(self):
        from academy import (
            notifications,  # noqa: F401 — registers the notification kinds
            signals,  # noqa: F401 — approving a course approves its plan
        )
        from academy.personal_data import export
        from portal.people.personal_data import register_exporter

        register_exporter("academie", export)
