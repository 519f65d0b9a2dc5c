"""Seats under real concurrency: needs PostgreSQL (row locks), skipped elsewhere."""

import threading

import pytest
from django.db import connection

from academy import services
from academy.models import SessionRegistration
from tests.academy.factories import course_session, course_tree
from tests.factories import UserFactory

# Each thread commits its own transaction: the test database cannot be a rolled-back
# transaction. The serialized rollback restores the reference data (territories,
# operators, Wagtail's root) that the flush after each such test removes.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _register_at_once(users, session) -> list[BaseException]:
    barrier = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def register(user):
        try:
            barrier.wait(timeout=30)
            services.session_register(user=user, session=session)
        except BaseException as exc:  # reported by the test, whatever it is
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def _statuses(session) -> list[str]:
    return list(
        SessionRegistration.objects.filter(session=session).values_list("status", flat=True)
    )


@pytest.mark.parametrize("capacity, people", [(1, 2), (5, 12)])
def test_concurrent_registrations_never_take_more_seats_than_the_capacity(
    site_root, capacity, people
):
    session = course_session(course_tree(site_root).course, capacity=capacity)
    users = [UserFactory() for _ in range(people)]

    errors = _register_at_once(users, session)

    assert errors == []
    statuses = _statuses(session)
    assert len(statuses) == people
    assert statuses.count(SessionRegistration.Status.REGISTERED) == capacity
    assert statuses.count(SessionRegistration.Status.WAITING) == people - capacity


def test_the_same_person_registering_twice_at_once_gets_one_seat(site_root):
    session = course_session(course_tree(site_root).course, capacity=3)
    user = UserFactory()

    errors = _register_at_once([user, user, user], session)

    assert errors == []
    assert _statuses(session) == [SessionRegistration.Status.REGISTERED]
