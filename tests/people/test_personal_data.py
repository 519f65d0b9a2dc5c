import json

import pytest

from academy import services as academy_services
from portal.notifications.services import notify
from portal.people.models import User
from tests.academy.factories import course_tree
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_owner_downloads_all_their_data_as_json(
    client, site_root, django_capture_on_commit_callbacks
):
    member = UserFactory(display_name="Camille D.", job_title="Conseillère")
    tree = course_tree(site_root)
    academy_services.course_enrol(user=member, course=tree.course)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=member, kind="system.welcome")
    client.force_login(member)
    response = client.get("/mon-espace/donnees/export.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profil"]["adresse_electronique"] == member.email
    assert data["profil"]["fonction"] == "Conseillère"
    assert data["academie"]["inscriptions"][0]["formation"] == tree.course.title
    assert len(data["notifications"]["notifications"]) == 1


def test_personal_data_pages_need_a_login(client):
    assert client.get("/mon-espace/donnees/").status_code == 302
    assert client.get("/mon-espace/donnees/export.json").status_code == 302


def test_owner_erases_their_account_with_password_and_confirmation(client):
    member = UserFactory()
    client.force_login(member)
    response = client.post("/mon-espace/donnees/", {"password": DEFAULT_PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()
    assert "_auth_user_id" not in client.session


def test_wrong_password_erases_nothing_and_says_so_in_french(client):
    member = UserFactory()
    client.force_login(member)
    response = client.post("/mon-espace/donnees/", {"password": "pas-le-bon", "confirm": "on"})
    assert response.status_code == 200
    assert "Mot de passe incorrect" in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_missing_confirmation_erases_nothing(client):
    member = UserFactory()
    client.force_login(member)
    response = client.post("/mon-espace/donnees/", {"password": DEFAULT_PASSWORD})
    assert "Cochez la case pour confirmer" in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_erasing_an_account_keeps_each_space_s_member_count_true_to_its_directory(client):
    from community.models import Membership, Space
    from tests.community.factories import MembershipFactory

    nord = Space.objects.get(territory__slug="nord")
    member = MembershipFactory(space=nord).user
    MembershipFactory(space=nord)
    assert Space.objects.get(pk=nord.pk).member_count == 2
    client.force_login(member)

    client.post("/mon-espace/donnees/", {"password": DEFAULT_PASSWORD, "confirm": "on"})

    nord.refresh_from_db()
    assert nord.member_count == Membership.objects.filter(space=nord).count() == 1


def test_erase_page_says_that_posts_stay_signed_compte_supprime(client):
    client.force_login(UserFactory())

    html = client.get("/mon-espace/donnees/").content.decode()

    assert "signés « Compte supprimé »" in html
