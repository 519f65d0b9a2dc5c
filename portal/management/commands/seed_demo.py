import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = (
        "Charge le contenu de démonstration (idempotent : le relancer ne duplique rien). "
        "Refuse de tourner avec DEBUG désactivé, sauf avec --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Charger la démonstration même avec DEBUG désactivé (jamais en production).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG est désactivé : seed_demo refuse de créer des comptes de démonstration "
                "(mot de passe connu). Ajoutez --force si c'est vraiment voulu."
            )
        accounts = []
        for module_name in self._seeders():
            module = importlib.import_module(module_name)
            accounts += module.seed(stdout=self.stdout) or []
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
        self.stdout.write("")
        self.stdout.write("Portail : http://127.0.0.1:8000/  —  connexion : /comptes/login/")
        self.stdout.write("Admin des éditeurs : /admin/  —  admin technique : /django-admin/")
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for email, role in accounts:
            self.stdout.write(f"  {email:<40} {role}")
        self.stdout.write(
            "Les comptes d'équipe demandent aussi un code de validation en deux étapes : "
            "`.venv/bin/python manage.py code_demo` l'affiche "
            f"(ou une application d'authentification, clé {DEMO_TOTP_SECRET})."
        )

    @staticmethod
    def _seeders() -> list[str]:
        names = ["portal.demo"]
        for config in apps.get_app_configs():
            candidate = f"{config.name}.demo"
            if candidate in names or config.name.split(".")[0] not in {
                "portal",
                "academy",
                "community",
                "pilotage",
            }:
                continue
            if importlib.util.find_spec(candidate) is not None:
                names.append(candidate)
        return names
