"""manage.py chat_load_users: demo members of a room and their session cookies (bench/chat.py)."""

import json

import pytest
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from community.chat.routing import websocket_urlpatterns
from community.models import ChatRoom, Membership
from portal.people.models import User
from tests.community.chat.helpers import TIMEOUT, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def load(tmp_path, count=3, room="nord", name="cookies.txt", **options) -> list[str]:
    output = tmp_path / name
    call_command("chat_load_users", room=room, count=count, output=str(output), **options)
    return output.read_text().splitlines()


def test_creates_members_with_a_complete_profile_and_one_cookie_each(debug, nord, tmp_path):
    cookies = load(tmp_path, count=3)

    users = list(User.objects.filter(email__endswith="@bench.invalid").order_by("email"))
    assert [u.email for u in users] == [
        "chat-load-0001@bench.invalid",
        "chat-load-0002@bench.invalid",
        "chat-load-0003@bench.invalid",
    ]
    for user in users:
        assert user.display_name.startswith("Charge ")
        assert user.operator_id is not None
        assert user.profile_missing == []
        assert not user.has_usable_password()
        assert user.emailaddress_set.filter(verified=True, primary=True).exists()
    assert Membership.objects.filter(space=nord, user__in=users).count() == 3
    nord.refresh_from_db()
    assert nord.member_count == Membership.objects.filter(space=nord).count()
    assert ChatRoom.objects.filter(slug="nord", space=nord).exists()
    assert len(cookies) == 3
    assert all(c.startswith(f"{settings.SESSION_COOKIE_NAME}=") for c in cookies)
    assert len(set(cookies)) == 3
    assert oct((tmp_path / "cookies.txt").stat().st_mode & 0o777) == "0o600"


def test_a_second_run_reuses_the_accounts_and_adds_what_is_missing(debug, nord, tmp_path):
    load(tmp_path, count=2, name="first.txt")
    first_ids = set(
        User.objects.filter(email__endswith="@bench.invalid").values_list("pk", flat=True)
    )

    cookies = load(tmp_path, count=3, name="second.txt")

    users = User.objects.filter(email__endswith="@bench.invalid")
    assert users.count() == 3
    assert first_ids < set(users.values_list("pk", flat=True))
    assert Membership.objects.filter(space=nord, user__in=users).count() == 3
    assert len(cookies) == 3


def test_the_cookie_authenticates_a_page_request(debug, nord, tmp_path):
    cookie = load(tmp_path, count=1)[0]
    name, value = cookie.split("=", 1)
    client = Client()
    client.cookies[name] = value

    response = client.get("/mon-espace/notifications/")

    assert response.status_code == 200
    assert response.wsgi_request.user.email == "chat-load-0001@bench.invalid"


def test_the_cookie_opens_the_room_through_the_real_middleware_stack(debug, nord, tmp_path):
    cookie = load(tmp_path, count=1)[0]
    application = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))

    async def body():
        communicator = WebsocketCommunicator(
            application, "/ws/chat/nord/", headers=[(b"cookie", cookie.encode())]
        )
        connected, _ = await communicator.connect(timeout=TIMEOUT)
        assert connected
        # An anonymous connection is closed with 4403; this one gets the history,
        # then the presence list where the session's user is online.
        history = json.loads(await communicator.receive_from(timeout=TIMEOUT))
        assert history["type"] == "history"
        presence = json.loads(await communicator.receive_from(timeout=TIMEOUT))
        assert presence["type"] == "presence"
        assert [p["name"] for p in presence["online"]] == ["Charge 0001"]
        await communicator.disconnect()

    run(body)


def test_refuses_with_debug_off_unless_forced(settings, nord, tmp_path):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG est désactivé"):
        load(tmp_path)
    assert not User.objects.filter(email__endswith="@bench.invalid").exists()

    assert len(load(tmp_path, force=True)) == 3


def test_an_unknown_room_is_a_clear_error(debug, tmp_path):
    with pytest.raises(CommandError, match=r"Salon inconnu.*« nulle-part »"):
        load(tmp_path, room="nulle-part")
