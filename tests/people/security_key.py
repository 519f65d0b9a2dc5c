"""A security key in software, for tests of the server side of WebAuthn through allauth's
real views and python-fido2's real checks (the browser's side is tested in Chromium
with its virtual authenticator: tests/e2e/test_staff_second_factor_journey.py).

It answers allauth's options as webauthn-json hands them to the page's form: a "none"
attestation at registration, an ECDSA P-256 signature at each assertion."""

import hashlib
import json
import os
from base64 import urlsafe_b64encode

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.webauthn import AttestationObject, AttestedCredentialData, AuthenticatorData

ORIGIN = "https://testserver"  # Django's test client serves "testserver", the RP ID.


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftwareSecurityKey:
    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    def _client_data(self, kind: str, options: dict) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": options["challenge"],
                "origin": ORIGIN,
                "crossOrigin": False,
            }
        ).encode()

    def _rp_id_hash(self, rp_id: str) -> bytes:
        return hashlib.sha256(rp_id.encode()).digest()

    def register(self, creation_options: dict) -> str:
        """The credential field of allauth's add form, for its creation_options."""
        options = creation_options["publicKey"]
        client_data = self._client_data("webauthn.create", options)
        attested = AttestedCredentialData.create(
            b"\0" * 16,
            self.credential_id,
            ES256.from_cryptography_key(self.private_key.public_key()),
        )
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT
        auth_data = AuthenticatorData.create(
            self._rp_id_hash(options["rp"]["id"]), flags, self.counter, attested
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return json.dumps(
            {
                "id": b64url(self.credential_id),
                "rawId": b64url(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "attestationObject": b64url(bytes(attestation)),
                },
                "clientExtensionResults": {},
            }
        )

    def assert_(self, request_options: dict, *, credential_id: bytes | None = None) -> str:
        """The credential field of allauth's authenticate form, for its request_options
        (signed by this key, in the name of `credential_id`, this key's own by default)."""
        options = request_options["publicKey"]
        self.counter += 1
        client_data = self._client_data("webauthn.get", options)
        auth_data = AuthenticatorData.create(
            self._rp_id_hash(options["rpId"]), AuthenticatorData.FLAG.UP, self.counter
        )
        signature = self.private_key.sign(
            bytes(auth_data) + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        credential_id = credential_id or self.credential_id
        return json.dumps(
            {
                "id": b64url(credential_id),
                "rawId": b64url(credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "authenticatorData": b64url(bytes(auth_data)),
                    "signature": b64url(signature),
                    "userHandle": None,
                },
                "clientExtensionResults": {},
            }
        )
