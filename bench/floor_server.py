"""The chat bench's durable floor: the least a chat that saves before it broadcasts does.

Two processes of this server, no Django, form one room as the portal's ASGI
processes do, and do for each message only what the chat's design requires
(DESIGN.md, "Live chat"; docs/chat-protocol.md):

- the message is numbered and stored in PostgreSQL in ONE statement (the room's
  counter UPDATE and the INSERT in a CTE, as the portal's own send path), on an
  async connection (psycopg 3, autocommit: the statement's commit is the durable,
  synchronous commit; `synchronous_commit` stays at the server's default);
- once committed it is published on Redis pub/sub, and each process broadcasts
  what it hears to its own connections (`websockets.broadcast`: one encoding);
- numbers reach each process in any order across the two publishers: a process
  delivers them in order, holding a later number until the earlier one arrives,
  and reads a missing one from PostgreSQL if it does not come within GAP_WAIT.

On connect, the latest 50 messages are read from PostgreSQL (`history` frame), then a
`presence` frame, as the portal does. What the floor leaves out is what the portal
adds on top of the design: Django, Channels, authentication, the membership check,
the rate limit, Markdown and its sanitiser (the body is HTML-escaped).

    python bench/floor_server.py --port 8801 --database postgres://…/db --redis redis://…
    python bench/floor_server.py --init --database postgres://…/db   # the tables, once
"""

import argparse
import asyncio
import html
import itertools
import json
import re
from datetime import UTC, datetime

from websockets.asyncio.server import broadcast, serve

PATH = re.compile(r"^/ws/chat/([-a-zA-Z0-9_]+)/$")
HISTORY_LATEST = 50
GAP_WAIT = 0.5  # seconds a process waits for a missing number before reading it

SCHEMA = """
CREATE TABLE IF NOT EXISTS floor_room (
    id serial PRIMARY KEY,
    slug varchar(120) NOT NULL UNIQUE,
    last_number bigint NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS floor_message (
    id bigserial PRIMARY KEY,
    room_id integer NOT NULL REFERENCES floor_room (id) ON DELETE CASCADE,
    number bigint NOT NULL,
    author_id integer,
    client_id varchar(64) NOT NULL,
    body text NOT NULL,
    body_html text NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (room_id, number),
    UNIQUE (room_id, author_id, client_id)
);
CREATE INDEX IF NOT EXISTS floor_message_created ON floor_message (created_at);
"""

# Number and store in one statement: atomic, so committed or failed as one.
INSERT = """
WITH numbered AS (
    UPDATE floor_room SET last_number = last_number + 1 WHERE id = %s RETURNING last_number
)
INSERT INTO floor_message (room_id, number, author_id, client_id, body, body_html, created_at)
SELECT %s, last_number, %s, %s, %s, %s, %s FROM numbered RETURNING number
"""
SELECT_RANGE = """
SELECT number, author_id, client_id, body_html, created_at FROM floor_message
WHERE room_id = %s AND number >= %s AND number < %s ORDER BY number
"""
SELECT_LATEST = """
SELECT number, author_id, client_id, body_html, created_at FROM floor_message
WHERE room_id = %s ORDER BY number DESC LIMIT %s
"""


def encode(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def frame_of(slug: str, number: int, author_id: int, client_id: str, body_html: str, created):
    return encode(
        {
            "type": "message",
            "id": number,
            "room": slug,
            "author": {"id": author_id, "name": f"Membre {author_id}", "operator": ""},
            "body_html": body_html,
            "created": created.isoformat(),
            "client_id": client_id,
            "edited": None,
            "deleted": False,
        }
    )


def init_schema(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(SCHEMA)


class Room:
    def __init__(self, slug: str, room_id: int, db, redis, prefix: str):
        self.slug = slug
        self.room_id = room_id
        self.db = db
        self.redis = redis
        self.channel = f"{prefix}:{slug}:frames"
        self.connections: set = set()
        self.next_number = 1
        self.held: dict[int, str] = {}  # numbers heard before an earlier one
        self.gap_timer: asyncio.TimerHandle | None = None

    async def start(self) -> None:
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(self.channel)  # subscribed before the counter is read
        async with self.db.cursor() as cursor:
            await cursor.execute("SELECT last_number FROM floor_room WHERE id = %s", [self.room_id])
            self.next_number = (await cursor.fetchone())[0] + 1

        async def listen() -> None:
            async for message in pubsub.listen():
                if message["type"] == "message":
                    number, frame = message["data"].decode().split(":", 1)
                    self.heard(int(number), frame)

        self.listener = asyncio.create_task(listen())  # lives with the process

    def heard(self, number: int, frame: str) -> None:
        if number < self.next_number:
            return  # delivered already (read while filling a gap)
        self.held[number] = frame
        while self.next_number in self.held:
            broadcast(self.connections, self.held.pop(self.next_number))
            self.next_number += 1
        if self.held and self.gap_timer is None:
            loop = asyncio.get_running_loop()
            self.gap_timer = loop.call_later(
                GAP_WAIT, lambda: asyncio.ensure_future(self.fill_gap())
            )

    async def fill_gap(self) -> None:
        self.gap_timer = None
        if not self.held:
            return
        async with self.db.cursor() as cursor:
            await cursor.execute(SELECT_RANGE, [self.room_id, self.next_number, min(self.held)])
            rows = await cursor.fetchall()
        for row in rows:
            self.heard(row[0], frame_of(self.slug, *row))

    async def history(self) -> str:
        async with self.db.cursor() as cursor:
            await cursor.execute(SELECT_LATEST, [self.room_id, HISTORY_LATEST])
            rows = await cursor.fetchall()
        frames = [frame_of(self.slug, *row) for row in reversed(rows)]
        return '{"type":"history","messages":[' + ",".join(frames) + '],"more":false}'

    async def send(self, author_id: int, body: str, client_id: str) -> None:
        created = datetime.now(UTC)
        body_html = html.escape(body)
        async with self.db.cursor() as cursor:
            await cursor.execute(
                INSERT, [self.room_id, self.room_id, author_id, client_id, body, body_html, created]
            )
            number = (await cursor.fetchone())[0]
        # Committed (autocommit): now, and only now, it is announced.
        frame = frame_of(self.slug, number, author_id, client_id, body_html, created)
        await self.redis.publish(self.channel, f"{number}:{frame}")


async def main(port: int, database_url: str, redis_url: str, prefix: str) -> None:
    import psycopg
    import redis.asyncio

    db = await psycopg.AsyncConnection.connect(database_url, autocommit=True)
    redis_client = redis.asyncio.Redis.from_url(redis_url)
    rooms: dict[str, Room] = {}
    opening = asyncio.Lock()
    authors = itertools.count(port * 100_000)

    async def room_for(slug: str) -> Room:
        async with opening:
            if slug not in rooms:
                async with db.cursor() as cursor:
                    await cursor.execute(
                        "INSERT INTO floor_room (slug) VALUES (%s) ON CONFLICT (slug) DO NOTHING",
                        [slug],
                    )
                    await cursor.execute("SELECT id FROM floor_room WHERE slug = %s", [slug])
                    room = Room(slug, (await cursor.fetchone())[0], db, redis_client, prefix)
                await room.start()
                rooms[slug] = room
            return rooms[slug]

    async def handler(websocket):
        match = PATH.match(websocket.request.path.split("?", 1)[0])
        if match is None:
            await websocket.close(4400)
            return
        room = await room_for(match.group(1))
        author_id = next(authors)
        await websocket.send(await room.history())
        await websocket.send(encode({"type": "presence", "online": []}))
        room.connections.add(websocket)
        try:
            async for text in websocket:
                try:
                    data = json.loads(text)
                except ValueError:
                    continue
                if isinstance(data, dict) and data.get("type") == "message":
                    body, client_id = str(data.get("body", "")), str(data.get("client_id"))
                    await room.send(author_id, body, client_id)
        finally:
            room.connections.discard(websocket)

    async with serve(handler, "127.0.0.1", port, ping_interval=20, max_queue=64, compression=None):
        await asyncio.get_running_loop().create_future()  # until the process is stopped


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int)
    parser.add_argument("--database", required=True, help="postgres://… (the bench's database)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--prefix", default="bench-floor")
    parser.add_argument("--init", action="store_true", help="create the tables, then stop")
    args = parser.parse_args()
    if args.init:
        init_schema(args.database)
    else:
        try:
            import uvloop

            runner = uvloop.run
        except ImportError:
            runner = asyncio.run
        runner(main(args.port, args.database, args.redis, args.prefix))
