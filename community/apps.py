from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Communauté"

    def ready(self):
        from community import notifications  # noqa: F401 — registers the notification kinds
        from community.chat import notifications as chat_kinds  # noqa: F401
        from community.chat import signals as chat_signals  # noqa: F401 — access changes
        from community.forums import notifications as forum_kinds  # noqa: F401
        from community.moderation import notifications as moderation_kinds  # noqa: F401
        from community.personal_data import erase, export
        from community.search import topics_and_posts
        from community.sheets import notifications as sheet_kinds  # noqa: F401
        from community.sheets import search as sheet_search  # noqa: F401 — its provider
        from community.sheets import signals  # noqa: F401 — Wagtail publication receivers
        from community.watching import emails  # noqa: F401 — unwatch links in e-mails
        from portal import search
        from portal.people.personal_data import register_eraser, register_exporter

        register_exporter("communaute", export)
        register_eraser("communaute", erase)

        if topics_and_posts not in search.PROVIDERS:
            search.PROVIDERS.append(topics_and_posts)
        # Practice sheets have their own provider (with their territory and summary).
        from community.models import PracticeSheetPage

        search.PAGE_TYPES_WITH_OWN_PROVIDER.add(PracticeSheetPage)
