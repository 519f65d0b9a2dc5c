from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "portal.people"
    label = "people"
    verbose_name = "Personnes et territoires"

    def ready(self):
        from allauth.mfa.models import Authenticator
        from allauth.mfa.signals import authenticator_added

        from portal.people.second_factor import record_activation

        def on_authenticator_added(sender, request, user, authenticator, **kwargs):
            if request is not None and authenticator.type in (
                Authenticator.Type.TOTP,
                Authenticator.Type.WEBAUTHN,
            ):
                record_activation(request, authenticator)

        authenticator_added.connect(on_authenticator_added, dispatch_uid="second_factor")

        from allauth.account.signals import user_logged_in

        from portal.people.proconnect.views import keep_sign_in

        user_logged_in.connect(keep_sign_in, dispatch_uid="proconnect_sign_in")
