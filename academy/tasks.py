from django_tasks import task

from academy import services


@task()
def session_reminder_send(*, registration_id: int, starts_at: str) -> bool:
    return services.session_reminder(registration_id=registration_id, starts_at=starts_at)
