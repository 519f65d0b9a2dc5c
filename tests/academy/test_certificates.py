import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone

from academy import services
from academy.models import Certificate
from tests.academy.factories import course_tree, login, page_text, quiz_ids
from tests.factories import UserFactory, operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(tree, enrolled):
    services.lesson_complete(user=enrolled, lesson=tree.lessons[0])
    services.lesson_complete(user=enrolled, lesson=tree.lessons[1])
    services.quiz_submit(
        user=enrolled, lesson=tree.quiz_lesson, submission=quiz_ids(tree.quiz_lesson).right()
    )
    return Certificate.objects.get(user=enrolled, course=tree.course)


def _pdf_url(certificate):
    return reverse("academy:certificate_download", args=[certificate.code])


def _verify_url(certificate):
    return reverse("academy:certificate_verify", args=[certificate.code])


def test_the_holder_downloads_the_certificate_as_a_pdf(certificate, learner_client):
    response = learner_client.get(_pdf_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert certificate.code in response["Content-Disposition"]


def test_another_member_cannot_download_someone_elses_certificate(certificate):
    assert login(UserFactory()).get(_pdf_url(certificate)).status_code == 404


def test_staff_may_download_a_certificate_to_check_it(certificate):
    assert login(UserFactory(is_staff=True)).get(_pdf_url(certificate)).status_code == 200


def test_downloading_a_certificate_needs_a_login(certificate, client):
    response = client.get(_pdf_url(certificate))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_public_verification_page_works_logged_out(certificate, client):
    response = client.get(_verify_url(certificate))
    assert response.status_code == 200
    html = page_text(response)
    assert "Camille Dupont" in html
    assert certificate.course_title in html
    assert date_filter(timezone.localtime(certificate.completed_at), "j F Y") in html
    assert "Attestation valide" in html
    assert "<dd>valide</dd>" in html
    assert "révoqué" not in html


def test_a_revoked_certificate_shows_as_revoked(certificate, client):
    services.certificate_revoke(
        certificate=certificate, by=UserFactory(is_staff=True), reason="Erreur de saisie"
    )
    html = page_text(client.get(_verify_url(certificate)))
    assert "<dd>révoqué</dd>" in html
    assert "Attestation révoquée" in html
    assert "Attestation valide" not in html


def test_revoking_twice_keeps_the_first_revocation(certificate):
    staff = UserFactory(is_staff=True)
    services.certificate_revoke(certificate=certificate, by=staff, reason="Première")
    first = Certificate.objects.get(pk=certificate.pk).revoked_at
    services.certificate_revoke(certificate=certificate, by=staff, reason="Seconde")
    certificate.refresh_from_db()
    assert (certificate.revoked_at, certificate.revoked_reason) == (first, "Première")


def test_a_member_who_is_not_staff_cannot_revoke(certificate, enrolled):
    for someone in (UserFactory(), enrolled):
        with pytest.raises(services.ActionRefused, match="Seule l'équipe du portail"):
            services.certificate_revoke(certificate=certificate, by=someone, reason="Non")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None and certificate.is_valid


def test_the_verification_page_discloses_no_personal_detail_beyond_the_name(site_root, client):
    tree = course_tree(site_root)
    holder = UserFactory(
        display_name="Dominique Martin",
        email="dominique.martin@mission-locale-exemple.fr",
        operator=operator("siae"),
        structure_name="Chantier d'insertion des Flandres",
        job_title="Encadrante technique d'insertion",
    )
    services.course_enrol(user=holder, course=tree.course)
    services.lesson_complete(user=holder, lesson=tree.lessons[0])
    services.lesson_complete(user=holder, lesson=tree.lessons[1])
    services.quiz_submit(
        user=holder, lesson=tree.quiz_lesson, submission=quiz_ids(tree.quiz_lesson).right()
    )
    certificate = Certificate.objects.get(user=holder)

    html = page_text(client.get(_verify_url(certificate)))

    assert "Dominique Martin" in html
    for private in (
        holder.email,
        "mission-locale-exemple",
        "Structure de l'insertion par l'activité économique",
        holder.structure_name,
        holder.job_title,
    ):
        assert private not in html


def test_an_unknown_code_is_not_found(client, db):
    assert client.get(reverse("academy:certificate_verify", args=["inconnu"])).status_code == 404
    assert (
        login(UserFactory())
        .get(reverse("academy:certificate_download", args=["inconnu"]))
        .status_code
        == 404
    )


def test_verification_codes_are_long_random_and_distinct(certificate, tree):
    other = UserFactory()
    services.course_enrol(user=other, course=tree.course)
    services.lesson_complete(user=other, lesson=tree.lessons[0])
    services.lesson_complete(user=other, lesson=tree.lessons[1])
    services.quiz_submit(
        user=other, lesson=tree.quiz_lesson, submission=quiz_ids(tree.quiz_lesson).right()
    )
    second = Certificate.objects.get(user=other)
    assert len(certificate.code) >= 20 and len(second.code) >= 20
    assert certificate.code != second.code


def test_verification_page_is_get_only(certificate, client):
    assert client.post(_verify_url(certificate)).status_code == 405


LOOKUP = "/academie/certificats/"


def test_lookup_page_offers_a_form_to_type_a_code(client, site_root):
    response = client.get(LOOKUP)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Vérifier une attestation</h1>" in html
    assert 'name="code"' in html and "Code de vérification" in html


def test_a_typed_code_leads_to_its_verification_page(certificate, client):
    response = client.get(LOOKUP, {"code": f"  {certificate.code} "})

    assert response.status_code == 302
    assert response["Location"] == _verify_url(certificate)


def test_a_pasted_verification_address_is_understood(certificate, client):
    url = f"https://academie.example.fr{_verify_url(certificate)}"

    response = client.get(LOOKUP, {"code": url})

    assert response["Location"] == _verify_url(certificate)


def test_an_unknown_code_is_told_in_french_and_kept_in_the_field(client, site_root):
    response = client.get(LOOKUP, {"code": "AbCdEf123"})

    assert response.status_code == 404
    text = page_text(response)
    assert "Aucune attestation ne porte le code « AbCdEf123 »" in text
    assert 'value="AbCdEf123"' in response.content.decode()


def test_an_empty_or_malformed_code_is_refused_in_french(client, site_root):
    assert "Saisissez le code de vérification" in page_text(client.get(LOOKUP, {"code": ""}))
    text = page_text(client.get(LOOKUP, {"code": "pas un code !"}))
    assert "n'a pas la forme d'un code de vérification" in text


def test_an_unknown_code_in_the_address_shows_the_lookup_form(client, site_root):
    response = client.get(reverse("academy:certificate_verify", args=["inconnu"]))

    assert response.status_code == 404
    assert "Aucune attestation ne porte le code « inconnu »" in page_text(response)
