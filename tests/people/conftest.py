import pytest

from tests.people.helpers import sign_in


@pytest.fixture
def signed_in_client(client, user):
    """A client signed in through the login form (allauth records the password login)."""
    response = sign_in(client, user.email)
    assert response.status_code == 302
    return client
