"""Chat fan-out benchmark: one room, N WebSocket clients, 40 senders, 20 messages/s.

Measures what DESIGN.md ("Runtime", "Live chat") sets as the contract, each server
against two anchors in the same run, at the same load:

- anchor: bench/anchor_server.py, a bare `websockets` broadcast server (no Django),
  2 processes forming one room through Redis (one atomic INCR+PUBLISH per message,
  one subscription per process): the portal's topology minus Django, Channels,
  authentication and the PostgreSQL transaction. It stores nothing: no chat that
  saves before it broadcasts can reach it;
- floor: bench/floor_server.py, the durable floor: 2 bare `websockets` processes
  that number and store each message in PostgreSQL in one statement (async psycopg,
  autocommit: a durable commit), then publish it on Redis pub/sub, each process
  delivering in number order what it hears to its own clients. It is the least the
  chat's design requires; the portal adds Django, Channels, authentication, the
  membership check, the rate limit and Markdown on top;
- uvicorn: 2 processes `uvicorn portal.asgi:application --workers 1`, one per port,
  with the flags of the Procfile's `ws` line (permessage-deflate off), DEBUG off,
  Redis pub/sub channel layer, PostgreSQL;
- daphne: the same with 2 `daphne` processes.
Also on request: "anchor-deflate" and "uvicorn-deflate", the same with
permessage-deflate accepted (daphne does not implement it).

Clients are split evenly over the 2 ports and run in BENCH_CHAT_CLIENT_PROCS asyncio
processes (`websockets` library, uvloop): one process receiving 20,000 frames/s for
1,000 clients saturates a core and its own queueing then shows up as latency. The
portal's clients are real members of the room's space, authenticated by session
cookies (`manage.py chat_load_users`, on a throw-away PostgreSQL database that the
bench creates, migrates and drops), and send an allowed Origin and offer
permessage-deflate, like browsers. Every message carries its send time in its
`client_id` (`bench:<k>:<time.monotonic_ns()>`; CLOCK_MONOTONIC is system-wide on
Linux): latency is receive time minus send time on one clock across processes.
40 senders share the total rate, each a distinct member (0.5 message/s each: inside
the portal's own limits of 5 messages in 5 s and 60 in 60 s, so that no send is
refused: a refused send would measure nothing). Refused sends (error frames, by
code) are counted and reported, and the bench exits with status 1 if there is any.
The anchors are driven by the same clients in the same layout.

Reported per run: connected clients, delivered / expected (every message to every
client), duplicates, out-of-order receipts (a wire id lower than one already
received), gaps (ids skipped), p50/p95/p99/max of send→receive over the measured
window (after a warm-up), CPU (client processes, the 2 server processes, in % of one
core; the whole machine, in % of all cores) and the machine's load in the second
before the run: above 15 %, something else was running and the figures are not
comparable. Goals: every message exactly once and in order, no refused send, and the
portal's p99 ≤ 1.3 × the durable floor's at 200 and at 1,000 clients (issue 10; the
ratio to the bare anchor is printed too).

    make bench                                     # the HTTP part, then this one
    make bench-chat                                # this one alone (about 5 minutes)
    BENCH_CHAT_CLIENTS=200 BENCH_CHAT_SERVERS=anchor,uvicorn .venv/bin/python bench/chat.py

Needs PostgreSQL (BENCH_CHAT_PG_ADMIN_URL, default
postgres://postgres@127.0.0.1:5432/postgres: a role that may create databases) and
Redis (REDIS_URL, default redis://127.0.0.1:6379/0; keys under a random prefix,
deleted at the end). Other knobs (environment): BENCH_CHAT_CLIENTS ("200,1000"),
BENCH_CHAT_SERVERS ("anchor,floor,uvicorn,daphne"), BENCH_CHAT_SECONDS (15, measured),
BENCH_CHAT_WARMUP (3), BENCH_CHAT_RATE (20 messages/s), BENCH_CHAT_SENDERS (40),
BENCH_CHAT_CLIENT_PROCS (2), BENCH_CHAT_DEFLATE (1: clients offer permessage-deflate),
BENCH_CHAT_PORT (8801, and the next one), BENCH_CHAT_ROOM (hauts-de-france),
BENCH_CHAT_KEEP_DB (0), BENCH_CHAT_QUIET_WAIT (0: on a shared machine, seconds to wait
before each run for the others to stop), BENCH_CHAT_ASGI_APP (portal.asgi:application;
a module that wraps it, with timing probes for instance, when profiling; or
bench.chat_floor:application, the experiment that measures the send path without its
checks).
"""

import asyncio
import contextlib
import json
import multiprocessing
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import floor_server  # noqa: E402 (bench/floor_server.py: the durable floor)
import run as http_bench  # noqa: E402 (bench/run.py: the HTTP benchmark's settings)

PYTHON = sys.executable
BIN = Path(PYTHON).parent

CLIENTS = [int(n) for n in os.environ.get("BENCH_CHAT_CLIENTS", "200,1000").split(",") if n]
SERVERS = [
    s for s in os.environ.get("BENCH_CHAT_SERVERS", "anchor,floor,uvicorn,daphne").split(",") if s
]
SECONDS = float(os.environ.get("BENCH_CHAT_SECONDS", "15"))
WARMUP = float(os.environ.get("BENCH_CHAT_WARMUP", "3"))
RATE = float(os.environ.get("BENCH_CHAT_RATE", "20"))
SENDERS = int(os.environ.get("BENCH_CHAT_SENDERS", "40"))  # distinct members
CLIENT_PROCS = int(os.environ.get("BENCH_CHAT_CLIENT_PROCS", "2"))
DEFLATE = os.environ.get("BENCH_CHAT_DEFLATE", "1") not in {"0", "false", "no", "off"}
PORT = int(os.environ.get("BENCH_CHAT_PORT", "8801"))
PORTS = [PORT, PORT + 1]
ROOM = os.environ.get("BENCH_CHAT_ROOM", "hauts-de-france")
PG_ADMIN_URL = os.environ.get(
    "BENCH_CHAT_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
ASGI_APP = os.environ.get("BENCH_CHAT_ASGI_APP", "portal.asgi:application")
KEEP_DB = os.environ.get("BENCH_CHAT_KEEP_DB", "0") in {"1", "true", "yes", "on"}
QUIET_WAIT = float(os.environ.get("BENCH_CHAT_QUIET_WAIT", "0"))
QUIET_BELOW = 15.0  # % of all cores busy before a run: more means someone else is working
DRAIN = 10.0  # seconds after the last send to wait for every delivery
CONNECT_CONCURRENCY = 50
FLOOR_GOAL = 1.3  # issue 10: the portal's p99 at most this times the durable floor's

SERVER_LABELS = {
    "anchor": "ancre : websockets nu (2 proc. + Redis)",
    "anchor-deflate": "ancre avec permessage-deflate",
    "floor": "plancher durable : websockets + PG + Redis",
    "uvicorn": "uvicorn, 2 processus (Procfile)",
    "uvicorn-deflate": "uvicorn avec permessage-deflate",
    "daphne": "daphne, 2 processus",
}


# --- clients (in one or more worker processes) -----------------------------------------


class Client:
    __slots__ = ("disorder", "duplicates", "errors", "gaps", "last_id", "received", "seen", "ws")

    def __init__(self):
        self.ws = None
        self.last_id = 0
        self.seen: set[int] = set()
        self.received = 0
        self.duplicates = 0
        self.disorder = 0
        self.gaps = 0
        self.errors = 0


async def _client_session(spec: dict, pipe) -> dict:
    from websockets.asyncio.client import connect

    loop = asyncio.get_running_loop()
    total = spec["total"]
    warm = spec["warmup_count"]
    clients = [Client() for _ in spec["targets"]]
    latencies = array("q")
    extensions: set[str] = set()
    failures: list[str] = []
    all_in = asyncio.Event()
    error_codes: dict[str, int] = {}  # error frames received, by the protocol's code
    complete = [0]  # clients that have every message

    def on_frame(client: Client, text: str) -> None:
        now = time.monotonic_ns()
        frame = json.loads(text)
        kind = frame.get("type")
        if kind == "message":
            number = frame["id"]
            if number <= client.last_id:
                client.disorder += 1
            else:
                if client.last_id and number > client.last_id + 1:
                    client.gaps += number - client.last_id - 1
                client.last_id = number
            client_id = frame.get("client_id") or ""
            if not client_id.startswith("bench:"):
                return
            _, k, sent = client_id.split(":")
            k = int(k)
            if k in client.seen:
                client.duplicates += 1
                return
            client.seen.add(k)
            client.received += 1
            if k >= warm:
                latencies.append(now - int(sent))
            if client.received == total:
                complete[0] += 1
                if complete[0] == len(clients):
                    all_in.set()
        elif kind == "error":
            client.errors += 1
            code = str(frame.get("code"))
            error_codes[code] = error_codes.get(code, 0) + 1

    async def reader(client: Client) -> None:
        try:
            async for text in client.ws:
                on_frame(client, text)
        except Exception:  # noqa: S110 — a closed connection shows as missing deliveries
            pass

    semaphore = asyncio.Semaphore(CONNECT_CONCURRENCY)
    readers = []

    async def join(client: Client, target: dict) -> None:
        async with semaphore:
            try:
                ws = await connect(
                    target["url"],
                    origin=target["origin"],
                    additional_headers={"Cookie": target["cookie"]} if target["cookie"] else None,
                    compression="deflate" if spec["deflate"] else None,
                    open_timeout=60,
                    ping_interval=None,
                    max_queue=None,
                )
                history = json.loads(await asyncio.wait_for(ws.recv(), 60))
                if history.get("type") != "history":
                    raise RuntimeError(f"first frame: {history.get('type')}")
                if history["messages"]:
                    client.last_id = history["messages"][-1]["id"]
                presence = json.loads(await asyncio.wait_for(ws.recv(), 60))
                if presence.get("type") != "presence":
                    raise RuntimeError(f"second frame: {presence.get('type')}")
            except Exception as error:
                failures.append(f"{type(error).__name__}: {error}"[:200])
                return
            client.ws = ws
            extensions.update(str(e.name) for e in ws.protocol.extensions)
            readers.append(asyncio.create_task(reader(client)))

    await asyncio.gather(*(join(c, t) for c, t in zip(clients, spec["targets"], strict=True)))
    connected = [c for c in clients if c.ws is not None]
    pipe.send(("connected", len(connected), failures[:5], sorted(extensions)))
    command, start_ns = await loop.run_in_executor(None, pipe.recv)
    assert command == "go"

    # Senders: SENDERS tasks' worth of schedule, each rotating over its sessions.
    sent = 0
    send_failures = 0
    senders = [clients[i] for i in spec["sender_indexes"]]
    cpu_start = time.process_time()
    if senders:
        rate_ns = 1e9 / spec["rate"]
        for k in range(total):
            delay = (start_ns + k * rate_ns - time.monotonic_ns()) / 1e9
            if delay > 0:
                await asyncio.sleep(delay)
            client = senders[k % len(senders)]  # each member in turn: 1 in len(senders)
            client_id = f"bench:{k}:{time.monotonic_ns()}"
            try:
                await client.ws.send(
                    json.dumps({"type": "message", "body": f"Message {k}", "client_id": client_id})
                )
                sent += 1
            except Exception:
                send_failures += 1
    else:
        await asyncio.sleep(max(0.0, (start_ns - time.monotonic_ns()) / 1e9 + total / spec["rate"]))
    if connected:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_in.wait(), DRAIN)
    cpu = time.process_time() - cpu_start
    for client in connected:
        await client.ws.close()
    for task in readers:
        task.cancel()
    return {
        "connected": len(connected),
        "failures": failures[:5],
        "sent": sent,
        "send_failures": send_failures,
        "received": sum(c.received for c in connected),
        "duplicates": sum(c.duplicates for c in connected),
        "disorder": sum(c.disorder for c in connected),
        "gaps": sum(c.gaps for c in connected),
        "errors": sum(c.errors for c in connected),
        "error_codes": error_codes,
        "latencies": latencies.tobytes(),
        "cpu": cpu,
    }


def client_worker(spec: dict, pipe) -> None:
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    result = runner(_client_session(spec, pipe))
    pipe.send(("done", result))


# --- servers --------------------------------------------------------------------------


def wait_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"Le serveur du port {port} s'est arrêté (code {process.returncode}).")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"Le serveur du port {port} ne répond pas.")


def server_command(kind: str, port: int, prefix: str, database_url: str) -> list[str]:
    if kind == "floor":
        return [
            PYTHON,
            str(ROOT / "bench" / "floor_server.py"),
            "--port",
            str(port),
            "--database",
            database_url,
            "--redis",
            REDIS_URL,
            "--prefix",
            f"{prefix}-floor",
        ]
    if kind.startswith("anchor"):
        return [
            PYTHON,
            str(ROOT / "bench" / "anchor_server.py"),
            "--port",
            str(port),
            "--redis",
            REDIS_URL,
            "--prefix",
            f"{prefix}-anchor",
            *(["--deflate"] if kind == "anchor-deflate" else []),
        ]
    if kind.startswith("uvicorn"):
        command = [
            PYTHON,
            "-m",
            "uvicorn",
            ASGI_APP,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--lifespan",
            "off",
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        if kind == "uvicorn":  # as the Procfile's ws line
            command += ["--ws-per-message-deflate", "false"]
        return command
    if kind == "daphne":
        return [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "-v", "0",
                ASGI_APP]  # fmt: skip
    raise SystemExit(f"Serveur inconnu : {kind}")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def busy_percent(seconds: float = 1.0) -> float:
    busy, total = machine_busy()
    time.sleep(seconds)
    busy_after, total_after = machine_busy()
    return (busy_after - busy) / max(1, total_after - total) * 100


def wait_for_quiet() -> float:
    """The machine's load from others just before a run (%), after waiting up to QUIET_WAIT."""
    deadline = time.monotonic() + QUIET_WAIT
    while True:
        busy = busy_percent()
        if busy <= QUIET_BELOW or time.monotonic() >= deadline:
            return busy
        print(f"    machine occupée par ailleurs ({busy:.0f} %) : attente …", flush=True)
        time.sleep(4)


# --- one run ---------------------------------------------------------------------------


def run_once(kind: str, n: int, env: dict, cookies: list[str], prefix: str) -> dict:
    before = wait_for_quiet()
    servers = [
        subprocess.Popen(server_command(kind, port, prefix, env["DATABASE_URL"]), cwd=ROOT, env=env)
        for port in PORTS
    ]
    try:
        for port, process in zip(PORTS, servers, strict=True):
            wait_port(port, process)
        portal = is_portal(kind)
        procs = max(1, min(CLIENT_PROCS, n))
        # Worker w gets clients w, w + procs, …: alternate ports within each worker, so
        # that the senders (the first clients of worker 0) use both server processes.
        targets = [
            {
                "url": f"ws://127.0.0.1:{PORTS[(i // procs) % 2]}/ws/chat/{ROOM}/",
                "origin": f"http://127.0.0.1:{PORTS[(i // procs) % 2]}",
                "cookie": cookies[i] if portal else None,
            }
            for i in range(n)
        ]
        total = round((WARMUP + SECONDS) * RATE)
        context = multiprocessing.get_context("spawn")
        workers = []
        n_senders = min(n, SENDERS)
        for w in range(procs):
            mine = targets[w::procs]
            spec = {
                "targets": mine,
                "sender_indexes": list(range(min(n_senders, len(mine)))) if w == 0 else [],
                "senders": SENDERS,
                "rate": RATE,
                "total": total,
                "warmup_count": round(WARMUP * RATE),
                "deflate": DEFLATE,
            }
            parent, child = context.Pipe()
            process = context.Process(target=client_worker, args=(spec, child), daemon=True)
            process.start()
            workers.append((process, parent))
        connected, failures, extensions = 0, [], set()
        for _process, pipe in workers:
            _, count, failed, ext = pipe.recv()
            connected += count
            failures += failed
            extensions.update(ext)
        time.sleep(2.5)  # presence deltas of the connect storm go out (one per second)
        start_ns = time.monotonic_ns() + 200_000_000
        server_cpu = [cpu_seconds(p.pid) for p in servers]
        busy, all_ticks = machine_busy()
        for _, pipe in workers:
            pipe.send(("go", start_ns))
        results = [pipe.recv()[1] for _, pipe in workers]
        busy_after, all_after = machine_busy()
        elapsed = (time.monotonic_ns() - start_ns) / 1e9
        server_cpu = sum(cpu_seconds(p.pid) - c for p, c in zip(servers, server_cpu, strict=True))
        for process, _ in workers:
            process.join(timeout=10)
    finally:
        for process in servers:
            process.send_signal(signal.SIGTERM)
        for process in servers:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    latencies = array("q")
    for result in results:
        latencies.frombytes(result["latencies"])
    ordered = sorted(latencies)
    sent = sum(r["sent"] for r in results)

    def pct(p: float) -> float:
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] / 1e6

    return {
        "kind": kind,
        "clients": n,
        "connected": connected,
        "failures": failures,
        "extensions": sorted(extensions),
        "sent": sent,
        "send_failures": sum(r["send_failures"] for r in results),
        "expected": sent * connected,
        "received": sum(r["received"] for r in results),
        "duplicates": sum(r["duplicates"] for r in results),
        "disorder": sum(r["disorder"] for r in results),
        "gaps": sum(r["gaps"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "error_codes": {
            code: sum(r["error_codes"].get(code, 0) for r in results)
            for code in sorted({c for r in results for c in r["error_codes"]})
        },
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "max": ordered[-1] / 1e6 if ordered else float("nan"),
        "client_cpu": sum(r["cpu"] for r in results) / elapsed * 100,
        "server_cpu": server_cpu / elapsed * 100,
        "machine": (busy_after - busy) / max(1, all_after - all_ticks) * 100,
        "before": before,
    }


# --- setup ------------------------------------------------------------------------------


def database_urls(name: str) -> tuple[str, str]:
    parts = urlsplit(PG_ADMIN_URL)
    return PG_ADMIN_URL, urlunsplit(parts._replace(path=f"/{name}"))


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql)


def bench_env(var_dir: Path, database_url: str, prefix: str) -> dict:
    return http_bench.bench_env(
        var_dir,
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        PYTHONUNBUFFERED="1",
    )


def redis_cleanup(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start : start + 500])


def is_portal(kind: str) -> bool:
    return not kind.startswith("anchor") and kind != "floor"


def is_exact(r: dict) -> bool:
    """Every message to every client once, in order, and no send refused or failed."""
    return (
        r["connected"] == r["clients"]
        and r["received"] == r["expected"]
        and not r["duplicates"]
        and not r["disorder"]
        and not r["send_failures"]
        and not r["errors"]
    )


def print_table(results: list[dict]) -> bool:
    """The results, with the ratios to both anchors; False if a run lost or refused a send."""
    print()
    print(
        f"Diffusion du chat : 1 salon, {SENDERS} émetteurs, {RATE:g} messages/s, "
        f"{SECONDS:g} s mesurées après {WARMUP:g} s de chauffe ; clients : "
        f"{CLIENT_PROCS} processus asyncio (websockets), permessage-deflate "
        f"{'proposé' if DEFLATE else 'non proposé'} ; {os.cpu_count()} cœurs."
    )
    header = (
        f"{'serveur':<44}{'clients':>9}{'reçus/attendus':>18}{'dupl.':>6}{'dés.':>5}"
        f"{'refus':>6}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'p99/ancre':>10}"
        f"{'p50/planch.':>12}{'p99/planch.':>12}{'objectif':>10}{'CPU cl.':>8}{'CPU srv':>8}"
        f"{'machine':>8}{'avant':>7}"
    )
    all_exact = True
    for n in sorted({r["clients"] for r in results}):
        print()
        print(header)

        def of(kind: str, n=n):
            return next((r for r in results if r["clients"] == n and r["kind"] == kind), None)

        anchor, floor = of("anchor"), of("floor")

        def ratio(r: dict, base: dict | None, key: str) -> float:
            return r[key] / base[key] if base and base[key] > 0 else float("nan")

        for r in (r for r in results if r["clients"] == n):
            exact = is_exact(r)
            all_exact = all_exact and exact
            to_floor = ratio(r, floor, "p99")
            if not exact:
                verdict = "pertes" if r["received"] != r["expected"] else "refus"
            elif not is_portal(r["kind"]):
                verdict = "—"
            elif floor is None:
                verdict = "ok"
            else:
                verdict = "atteint" if to_floor <= FLOOR_GOAL else "manqué"
            refused = sum(r["error_codes"].values())
            print(
                f"{SERVER_LABELS.get(r['kind'], r['kind']):<44}{r['connected']:>5}/{n:<4}"
                f"{r['received']:>9}/{r['expected']:<8}{r['duplicates']:>6}{r['disorder']:>5}"
                f"{refused:>6}{r['p50']:>8.1f}{r['p95']:>8.1f}{r['p99']:>8.1f}{r['max']:>8.1f}"
                f"{ratio(r, anchor, 'p99'):>10.2f}{ratio(r, floor, 'p50'):>12.2f}"
                f"{to_floor:>12.2f}{verdict:>10}{r['client_cpu']:>7.0f}%{r['server_cpu']:>7.0f}%"
                f"{r['machine']:>7.0f}%{r['before']:>6.0f}%"
            )
            notes = []
            if r["failures"]:
                notes.append(f"connexions refusées : {r['failures'][:2]}")
            if r["error_codes"]:
                codes = ", ".join(f"{code} × {count}" for code, count in r["error_codes"].items())
                notes.append(f"envois refusés par le serveur : {codes}")
            if r["send_failures"]:
                notes.append(f"envois échoués côté client : {r['send_failures']}")
            if notes:
                print("    " + " ; ".join(notes))
    print()
    print(
        "Objectifs (issue 10) : chaque message reçu une fois et dans l'ordre par chaque "
        "client, aucun envoi refusé (refus : trames d'erreur reçues, par code) ; p99 du "
        f"portail ≤ {FLOOR_GOAL:g} × celui du plancher durable à 200 et à 1 000 clients, "
        "servi comme le Procfile le sert (uvicorn ; daphne, l'autre serveur de Channels, "
        "pour comparaison). L'ancre nue ne stocke rien : son ratio est donné pour mémoire. "
        "CPU en % d'un cœur (clients, 2 serveurs) ; machine : % de tous les cœurs pendant "
        "la mesure, avant : dans la seconde qui précède (au-delà de 15 %, un autre "
        "programme faussait la mesure)."
    )
    if not all_exact:
        print("ÉCHEC : au moins une mesure a perdu, dupliqué, désordonné ou vu refuser un envoi.")
    return all_exact


def services_missing() -> str | None:
    """Redis and PostgreSQL answer? (a French message when one of them does not)."""
    import psycopg
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis injoignable ({REDIS_URL}) : {error}"
    if any(not k.startswith("anchor") for k in SERVERS):  # the floor stores too
        try:
            psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
        except psycopg.Error as error:
            return f"PostgreSQL injoignable (BENCH_CHAT_PG_ADMIN_URL={PG_ADMIN_URL}) : {error}"
    return None


def main() -> int:
    missing = services_missing()
    if missing:
        print(f"Banc du chat impossible : {missing}")
        return 1
    run_id = secrets.token_hex(3)
    prefix = f"bench-chat-{run_id}"
    db_name = f"portal_bench_chat_{run_id}"
    _, database_url = database_urls(db_name)
    var_dir = Path(tempfile.mkdtemp(prefix="portal-bench-chat-"))
    (var_dir / "static").mkdir()  # WhiteNoise wants STATIC_ROOT; the chat serves no file
    env = bench_env(var_dir, database_url, prefix)
    portal_kinds = [k for k in SERVERS if is_portal(k)]
    needs_db = any(not k.startswith("anchor") for k in SERVERS)
    results = []
    try:
        cookies: list[str] = []
        if needs_db:
            print(f"Préparation : base jetable {db_name} …", flush=True)
            pg_admin(f'CREATE DATABASE "{db_name}"')
        if "floor" in SERVERS:
            floor_server.init_schema(database_url)
        if portal_kinds:
            print("Préparation : migrations, membres …", flush=True)
            subprocess.run(
                [PYTHON, "manage.py", "migrate", "--noinput"],
                cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            cookie_file = var_dir / "cookies.txt"
            subprocess.run(
                [PYTHON, "manage.py", "chat_load_users", "--room", ROOM, "--count",
                 str(max(CLIENTS)), "--output", str(cookie_file), "--force"],
                cwd=ROOT, env=env, check=True,
            )  # fmt: skip
            cookies = cookie_file.read_text().split()
        for n in CLIENTS:
            for kind in SERVERS:
                print(f"… {SERVER_LABELS.get(kind, kind)}, {n} clients", flush=True)
                results.append(run_once(kind, n, env, cookies, prefix))
                r = results[-1]
                print(
                    f"    {r['connected']}/{n} connectés, {r['received']}/{r['expected']} reçus, "
                    f"p99 {r['p99']:.1f} ms, extensions {r['extensions'] or 'aucune'}",
                    flush=True,
                )
        exact = print_table(results)
    finally:
        if needs_db and not KEEP_DB:
            pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        redis_cleanup(prefix)
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0 if exact else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
