"""Demo members of one chat room, each with a live session, for load tests.

    manage.py chat_load_users --room hauts-de-france --count 1000 --output var/cookies.txt

Creates (or reuses: the command is idempotent) N accounts chat-load-0001@bench.invalid…
with a complete profile (display name, operator, structure, territory, verified
address), makes them members of the room's space, opens one real session per
account (the configured SESSION_ENGINE, with the auth hash that AuthMiddlewareStack
checks) and writes one `Cookie` header value per line to FILE. Any process that
shares the database (and the cache, for cached_db) accepts these cookies.

The accounts have no usable password: they log in only through these sessions.
Refused with DEBUG off unless --force (bench/chat.py passes it on a throw-away database).
"""

import os
from importlib import import_module
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from community.chat.selectors import chat_room_for_slug
from community.models import Membership, Space
from community.services import refresh_member_count
from portal.people.models import Operator, User

EMAIL_DOMAIN = "bench.invalid"
EMAIL_PREFIX = "chat-load-"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def load_email(number: int) -> str:
    return f"{EMAIL_PREFIX}{number:04d}@{EMAIL_DOMAIN}"


class Command(BaseCommand):
    help = (
        "Crée (ou réutilise) N membres de démonstration d'un salon de discussion, ouvre une "
        "session pour chacun et écrit un en-tête Cookie par ligne dans un fichier (tests de "
        "charge). Refuse de tourner avec DEBUG désactivé, sauf avec --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--room", required=True, help="Slug du salon : celui du territoire de l'espace."
        )
        parser.add_argument("--count", required=True, type=int, help="Nombre de membres.")
        parser.add_argument(
            "--output", required=True, help="Fichier des cookies (un en-tête Cookie par ligne)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Créer les comptes même avec DEBUG désactivé (jamais en production).",
        )

    def handle(self, *args, room, count, output, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est désactivé : chat_load_users refuse de créer des comptes de test de "
                "charge et leurs sessions. Ajoutez --force si c'est vraiment voulu "
                "(base jetable, jamais en production)."
            )
        if count < 1:
            raise CommandError("--count doit être un entier strictement positif.")
        space = Space.objects.select_related("territory").filter(territory__slug=room).first()
        if space is None:
            raise CommandError(
                f"Salon inconnu : aucun espace territorial n'a le slug « {room} » "
                "(par exemple « hauts-de-france »)."
            )
        operators = list(Operator.objects.order_by("position", "pk"))
        if not operators:
            raise CommandError("Aucun opérateur en base : lancez d'abord « manage.py migrate ».")
        chat_room_for_slug(slug=room)  # the room exists before the first connection
        with transaction.atomic():
            users, created = self._users(count, space, operators)
            self._memberships(users, space)
        cookies = self._sessions(users)
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Live sessions are credentials: the file is readable by its owner only.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as stream:
            stream.writelines(f"{cookie}\n" for cookie in cookies)
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} membres de « {space.name} » ({created} créés, {count - created} "
                f"réutilisés) ; {len(cookies)} cookies de session écrits dans {path}."
            )
        )

    def _users(self, count: int, space: Space, operators: list) -> tuple[list[User], int]:
        emails = [load_email(n) for n in range(1, count + 1)]
        existing = {u.email: u for u in User.objects.filter(email__in=emails)}
        missing = []
        for number, email in enumerate(emails, start=1):
            if email in existing:
                continue
            user = User(
                email=email,
                display_name=f"Charge {number:04d}",
                first_name="Charge",
                last_name=f"{number:04d}",
                operator=operators[(number - 1) % len(operators)],
                structure_name="Banc d'essai du chat",
                job_title="Compte de test de charge",
            )
            user.set_unusable_password()  # no hashing: they log in only by their session
            missing.append(user)
        User.objects.bulk_create(missing, batch_size=500)
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        ids = [u.pk for u in users.values()]
        User.territories.through.objects.bulk_create(
            [User.territories.through(user_id=pk, territory_id=space.territory_id) for pk in ids],
            ignore_conflicts=True,
            batch_size=500,
        )
        already = set(
            EmailAddress.objects.filter(user_id__in=ids).values_list("user_id", flat=True)
        )
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=u, email=u.email, primary=True, verified=True)
                for u in users.values()
                if u.pk not in already
            ],
            batch_size=500,
        )
        return [users[email] for email in emails], len(missing)

    def _memberships(self, users: list[User], space: Space) -> None:
        Membership.objects.bulk_create(
            [Membership(space=space, user=u) for u in users],
            ignore_conflicts=True,
            batch_size=500,
        )
        refresh_member_count(space)

    def _sessions(self, users: list[User]) -> list[str]:
        """What django.contrib.auth.login() stores, saved by the configured engine."""
        store_class = import_module(settings.SESSION_ENGINE).SessionStore
        cookies = []
        for user in users:
            session = store_class()
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = BACKEND
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
        return cookies
