"""Cancelling a session in the admin tells its participants and its waiting list."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import querydict_from_html

from academy import services
from academy.models import SessionRegistration
from portal.notifications.models import Notification
from tests.academy.factories import course_session
from tests.factories import UserFactory

CANCELLED = "academy.session_cancelled"


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def session(tree):
    return course_session(
        tree.course, capacity=1, title="Le premier entretien", starts_in=timedelta(days=10)
    )


@pytest.fixture
def people(session, django_capture_on_commit_callbacks):
    """One seated, one waiting, one who left the session (their e-mails have left)."""
    seated, waiting, left = (
        UserFactory(display_name="Assise"),
        UserFactory(display_name="En attente"),
        UserFactory(display_name="Partie"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        for user in (left, seated, waiting):
            services.session_register(user=user, session=session)
        services.session_cancel(user=left, session=session)  # seated takes the seat
    return seated, waiting, left


def _edit(client, session, **changes):
    url = reverse("wagtailsnippets_academy_coursesession:edit", args=[session.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="w-editor-form")
    for field, value in changes.items():
        if value is None:
            data.pop(field, None)
        else:
            data[field] = value
    return client.post(url, data)


def _admin(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _told(kind=CANCELLED):
    return {n.recipient_id: n.title for n in Notification.objects.filter(kind=kind)}


def test_cancelling_a_session_in_the_admin_tells_its_participants_and_waiting_list(
    session, people, superuser
):
    seated, waiting, left = people
    when = timezone.localtime(session.starts_at).strftime("%d/%m/%Y à %H:%M")

    assert _edit(_admin(superuser), session, cancelled="on").status_code == 302

    what = f"La session « Le premier entretien » du {when} est annulée"
    assert _told() == {
        seated.pk: what,
        waiting.pk: f"{what} : votre inscription en liste d'attente prend fin",
    }
    assert all(
        n.url == session.get_absolute_url() for n in Notification.objects.filter(kind=CANCELLED)
    )
    # Registrations keep their status: the session's flag says it is cancelled.
    statuses = dict(session.registrations.values_list("user_id", "status"))
    assert statuses == {seated.pk: "registered", waiting.pk: "waiting", left.pk: "cancelled"}


def test_saving_an_already_cancelled_session_tells_nobody_again(session, people, superuser):
    client = _admin(superuser)
    _edit(client, session, cancelled="on")

    assert _edit(client, session, trainer="Camille Formatrice et Lou").status_code == 302

    assert Notification.objects.filter(kind=CANCELLED).count() == 2


def test_editing_a_session_without_cancelling_it_tells_nobody(session, people, superuser):
    assert _edit(_admin(superuser), session, place="Salle B").status_code == 302

    assert not Notification.objects.filter(kind=CANCELLED).exists()


def test_reopening_a_cancelled_session_tells_nobody(session, people, superuser):
    session.cancelled = True
    session.save(update_fields=["cancelled"])

    assert _edit(_admin(superuser), session, cancelled=None).status_code == 302

    session.refresh_from_db()
    assert not session.cancelled
    assert not Notification.objects.filter(kind=CANCELLED).exists()


def test_cancellation_reaches_participants_by_email(
    session, people, superuser, django_capture_on_commit_callbacks
):
    seated, waiting, _left = people
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _edit(_admin(superuser), session, cancelled="on")

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([seated.email, waiting.email])
    assert all("est annulée" in message.body for message in mail.outbox)


def test_announcing_a_session_that_is_not_cancelled_tells_nobody(session, people):
    assert services.session_cancellation_announce(session=session) == 0
    assert not Notification.objects.filter(kind=CANCELLED).exists()


def test_a_member_without_admin_access_cannot_cancel_a_session(session, people):
    member = UserFactory()
    url = reverse("wagtailsnippets_academy_coursesession:edit", args=[session.pk])

    response = _admin(member).post(url, {"cancelled": "on"})

    assert response.status_code == 302  # to the admin's login
    session.refresh_from_db()
    assert not session.cancelled
    assert not Notification.objects.filter(kind=CANCELLED).exists()
    assert SessionRegistration.objects.filter(session=session).count() == 3
