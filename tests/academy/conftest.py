import pytest
from django.test import Client

from academy import services
from tests.academy.factories import course_tree
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # These tests check the Académie, not the password hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(site_root):
    return course_tree(site_root)


@pytest.fixture
def learner(db):
    return UserFactory(display_name="Camille Dupont", email="camille.dupont@exemple.fr")


@pytest.fixture
def enrolled(tree, learner):
    services.course_enrol(user=learner, course=tree.course)
    return learner


@pytest.fixture
def learner_client(learner):
    client = Client()
    client.force_login(learner)
    return client


@pytest.fixture
def csrf_client(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    return client
