"""The chat page ends with its footer: nothing of the message list escapes below it."""

from community.chat.selectors import chat_room_for_slug
from portal.setup import site_setup
from tests.community.factories import MembershipFactory, chat_messages, space
from tests.e2e.conftest import log_in
from tests.factories import DEFAULT_PASSWORD


def test_chat_page_has_no_blank_space_below_the_footer(page):
    site_setup()
    nord = space("nord")
    member = MembershipFactory(space=nord).user
    others = [MembershipFactory(space=nord).user for _ in range(3)]
    chat_messages(chat_room_for_slug(slug="nord"), authors=[member, *others], count=80)
    log_in(page, email=member.email, password=DEFAULT_PASSWORD)

    page.goto("/communaute/nord/discussion/")

    assert page.locator("[data-chat-messages] > li").count() >= 50
    below = page.evaluate(
        "() => document.documentElement.scrollHeight"
        " - (document.querySelector('footer.fr-footer').getBoundingClientRect().bottom"
        " + window.scrollY)"
    )
    assert below <= 1, f"{below} px de page vide sous le pied de page"


def test_chat_times_read_in_paris_time_whatever_the_browser_s_time_zone(chromium, live_server):
    from django.utils import timezone

    from community.models import ChatMessage

    site_setup()
    nord = space("nord")
    member = MembershipFactory(space=nord).user
    chat_messages(chat_room_for_slug(slug="nord"), authors=[member], count=3)
    created = timezone.localtime(ChatMessage.objects.latest("number").created_at)
    paris_clock = created.strftime("à %Hh%M")
    context = chromium.new_context(
        locale="fr-FR", timezone_id="America/New_York", base_url=live_server.url
    )
    tab = context.new_page()
    log_in(tab, email=member.email, password=DEFAULT_PASSWORD)
    tab.goto("/communaute/nord/discussion/")

    last_time = tab.locator("[data-chat-messages] > li time").last
    tab.wait_for_function(
        "() => document.querySelector('[data-chat]').dataset.chatState !== undefined"
    )
    text = last_time.inner_text()
    context.close()
    assert text.endswith(paris_clock), (text, paris_clock)
