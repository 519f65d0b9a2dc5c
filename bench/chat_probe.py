"""A profiler for the chat's send path: timing probes around each of its steps.

`bench/chat.py` serves this module instead of portal.asgi when asked:

    BENCH_CHAT_ASGI_APP=bench.chat_probe:application BENCH_CHAT_SERVERS=floor,uvicorn \
    BENCH_CHAT_CLIENTS=200 .venv/bin/python bench/chat.py

Each server process writes (to BENCH_PROBE_DIR/probe-<pid>.txt every 3 s, else to
stderr when it stops) the median / 95th percentile / count of:
- the stages of a message in the process that receives it, on the clients' clock
  (CLOCK_MONOTONIC is system-wide; the bench's client_id carries the send time):
  client → consumer, consumer → database thread, the service, thread → event loop,
  the publication on the channel layer;
- the steps inside the service (membership, refusal, rate limit, Markdown, the
  INSERT, the frame), and the connection health check;
- in every process, layer → hub (publication to arrival) and the hub's fan-out.
Wall-clock times of one process, never CPU: a wait for a thread or a socket counts.
"""

import atexit
import functools
import json
import os
import sys
import threading
import time
from collections import defaultdict

# isort: off
from portal.asgi import application  # noqa: F401 (served by uvicorn; sets Django up first)
from community.chat import broadcast, consumers, hub, services

# isort: on

now = time.monotonic_ns
durations: dict[str, list[int]] = defaultdict(list)
stamps: dict[str, dict[str, int]] = defaultdict(dict)  # client_id -> stage -> ns
lock = threading.Lock()


def record(label: str, ns: int) -> None:
    with lock:
        durations[label].append(ns)


def timed(owner, name: str, label: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        start = now()
        try:
            return original(*args, **kwargs)
        finally:
            record(label, now() - start)

    setattr(owner, name, wrapper)


def sent_at(client_id) -> int | None:
    if isinstance(client_id, str) and client_id.startswith("bench:"):
        return int(client_id.rsplit(":", 1)[1])
    return None


# Inside the service (they run in the database thread).
timed(services.permissions, "membership_of", "service : adhésion (requête)")
timed(services.permissions, "post_refusal", "service : droit d'écrire")
timed(services, "_rate_take", "service : limite de débit (Redis)")
timed(services, "render_with_mentions", "service : Markdown + nh3")
timed(services, "_save_numbered", "service : INSERT numéroté")
timed(services.frames, "message_payload", "service : trame")

from django.db import connections  # noqa: E402

timed(type(connections["default"]), "is_usable", "fil : vérification de santé (SELECT 1)")

_send = services.chat_message_send


def probed_send(**kwargs):
    client_id = kwargs.get("client_id")
    stamps[client_id]["thread_in"] = now()
    try:
        return _send(**kwargs)
    finally:
        stamps[client_id]["thread_out"] = now()


services.chat_message_send = probed_send

_receive = consumers.ChatConsumer.receive


async def probed_receive(self, text_data=None, bytes_data=None):
    at = now()
    client_id = None
    if text_data and '"bench:' in text_data:
        client_id = json.loads(text_data).get("client_id")
        stamps[client_id]["receive"] = at
    self._probe_client_id = client_id
    await _receive(self, text_data=text_data, bytes_data=bytes_data)


consumers.ChatConsumer.receive = probed_receive

_asend = broadcast.asend


async def probed_asend(message):
    start = now()
    client_id = None
    if message.get("id") is not None and '"bench:' in message["frame"]:
        client_id = json.loads(message["frame"])["client_id"]
        stamps[client_id]["loop_back"] = start
    await _asend(message)
    if client_id is not None:
        stamps[client_id]["published"] = now()


broadcast.asend = probed_asend

_arrived = hub.Hub._arrived


async def probed_arrived(self, local, number, frame):
    start = now()
    client_id = json.loads(frame).get("client_id") if '"bench:' in frame else None
    await _arrived(self, local, number, frame)
    if client_id is not None:
        record("hub : envoi → arrivée dans ce processus", start - sent_at(client_id))
        record(f"hub : diffusion ({len(local.connections)} connexions)", now() - start)


hub.Hub._arrived = probed_arrived

STAGES = [
    ("client → consommateur", None, "receive"),
    ("consommateur → fil de la base", "receive", "thread_in"),
    ("service entier (fil)", "thread_in", "thread_out"),
    ("fil → boucle d'événements", "thread_out", "loop_back"),
    ("publication sur la couche", "loop_back", "published"),
    ("envoi → publié (total ici)", None, "published"),
]


def report() -> None:
    def line(label: str, values: list[int]) -> str:
        values = sorted(values)
        p50 = values[len(values) // 2] / 1e6
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))] / 1e6
        return f"  {label:<48}{p50:>8.3f}{p95:>8.3f}{len(values):>7}"

    lines = [f"Sondes du processus {os.getpid()} (ms : médiane, 95e centile, nombre)"]
    for label, start, end in STAGES:
        values = []
        for client_id, marks in list(stamps.items()):
            begin = sent_at(client_id) if start is None else marks.get(start)
            if begin is not None and end in marks:
                values.append(marks[end] - begin)
        if values:
            lines.append(line(label, values))
    for label, values in sorted(durations.items()):
        lines.append(line(label, values))
    text = "\n".join(lines) + "\n"
    directory = os.environ.get("BENCH_PROBE_DIR")
    if directory:
        with open(os.path.join(directory, f"probe-{os.getpid()}.txt"), "w") as out:
            out.write(text)
    else:
        sys.stderr.write(text)


def every_few_seconds() -> None:
    # A server stopped by a signal may never reach atexit: the report is rewritten
    # every few seconds, the last one holds everything measured.
    while True:
        time.sleep(3)
        if stamps or durations:
            report()


if os.environ.get("BENCH_PROBE_DIR"):
    threading.Thread(target=every_few_seconds, daemon=True).start()
else:
    atexit.register(report)
