from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "portal.people"
    label = "people"
    verbose_name = "Personnes et territoires"

    def ready(self):
        from allauth.account.signals import user_logged_in
        from allauth.mfa.signals import authenticator_added
        from django.db.models.signals import post_save

        from portal.people.proconnect.views import keep_sign_in
        from portal.people.second_factor import record_activation
        from portal.people.services import record_operator_period

        authenticator_added.connect(record_activation, dispatch_uid="second_factor")
        post_save.connect(
            record_operator_period, sender="people.User", dispatch_uid="operator_period"
        )
        user_logged_in.connect(keep_sign_in, dispatch_uid="proconnect_sign_in")
