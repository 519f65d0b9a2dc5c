from django_tasks import task


@task()
def send_email_batch(batch_id: int) -> int:
    # Imported here: the services enqueue this task.
    from portal.notifications.services import email_batch_send

    return email_batch_send(batch_id=batch_id)
