"""A real OpenID provider, configured as ProConnect, for the tests (tests/oidc_provider).

panva's node-oidc-provider, installed from the npm registry (`make test` runs `npm ci`
in tests/oidc_provider), started once per test session by Node on 127.0.0.1. Tests
marked `oidc` skip without Node or the package, and fail so under CI.

The provider knows one client, the portal, whose callbacks are those of Django's test
client (http://testserver) and of the live server the browser tests use.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PROVIDER_DIR = Path(__file__).parent / "oidc_provider"
CLIENT_ID = "portail-academie-communaute"
CLIENT_SECRET = "un-secret-de-test-assez-long-pour-hs256-0123456789"
CALLBACK = "/comptes/proconnect/login/callback/"
LOGOUT_CALLBACK = "/comptes/proconnect/logout/"
TEST_HOST = "http://testserver"


def missing() -> str | None:
    """Why the provider cannot start here, or None."""
    if shutil.which("node") is None:
        return "Node.js absent : le fournisseur OpenID des tests ne peut pas démarrer."
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return (
            "oidc-provider absent : lancez « npm ci » dans tests/oidc_provider (make test le fait)."
        )
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Provider:
    issuer: str
    accounts_file: Path
    process: subprocess.Popen
    accounts: dict = field(default_factory=dict)

    def add_account(self, login: str, password: str = "mot-de-passe-fi", **claims) -> None:
        """An identity at the provider; claims as ProConnect names them."""
        self.accounts[login] = {"password": password, **claims}
        tmp = self.accounts_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.accounts))
        tmp.replace(self.accounts_file)  # the provider reads it whole at each sign-in

    def settings(self) -> dict:
        from portal.settings import proconnect_app

        return {
            "proconnect": proconnect_app(
                client_id=CLIENT_ID, secret=CLIENT_SECRET, server_url=self.issuer
            )
        }


def _start_once(*, extra_hosts: list[str]) -> Provider:
    port = _free_port()
    hosts = [TEST_HOST, *extra_hosts]
    directory = Path(tempfile.mkdtemp(prefix="portal-oidc-"))
    accounts_file = directory / "accounts.json"
    accounts_file.write_text("{}")
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": json.dumps([h + CALLBACK for h in hosts]),
        "OIDC_POST_LOGOUT_REDIRECT_URIS": json.dumps([h + LOGOUT_CALLBACK for h in hosts]),
        "OIDC_ACCOUNTS": str(accounts_file),
    }
    process = subprocess.Popen(  # noqa: S603 (Node on the project's own provider script)
        [shutil.which("node"), "server.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready = threading.Event()
    lines: list[str] = []

    def read():
        for line in process.stdout:
            lines.append(line)
            if line.startswith("ready "):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    threading.Thread(target=lambda: [lines.append(x) for x in process.stderr], daemon=True).start()
    for _ in range(300):  # 30 s
        if ready.wait(0.1):
            break
        if process.poll() is not None:  # it stopped (its port taken meanwhile, say)
            break
    if not ready.is_set():
        process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()
        raise RuntimeError("Le fournisseur OpenID n'a pas démarré :\n" + "".join(lines))
    issuer = next(line for line in lines if line.startswith("ready ")).split()[1]
    return Provider(issuer=issuer, accounts_file=accounts_file, process=process)


def start(*, extra_hosts: list[str]) -> Provider:
    try:
        return _start_once(extra_hosts=extra_hosts)
    except RuntimeError:
        # The free port found may be taken before Node listens on it: one more try.
        return _start_once(extra_hosts=extra_hosts)


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    reason = missing()
    if reason:
        from tests.conftest import IN_CI

        if IN_CI:
            pytest.fail(f"Sous CI, ce test ne peut pas être ignoré : {reason}", pytrace=False)
        pytest.skip(reason)
    provider = start(extra_hosts=[live_server.url])
    yield provider
    provider.process.terminate()
    try:
        provider.process.wait(10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait()
    provider.process.stdout.close()
    provider.process.stderr.close()


@pytest.fixture
def proconnect(settings, oidc_provider):
    """ProConnect configured on the portal, pointing at the test provider."""
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.settings()
    settings.PROCONNECT_ENABLED = True
    settings.PROCONNECT_ACR_VALUES = "eidas1"
    return oidc_provider
