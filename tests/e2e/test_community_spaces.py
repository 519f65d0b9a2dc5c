"""Territory spaces in a real browser: find a space, join it, meet its members; a private
space keeps its directory to itself. axe RGAA rules on every page visited."""

from community.models import JoinRequest, Membership, Space
from portal.setup import site_setup
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory, operator, territory


def _space(slug: str, *, private: bool = False) -> Space:
    space = Space.objects.get(territory__slug=slug)
    space.visibility = Space.Visibility.PRIVATE if private else Space.Visibility.OPEN
    space.save(update_fields=["visibility"])
    return space


def test_member_finds_the_nord_space_joins_it_and_sees_herself_in_the_directory(page):
    site_setup()
    _space("nord")
    member = UserFactory(
        display_name="Camille D.",
        operator=operator("mission-locale"),
        structure_name="Mission locale de Lille",
        job_title="Conseillère en insertion",
        territories=[territory("nord")],
    )
    log_in(page, email=member.email, password=DEFAULT_PASSWORD)

    page.goto("/communaute/")
    assert page.get_by_role("heading", level=1, name="Communauté").is_visible()
    assert page.get_by_role("heading", level=2, name="Départements").is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Nord", exact=True).click()
    page.wait_for_url("**/communaute/nord/")
    assert page.get_by_role("heading", level=1, name="Nord").is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Rejoindre l'espace").click()
    page.wait_for_load_state()
    assert page.get_by_text("Bienvenue dans l'espace Nord !").is_visible()
    assert page.get_by_role("button", name="Quitter l'espace").is_visible()
    assert Membership.objects.filter(space__territory__slug="nord", user=member).exists()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Annuaire des membres (1)").click()
    page.wait_for_url("**/communaute/nord/membres/")
    row = page.get_by_role("row", name="Camille D.")
    assert row.get_by_text("Mission locale de Lille").is_visible()
    assert row.get_by_text("Conseillère en insertion").is_visible()
    assert member.email not in page.content()
    assert_no_axe_violations(page)

    # Back on the list, the space now comes first, under "Mes espaces".
    page.goto("/communaute/")
    mine = page.locator("section", has=page.get_by_role("heading", name="Mes espaces"))
    assert mine.get_by_role("link", name="Nord", exact=True).is_visible()
    assert_no_axe_violations(page)


def test_non_member_cannot_read_a_private_directory_asks_to_join_and_is_accepted(page):
    site_setup()
    somme = _space("somme", private=True)
    animator = UserFactory(display_name="Alice Animatrice", territories=[territory("somme")])
    Membership.objects.create(space=somme, user=animator, role=Membership.Role.ANIMATOR)
    outsider = UserFactory(display_name="Nadia E.", territories=[territory("somme")])
    log_in(page, email=outsider.email, password=DEFAULT_PASSWORD)

    page.goto("/communaute/somme/membres/")
    assert page.get_by_role("heading", level=1, name="Accès refusé").is_visible()
    assert page.get_by_text("seuls ses membres consultent l'annuaire").is_visible()
    assert "Alice Animatrice" not in page.content()
    assert_no_axe_violations(page)
    # Chromium logs the refusal's status: the one console error this test expects.
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ]
    page.console_errors.clear()

    page.get_by_role("link", name="Retour à l'espace Somme").click()
    page.wait_for_url("**/communaute/somme/")
    assert_no_axe_violations(page)
    page.get_by_label("Message aux animateurs").fill("Je suis référente RSA à Amiens.")
    page.get_by_role("button", name="Demander à rejoindre").click()
    page.wait_for_load_state()
    assert page.get_by_text("Votre demande est envoyée aux animateurs").is_visible()
    assert_no_axe_violations(page)

    # The animateur decides from the queue.
    page.context.clear_cookies()
    log_in(page, email=animator.email, password=DEFAULT_PASSWORD)
    page.goto("/communaute/somme/")
    page.get_by_role("link", name="Demandes d'adhésion en attente : 1").click()
    page.wait_for_url("**/communaute/somme/demandes/")
    assert page.get_by_text("Je suis référente RSA à Amiens.").is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Accepter la demande de Nadia E.").click()
    page.wait_for_load_state()
    assert page.get_by_text("Demande acceptée : Nadia E. est membre de l'espace.").is_visible()
    assert_no_axe_violations(page)
    assert JoinRequest.objects.get(user=outsider).status == JoinRequest.Status.ACCEPTED
    assert Membership.objects.filter(space=somme, user=outsider).exists()
