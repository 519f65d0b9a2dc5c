"""The generic hook that lets a sending app put links under its notifications in e-mails."""

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from portal.notifications import kinds, links
from portal.notifications.links import EmailLink, register_email_links
from portal.notifications.services import notify
from tests.notifications.conftest import run_task

pytestmark = pytest.mark.django_db

KIND = "tests.linked"


@pytest.fixture
def linked_kind(monkeypatch):
    """A kind whose provider gives each notification a link, and records its calls."""
    monkeypatch.setattr(kinds, "_registry", dict(kinds._registry))
    monkeypatch.setattr(links, "_providers", dict(links._providers))
    kinds.register(KIND, label="Des notifications avec un lien")
    calls = []

    def provider(*, user, notifications):
        calls.append((user, [n.pk for n in notifications]))
        return {
            n.pk: [EmailLink(label=f"Agir sur {n.title}", url=f"https://example.test/{n.pk}/")]
            for n in notifications
        }

    register_email_links(KIND, provider)
    return calls


def test_provider_links_appear_under_their_notification_in_both_parts(
    user, linked_kind, deferred_tasks, on_commit
):
    with on_commit():
        first = notify(recipient=user, kind=KIND, context={"title": "Premier"})
        second = notify(recipient=user, kind=KIND, context={"title": "Second"})
        notify(recipient=user, kind="system.welcome", context={"title": "Bienvenue"})
    run_task(deferred_tasks.results[0])

    [message] = mail.outbox
    [(html, _)] = message.alternatives
    for pk, title in ((first.pk, "Premier"), (second.pk, "Second")):
        assert f"  Agir sur {title} : https://example.test/{pk}/" in message.body
        assert f'<a href="https://example.test/{pk}/"' in html
    assert message.body.count("example.test") == 2
    # One call for all the notifications of the kind in the e-mail.
    assert linked_kind == [(user, [first.pk, second.pk])]


def test_kinds_without_a_provider_get_no_links(user, deferred_tasks, on_commit):
    with on_commit():
        notify(recipient=user, kind="system.welcome")
    run_task(deferred_tasks.results[0])

    assert "example.test" not in mail.outbox[0].body


def test_a_kind_gets_one_provider_only(linked_kind):
    with pytest.raises(ImproperlyConfigured):
        register_email_links(KIND, lambda **kwargs: {})


def test_links_are_for_registered_kinds_only():
    with pytest.raises(LookupError):
        register_email_links("tests.unknown", lambda **kwargs: {})
