"""ProConnect, the State's identity federation for professionals, as an allauth provider.

django-allauth's generic OpenID Connect provider does most of it; this one adds what
ProConnect asks (docs/decisions.md, "ProConnect"): a nonce, a state of 32 characters
or more, the userinfo answered as a signed JWT, the ID token's signature always
checked against the provider's JWKS, its claims (usual_name, siret, idp_id), acr
values, and the logout at ProConnect with the ID token.
"""
