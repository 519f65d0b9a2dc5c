"""The Communauté's part of a person's data: export (JSON and readable page)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community.models import Attachment, Reaction, Watch
from tests.community.conftest import client_for, page_text
from tests.community.forums.factories import make_forum, topic_with_replies
from tests.community.sheets.test_review import TITLE, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def footprint(site_root, private_cast, somme, settings, tmp_path):
    """Inès (member of Somme) posted with an attachment, found a reply useful, follows a
    topic and proposed a sheet."""
    settings.MEDIA_ROOT = tmp_path
    member, other = private_cast.member, private_cast.animator
    forum = make_forum(somme)
    mine = topic_with_replies(forum, author=member, title="Le référent unique en pratique")
    theirs = topic_with_replies(forum, author=other, replies=1, title="Les binômes")
    Attachment.objects.create(
        post=mine.posts.first(),
        file=SimpleUploadedFile("trame.pdf", b"%PDF-1.4 trame"),
        original_name="trame-entretien.pdf",
        content_type="application/pdf",
        size=14,
    )
    Reaction.objects.create(post=theirs.posts.get(position=1), user=member)
    Watch.objects.create(user=member, topic=theirs)
    propose(member, somme)
    return member


def test_export_holds_attachments_useful_votes_follows_and_proposed_sheets(footprint):
    data = json.loads(client_for(footprint).get("/mon-espace/donnees/export.json").content)
    community = data["communaute"]

    assert [a["fichier"] for a in community["pieces_jointes"]] == ["trame-entretien.pdf"]
    assert [u["sujet"] for u in community["utile"]] == ["Les binômes"]
    assert {"suivi": "sujet", "titre": "Les binômes"}.items() <= community["suivis"][0].items()
    (sheet,) = community["fiches_proposees"]
    assert sheet["titre"] == TITLE
    assert sheet["statut"] == "En cours de relecture"


def test_export_never_holds_someone_else_s_rows(footprint, private_cast):
    data = json.loads(
        client_for(private_cast.animator).get("/mon-espace/donnees/export.json").content
    )
    community = data["communaute"]

    assert community["pieces_jointes"] == []
    assert community["utile"] == []
    assert community["fiches_proposees"] == []


def test_readable_export_shows_the_same_data_in_french(footprint):
    response = client_for(footprint).get("/mon-espace/donnees/export.html")

    assert response.status_code == 200
    text = page_text(response)
    for expected in (
        "Mes données, version lisible",
        "Pièces jointes",
        "trame-entretien.pdf",
        "Fiches proposées",
        TITLE,
        "Les binômes",
        footprint.email,
    ):
        assert expected in text, expected


def test_readable_export_needs_a_login(client):
    assert client.get("/mon-espace/donnees/export.html").status_code == 302
