"""Attachments: the content decides the type, the name must agree, size and number are
limited, and files are served as downloads only to those who may read the topic."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from community.forums import attachments, services
from community.models import Attachment, Post
from tests.community.conftest import client_for, page_text
from tests.community.forums.factories import publish_reply, publish_topic

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.community.forums.urls_for_tests")]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
PDF = b"%PDF-1.7\n" + b"0" * 32


def ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, first
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("script.sh", "rm -rf /")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def reply_url(topic) -> str:
    return reverse(
        "community:post_reply",
        kwargs={"slug": topic.forum.space.slug, "forum": topic.forum.slug, "pk": topic.pk},
    )


def attachment_url(attachment) -> str:
    return reverse("community:attachment", kwargs={"pk": attachment.pk})


def download(user, attachment):
    """The response, its file read to the end: the test client then closes it (a
    streamed file left open warns)."""
    response = client_for(user).get(attachment_url(attachment))
    if response.streaming:
        response.content_read = b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.png", PNG, "image/png"),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("anim.gif", GIF, "image/gif"),
        ("image.webp", WEBP, "image/webp"),
        ("guide.pdf", PDF, "application/pdf"),
        (
            "note.docx",
            ooxml("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "tableau.xlsx",
            ooxml("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "diapos.pptx",
            ooxml("ppt/presentation.xml"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (
            "note.odt",
            odf("application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            "tableau.ods",
            odf("application/vnd.oasis.opendocument.spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        (
            "diapos.odp",
            odf("application/vnd.oasis.opendocument.presentation"),
            "application/vnd.oasis.opendocument.presentation",
        ),
    ],
)
def test_accepted_types_are_recognised_by_their_content(name, content, content_type):
    file = upload(name, content, content_type="text/plain")  # the browser's word is ignored

    assert attachments.attachment_refusal(file) is None
    assert attachments.sniff(file).content_type == content_type


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("faux.pdf", b"<script>alert(1)</script>"),
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("archive.zip", plain_zip()),
        ("faux.docx", plain_zip()),
        ("faux.odt", odf("application/x-shellscript")),
        ("programme.exe", b"MZ\x90\x00" + b"\x00" * 32),
    ],
)
def test_unaccepted_content_is_refused_in_french_whatever_its_name(name, content):
    refusal = attachments.attachment_refusal(upload(name, content))

    assert refusal is not None and "n'est pas d'un type accepté" in refusal


def test_a_png_named_pdf_is_refused_because_the_name_lies_about_the_content():
    refusal = attachments.attachment_refusal(upload("rapport.pdf", PNG, "application/pdf"))

    assert refusal == (
        "« rapport.pdf » ne correspond pas à son extension : son contenu est celui d'un "
        "fichier image PNG (.png)."
    )


def test_file_over_10_mo_is_refused():
    big = upload("gros.pdf", PDF + b"0" * (attachments.MAX_SIZE - len(PDF) + 1))

    assert (
        attachments.attachment_refusal(big) == "« gros.pdf » dépasse la taille maximale de 10 Mo."
    )


def test_file_of_exactly_10_mo_is_accepted():
    assert (
        attachments.attachment_refusal(upload("juste.pdf", PDF.ljust(attachments.MAX_SIZE, b"0")))
        is None
    )


def test_reply_with_attachments_stores_them_by_content_under_community_attachments(
    open_cast, forum
):
    topic = publish_topic(forum, open_cast.animator)

    response = client_for(open_cast.member).post(
        reply_url(topic),
        {
            "body": "Voici le compte rendu.",
            "attachments": [upload("Compte rendu.pdf", PDF), upload("photo.png", PNG)],
        },
    )

    assert response.status_code == 302
    stored = list(Attachment.objects.order_by("original_name"))
    assert [(a.original_name, a.content_type, a.size) for a in stored] == [
        ("Compte rendu.pdf", "application/pdf", len(PDF)),
        ("photo.png", "image/png", len(PNG)),
    ]
    assert all(a.file.name.startswith(f"community/attachments/{topic.pk}/") for a in stored)
    assert all("Compte" not in a.file.name for a in stored)  # stored names are random


def test_refused_attachment_keeps_the_text_typed_and_saves_nothing(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)

    response = client_for(open_cast.member).post(
        reply_url(topic),
        {"body": "Mon texte soigné", "attachments": [upload("rapport.pdf", PNG)]},
    )

    assert response.status_code == 400
    text = page_text(response)
    assert "ne correspond pas à son extension" in text
    assert "Mon texte soigné</textarea>" in text
    assert "sélectionnez-les à nouveau" in text
    assert topic.posts.count() == 1
    assert not Attachment.objects.exists()


def test_more_than_five_files_are_refused(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)

    response = client_for(open_cast.member).post(
        reply_url(topic),
        {"body": "Six fichiers", "attachments": [upload(f"p{n}.png", PNG) for n in range(6)]},
    )

    assert response.status_code == 400
    assert "Joignez au plus 5 fichiers à un message." in page_text(response)
    assert not Attachment.objects.exists()


def test_service_refuses_what_the_form_would_refuse(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)

    with pytest.raises(services.ActionRefused, match="ne correspond pas"):
        publish_reply(topic, open_cast.member, files=[upload("faux.pdf", PNG)])
    assert topic.posts.count() == 1


def test_attachment_is_served_as_a_download_that_browsers_never_sniff(open_cast, forum):
    topic = publish_topic(forum, open_cast.member, files=[upload("guide.pdf", PDF)])
    attachment = Attachment.objects.get(post__topic=topic)

    response = download(None, attachment)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="guide.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response.content_read == PDF


def test_topic_page_links_its_attachments(open_cast, forum):
    topic = publish_topic(forum, open_cast.member, files=[upload("guide.pdf", PDF)])
    attachment = Attachment.objects.get()

    page = client_for(None).get(topic.get_absolute_url()).content.decode()

    assert attachment_url(attachment) in page
    assert "guide.pdf" in page


@pytest.mark.parametrize("role", ["anonymous", "non_member", "other_animator"])
def test_private_attachment_is_a_404_to_those_who_may_not_read_the_space(
    private_cast, private_forum, role
):
    topic = publish_topic(private_forum, private_cast.member, files=[upload("liste.pdf", PDF)])
    attachment = Attachment.objects.get(post__topic=topic)
    user = None if role == "anonymous" else getattr(private_cast, role)

    assert download(user, attachment).status_code == 404


@pytest.mark.parametrize("role", ["member", "suspended", "animator", "staff"])
def test_private_attachment_is_served_to_members_and_staff(private_cast, private_forum, role):
    topic = publish_topic(private_forum, private_cast.member, files=[upload("liste.pdf", PDF)])
    attachment = Attachment.objects.get(post__topic=topic)

    assert download(getattr(private_cast, role), attachment).status_code == 200


def test_attachment_of_a_hidden_post_is_for_animateurs_only(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)
    reply = publish_reply(topic, open_cast.member, files=[upload("photo.png", PNG)])
    Post.objects.filter(pk=reply.pk).update(state=Post.State.HIDDEN)
    attachment = Attachment.objects.get()

    assert download(open_cast.member, attachment).status_code == 404
    assert download(open_cast.animator, attachment).status_code == 200


def test_attachment_of_a_deleted_post_is_served_to_nobody(open_cast, forum):
    topic = publish_topic(forum, open_cast.animator)
    reply = publish_reply(topic, open_cast.member, files=[upload("photo.png", PNG)])
    Post.objects.filter(pk=reply.pk).update(state=Post.State.DELETED)
    attachment = Attachment.objects.get()

    for user in (open_cast.member, open_cast.animator, open_cast.staff):
        assert download(user, attachment).status_code == 404
