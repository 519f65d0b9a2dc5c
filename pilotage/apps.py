from django.apps import AppConfig


class PilotageConfig(AppConfig):
    name = "pilotage"
    verbose_name = "Pilotage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_schedule_after_migrate, sender=self)


def _schedule_after_migrate(sender, **kwargs):
    """A deployment (or `make run`) migrates: the nightly run is then in the queue."""
    import contextlib

    from django.db.utils import DatabaseError

    from pilotage.tasks import schedule_nightly

    # The task tables may not be there yet (a partial migrate).
    with contextlib.suppress(DatabaseError):
        schedule_nightly()
