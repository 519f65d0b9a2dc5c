from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portail"

    def ready(self):
        from portal.workflow_mail import replace_wagtail_notifiers

        replace_wagtail_notifiers()
