"""The pilotage's runs in the task worker: every night at PILOTAGE_HOUR (Europe/Paris),
and when staff ask for one (Wagtail admin, « Pilotage »)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from pilotage.aggregation import run_aggregation

TASK_PATH = "pilotage.tasks.aggregation_refresh"


def next_night(now: datetime | None = None) -> datetime:
    now = timezone.localtime(now or timezone.now())
    moment = timezone.make_aware(
        datetime.combine(now.date(), time(settings.PILOTAGE_HOUR)), now.tzinfo
    )
    return moment if moment > now else moment + timedelta(days=1)


def _nightly_pending(backend) -> bool:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=TASK_PATH, status="READY", run_after__isnull=False
    ).exists()


def schedule_nightly() -> None:
    """Makes sure one nightly run waits in the queue (called after migrate, and by each
    nightly run for the next night). Nothing to do with a backend that cannot defer."""
    backend = aggregation_refresh.get_backend()
    if not backend.supports_defer or _nightly_pending(backend):
        return
    aggregation_refresh.using(run_after=next_night()).enqueue(nightly=True)


@task()
def aggregation_refresh(*, nightly: bool = False, requested_by_id: int | None = None) -> int:
    try:
        run = run_aggregation(requested_by_id=requested_by_id)
    finally:
        if nightly:
            schedule_nightly()
    return run.rows
