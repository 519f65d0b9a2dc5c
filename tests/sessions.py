"""Sessions as a whole sign-in leaves them, for tests whose subject is not the sign-in.

`Client.force_login` skips the sign-in form; here it also leaves what a complete
sign-in records (allauth's authentication steps: a password, then a second factor), so
that a staff account forced in is a staff account fully signed in. A test about the
second factor itself passes `second_factor=False`, or signs in through the real form.
"""

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.test import Client


def sign_in_records(user, *, second_factor: bool = True) -> dict:
    """The session keys allauth writes for a password sign-in (and its second factor)."""
    now = time.time()
    records = [{"method": "password", "at": now, "email": user.email}]
    if second_factor:
        records.append({"method": "mfa", "at": now, "type": "totp"})
    return {
        AUTHENTICATION_METHODS_SESSION_KEY: records,
        _AUTHENTICATION_METHODS_USER_SESSION_KEY: str(user.pk),
    }


_django_force_login = Client.force_login


def force_login(self, user, backend=None, *, second_factor: bool = True):
    _django_force_login(self, user, backend)
    session = self.session
    session.update(sign_in_records(user, second_factor=second_factor))
    session.save()


def install() -> None:
    Client.force_login = force_login
