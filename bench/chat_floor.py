"""An experiment, not the portal: how fast could the chat's send path be without its checks?

`bench/chat.py` serves this module instead of portal.asgi when asked:

    BENCH_CHAT_ASGI_APP=bench.chat_floor:application BENCH_CHAT_SERVERS=anchor,uvicorn \
    BENCH_CHAT_CLIENTS=200 BENCH_FLOOR_SKIP=health,membership,markdown,ratelimit \
    .venv/bin/python bench/chat.py

BENCH_FLOOR_SKIP lists what each message no longer does (any subset):
- health: the connection check (`SELECT 1`) before the first query of each call;
- membership: the membership query (the first answer is kept for the whole run, so a
  suspension would never take effect);
- markdown: rendering and sanitising (the body is wrapped in <p> as it is);
- ratelimit: the rate limit (one Redis script per message).
What remains is the durable save (one PostgreSQL statement, committed) and the
broadcast. docs/decisions.md ("Discussion en direct") gives the figures it measured.
"""

import os

from django.conf import settings

from portal.asgi import application  # noqa: F401 (served by uvicorn)

SKIP = {part.strip() for part in os.environ.get("BENCH_FLOOR_SKIP", "").split(",") if part}

if "health" in SKIP:
    from django.db import connections

    settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    connections.settings["default"]["CONN_HEALTH_CHECKS"] = False

if SKIP & {"membership", "markdown", "ratelimit"}:
    from community import permissions
    from community.chat import services

    if "membership" in SKIP:
        remembered = {}

        class RememberedPermissions:
            post_refusal = staticmethod(permissions.post_refusal)

            @staticmethod
            def membership_of(*, user, space):
                key = (user.pk, space.pk)
                if key not in remembered:
                    remembered[key] = permissions.membership_of(user=user, space=space)
                return remembered[key]

        services.permissions = RememberedPermissions
    if "markdown" in SKIP:
        services.render_markdown = lambda body, inline_only=True: f"<p>{body}</p>"
    if "ratelimit" in SKIP:
        services.RATE_LIMITS = ()
