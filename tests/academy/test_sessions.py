import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from academy import services
from academy.models import CalendarFeed, CourseSession, SessionRegistration
from portal.notifications.models import Notification
from tests.academy.factories import academy_index, course, course_session, login, page_text
from tests.factories import UserFactory, operator

pytestmark = pytest.mark.django_db

REGISTERED = SessionRegistration.Status.REGISTERED
WAITING = SessionRegistration.Status.WAITING
CANCELLED = SessionRegistration.Status.CANCELLED


@pytest.fixture
def session(tree):
    return course_session(tree.course, capacity=2)


def _status(user, session):
    return SessionRegistration.objects.get(user=user, session=session).status


def _register_url(session):
    return reverse("academy:session_register", args=[session.pk])


def _events(body: bytes):
    return Calendar.from_ical(body).walk("VEVENT")


def _unfolded(body: bytes) -> str:
    return re.sub(r"\r\n[ \t]", "", body.decode())


# --- Seats and the waiting list ------------------------------------------------------------


def test_registering_with_seats_left_takes_a_seat_and_confirms(session, learner, learner_client):
    response = learner_client.post(_register_url(session), follow=True)

    assert "Votre place est réservée." in page_text(response)
    assert _status(learner, session) == REGISTERED
    assert Notification.objects.filter(
        recipient=learner, kind="academy.session_registered"
    ).exists()


def test_registering_when_full_puts_one_on_the_waiting_list(session):
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    services.session_register(user=first, session=session)
    services.session_register(user=second, session=session)

    response = login(third).post(_register_url(session), follow=True)

    assert "vous êtes sur la liste d'attente" in page_text(response)
    assert _status(third, session) == WAITING
    assert Notification.objects.filter(recipient=third, kind="academy.session_waiting").exists()
    assert SessionRegistration.objects.filter(session=session, status=REGISTERED).count() == 2


def test_registering_twice_keeps_one_registration(session, learner, learner_client):
    learner_client.post(_register_url(session))
    learner_client.post(_register_url(session))
    services.session_register(user=learner, session=session)
    assert SessionRegistration.objects.filter(user=learner).count() == 1
    assert _status(learner, session) == REGISTERED


def test_cancelling_a_seat_promotes_the_first_person_waiting(tree):
    session = course_session(tree.course, capacity=1)
    holder, first_waiting, second_waiting = UserFactory(), UserFactory(), UserFactory()
    for user in (holder, first_waiting, second_waiting):
        services.session_register(user=user, session=session)
    assert [_status(u, session) for u in (holder, first_waiting, second_waiting)] == [
        REGISTERED,
        WAITING,
        WAITING,
    ]

    response = login(holder).post(reverse("academy:session_cancel", args=[session.pk]), follow=True)

    assert "Votre inscription à la session est annulée." in page_text(response)
    assert [_status(u, session) for u in (holder, first_waiting, second_waiting)] == [
        CANCELLED,
        REGISTERED,
        WAITING,
    ]
    promoted = Notification.objects.filter(kind="academy.session_promoted")
    assert list(promoted.values_list("recipient", flat=True)) == [first_waiting.pk]


def test_leaving_the_waiting_list_promotes_nobody(tree):
    session = course_session(tree.course, capacity=1)
    holder, waiting, later = UserFactory(), UserFactory(), UserFactory()
    for user in (holder, waiting, later):
        services.session_register(user=user, session=session)

    services.session_cancel(user=waiting, session=session)

    assert [_status(u, session) for u in (holder, waiting, later)] == [
        REGISTERED,
        CANCELLED,
        WAITING,
    ]
    assert not Notification.objects.filter(kind="academy.session_promoted").exists()


@pytest.mark.parametrize(
    "change",
    [{"cancelled": True}, {"starts_at_shift": -timedelta(days=4)}],
    ids=["cancelled session", "started session"],
)
def test_a_seat_freed_in_a_cancelled_or_started_session_promotes_nobody(tree, change):
    session = course_session(tree.course, capacity=1)
    holder, waiting = UserFactory(), UserFactory()
    services.session_register(user=holder, session=session)
    services.session_register(user=waiting, session=session)
    if change.get("cancelled"):
        CourseSession.objects.filter(pk=session.pk).update(cancelled=True)
    else:
        shift = change["starts_at_shift"]
        CourseSession.objects.filter(pk=session.pk).update(
            starts_at=session.starts_at + shift, ends_at=session.ends_at + shift
        )

    services.session_cancel(user=holder, session=session)

    assert (_status(holder, session), _status(waiting, session)) == (CANCELLED, WAITING)
    assert not Notification.objects.filter(kind="academy.session_promoted").exists()


def test_registering_again_after_cancelling_goes_to_the_end_of_the_waiting_list(tree):
    session = course_session(tree.course, capacity=1)
    holder, waiting = UserFactory(), UserFactory()
    services.session_register(user=holder, session=session)
    services.session_register(user=waiting, session=session)
    services.session_cancel(user=holder, session=session)

    services.session_register(user=holder, session=session)

    assert (_status(holder, session), _status(waiting, session)) == (WAITING, REGISTERED)
    assert SessionRegistration.objects.filter(user=holder).count() == 1


def test_one_cannot_register_to_a_session_that_has_started(tree, learner, learner_client):
    past = course_session(tree.course, starts_in=-timedelta(hours=1))
    response = learner_client.post(_register_url(past), follow=True)
    assert "Cette session a déjà commencé : les inscriptions sont closes." in page_text(response)
    assert not SessionRegistration.objects.exists()


def test_one_cannot_register_to_a_cancelled_session(tree, learner, learner_client):
    cancelled = course_session(tree.course, cancelled=True)
    response = learner_client.post(_register_url(cancelled), follow=True)
    assert "Cette session est annulée." in page_text(response)
    assert not SessionRegistration.objects.exists()
    with pytest.raises(services.ActionRefused, match="annulée"):
        services.session_register(user=learner, session=cancelled)


def test_a_restricted_course_refuses_its_sessions_to_other_operators(site_root, learner):
    restricted = course(
        academy_index(site_root), audience=[operator("cap-emploi")], restricted=True
    )
    session = course_session(restricted)
    with pytest.raises(services.ActionRefused, match="Cap emploi"):
        services.session_register(user=learner, session=session)
    assert not SessionRegistration.objects.exists()


def test_session_registration_needs_a_login_and_a_post(session, client, learner_client):
    response = client.post(_register_url(session))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert learner_client.get(_register_url(session)).status_code == 405
    assert not SessionRegistration.objects.exists()


# --- The visio link ----------------------------------------------------------------------


def test_the_visio_link_is_shown_to_registered_participants_only(session, learner, client):
    url = session.get_absolute_url()
    services.session_register(user=learner, session=session)
    assert session.visio_url in page_text(login(learner).get(url))

    assert session.visio_url not in page_text(client.get(url))
    assert session.visio_url not in page_text(login(UserFactory()).get(url))
    full = course_session(session.course, capacity=0)
    waiting = UserFactory()
    services.session_register(user=waiting, session=full)
    assert _status(waiting, full) == WAITING
    html = page_text(login(waiting).get(full.get_absolute_url()))
    assert full.visio_url not in html
    assert "Communiqué aux participants inscrits." in html


def test_the_ics_of_a_session_describes_it_and_holds_the_link_for_participants_only(
    session, learner, client
):
    url = reverse("academy:session_ics", args=[session.pk])
    services.session_register(user=learner, session=session)

    response = login(learner).get(url)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (event,) = _events(response.content)
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTEND") == session.ends_at
    assert str(event["SUMMARY"]) == "Accompagner les allocataires du RSA (Visio)"
    assert str(event["LOCATION"]) == session.visio_url

    for outsider in (client, login(UserFactory())):
        body = outsider.get(url).content
        (event,) = _events(body)
        assert event.decoded("DTSTART") == session.starts_at
        assert "LOCATION" not in event
        assert session.visio_url not in _unfolded(body)
        assert session.visio_url not in str(event["DESCRIPTION"])


def test_the_ics_links_back_to_the_portal_under_the_host_of_the_request(session, client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "academie.example.fr"]
    url = reverse("academy:session_ics", args=[session.pk])

    (event,) = _events(client.get(url, HTTP_HOST="academie.example.fr").content)

    assert str(event["URL"]) == f"http://academie.example.fr{session.get_absolute_url()}"
    assert f"Détails : http://academie.example.fr{session.get_absolute_url()}" in str(
        event["DESCRIPTION"]
    )


# --- The personal calendar feed -------------------------------------------------------------


def _feed_for(user) -> CalendarFeed:
    login(user).post(reverse("academy:calendar_feed_renew"))
    return CalendarFeed.objects.get(user=user)


def test_the_personal_feed_lists_only_ones_registered_sessions_without_login(tree, learner, client):
    mine = course_session(tree.course, starts_in=timedelta(days=5))
    waiting_for = course_session(tree.course, capacity=0, starts_in=timedelta(days=6))
    someone_elses = course_session(tree.course, starts_in=timedelta(days=7))
    left = course_session(tree.course, starts_in=timedelta(days=8))
    services.session_register(user=learner, session=mine)
    services.session_register(user=learner, session=waiting_for)
    services.session_register(user=UserFactory(), session=someone_elses)
    services.session_register(user=learner, session=left)
    services.session_cancel(user=learner, session=left)
    feed = _feed_for(learner)

    response = client.get(feed.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)
    assert [str(event["UID"]) for event in events] == [f"session-{mine.pk}@academie-communaute"]
    assert str(events[0]["LOCATION"]) == mine.visio_url
    # Whoever holds the secret address reads the same calendar: it is the token that counts.
    other = login(UserFactory()).get(feed.get_absolute_url())
    assert [str(event["UID"]) for event in _events(other.content)] == [
        f"session-{mine.pk}@academie-communaute"
    ]


def test_an_unknown_feed_token_is_not_found(client, db):
    url = reverse("academy:calendar_feed", args=["pas-un-vrai-jeton"])
    assert client.get(url).status_code == 404


def test_renewing_the_feed_link_invalidates_the_old_one(tree, learner, client):
    old = _feed_for(learner)
    old_url = old.get_absolute_url()

    response = login(learner).post(reverse("academy:calendar_feed_renew"), follow=True)

    assert "l'ancien ne fonctionne plus" in page_text(response)
    new = CalendarFeed.objects.get(user=learner)
    assert new.token != old.token and len(new.token) >= 32
    assert client.get(old_url).status_code == 404
    assert client.get(new.get_absolute_url()).status_code == 200


def test_a_session_moved_earlier_keeps_its_identity_with_a_newer_stamp(session, learner, client):
    services.session_register(user=learner, session=session)
    feed = _feed_for(learner)
    (before,) = _events(client.get(feed.get_absolute_url()).content)
    CourseSession.objects.filter(pk=session.pk).update(
        starts_at=session.starts_at - timedelta(days=1), ends_at=session.ends_at - timedelta(days=1)
    )

    (after,) = _events(client.get(feed.get_absolute_url()).content)

    assert str(after["UID"]) == str(before["UID"]) == f"session-{session.pk}@academie-communaute"
    assert after.decoded("DTSTART") == session.starts_at - timedelta(days=1)
    # Calendar applications keep the copy with the latest DTSTAMP: the move must win.
    assert after.decoded("DTSTAMP") >= before.decoded("DTSTAMP")
    assert after.decoded("DTSTAMP") <= timezone.now()
