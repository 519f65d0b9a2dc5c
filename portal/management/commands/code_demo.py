from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import demo_totp_code


class Command(BaseCommand):
    help = (
        "Affiche le code du moment de l'application d'authentification des comptes "
        "d'équipe de la démonstration (second facteur). DEBUG seulement."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("DEBUG est désactivé : pas de code de démonstration.")
        self.stdout.write(demo_totp_code())
