from django.core.management.base import BaseCommand

from portal.setup import site_setup


class Command(BaseCommand):
    help = "Crée la page d'accueil et les pages légales si elles manquent (idempotent)."

    def handle(self, *args, **options):
        home = site_setup()
        self.stdout.write(self.style.SUCCESS(f"Site prêt : page d'accueil « {home.title} »."))
