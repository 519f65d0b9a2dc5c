from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portail"

    def ready(self):
        from portal import page_cache
        from portal.workflow_mail import replace_wagtail_notifiers

        page_cache.connect()

        replace_wagtail_notifiers()
