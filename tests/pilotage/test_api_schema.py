"""The API against its own OpenAPI document, by Schemathesis (property-based): every
operation, with generated valid and invalid parameters, must answer what the document
promises (status codes, bodies, content types), refuse requests without a key, and
never fail with a server error."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from pilotage import api
from tests.factories import UserFactory
from tests.pilotage.test_api import key_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(activity, monkeypatch):
    """The portal as a WSGI application, over the test's data."""
    # Hundreds of generated requests in one test: the limits would stop them, and
    # tests/pilotage/test_api.py already shows that they stop a program.
    monkeypatch.setattr(api, "PER_MINUTE", 1_000_000)
    monkeypatch.setattr(api, "PER_HOUR", 1_000_000)
    monkeypatch.setattr(api, "REFUSED_PER_ADDRESS", 1_000_000)
    # As Django's test client does: a request's end must not close the test's
    # connection (its transaction holds the data).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def key(db):
    return key_of(UserFactory(is_staff=True))


@pytest.fixture
def activity(site_root):
    from tests.academy.factories import academy_index, course
    from tests.factories import operator
    from tests.pilotage.builders import at, enrol, question
    from tests.pilotage.test_dashboard import NOW

    rsa = course(academy_index(site_root), title="RSA")
    for _ in range(6):
        enrol(UserFactory(operator=operator("france-travail")), rsa, at(2026, 10, 3))
    question("nord", UserFactory(operator=operator("mission-locale")), at(2026, 10, 4))
    from pilotage.aggregation import run_aggregation

    run_aggregation(now=NOW)


# The document the portal serves at /api/pilotage/v1/openapi.json (test_api.py checks
# that it is the one served). Loaded when the tests are collected, not through
# schemathesis.pytest.from_fixture: that one does not run on pytest 9 yet.
schema = schemathesis.openapi.from_dict(api.api.get_openapi_schema())
schema.app = WSGIHandler()


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_keeps_the_promises_of_its_openapi_document(case, served, key):
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"})
