"""The Wagtail admin speaks French where Wagtail leaves English: login and workflow names."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import Task, Workflow

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_login_labels_the_password_in_french(client):
    html = client.get(reverse("wagtailadmin_login")).content.decode()

    assert ">Mot de passe" in html
    assert "Password" not in html


def test_admin_login_still_signs_a_staff_member_in(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    user.set_password("un-mot-de-passe-solide")
    user.save()

    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": user.email, "password": "un-mot-de-passe-solide"},
    )

    assert response.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


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
