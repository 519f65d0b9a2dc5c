"""The Wagtail admin: signed in through the portal's own sign-in; workflow names in French."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import Task, Workflow

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("admin", ["/admin/", "/django-admin/"])
def test_the_admins_login_is_the_portals_sign_in_with_its_second_factor(client, admin):
    response = client.get(f"{admin}login/?next={admin}")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={admin.replace('/', '%2F')}"

    user = UserFactory(is_superuser=True, is_staff=True)
    user.set_password("un-mot-de-passe-solide")
    user.save()
    # The admins' own password form is gone: a POST there signs nobody in.
    client.post(f"{admin}login/", {"username": user.email, "password": "un-mot-de-passe-solide"})
    assert "_auth_user_id" not in client.session


def test_the_admins_login_never_sends_elsewhere(client):
    response = client.get("/admin/login/?next=https://ailleurs.example/")
    assert response["Location"] == reverse("account_login")


def test_someone_signed_in_without_the_admins_permission_gets_the_403_page_not_a_loop(client):
    client.force_login(UserFactory())
    first = client.get("/admin/")
    assert first.status_code == 302 and first["Location"].startswith("/admin/login/")
    refused = client.get(first["Location"])
    assert refused.status_code == 403
    assert "Accès refusé" in refused.content.decode()


def test_default_workflow_and_task_have_french_names():
    assert Workflow.objects.filter(name="Relecture éditoriale", active=True).exists()
    assert Task.objects.filter(name="Validation par les modérateurs").exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()


def test_submit_button_names_the_french_workflow(site_root):
    from academy.models import AcademyIndexPage

    index = AcademyIndexPage(title="Académie", slug="academie")
    site_root.add_child(instance=index)
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[index.pk])).content.decode()

    assert "Relecture éditoriale" in html
    assert "Moderators approval" not in html
