"""The chat bench's anchor: a bare `websockets` broadcast server, no Django.

It speaks the wire frames of the portal's chat (docs/chat-protocol.md) that the
bench uses: on connect a `history` frame (the latest 50 messages this process
has seen) then a `presence` frame; a client's `message` frame becomes a room
`message` frame with the next number, sent to every connection with
`websockets.broadcast` (one encoding, written to each socket, no await).

With --redis, several processes form one room, like the portal's ASGI processes:
a Lua script allocates the number and publishes the frame in one atomic step
(so numbers reach every process in order), and each process broadcasts what it
receives from its subscription to its own connections. What the anchor leaves
out is exactly what the portal adds: Django, Channels, authentication, the
PostgreSQL transaction per message, rate limits, Markdown.

    python bench/anchor_server.py --port 8801 --redis redis://127.0.0.1:6379/0

permessage-deflate is refused unless --deflate, like the portal's production server
(Procfile): compressing each frame once per connection is the bulk of a fan-out's cost.
"""

import argparse
import asyncio
import html
import itertools
import json
import re
from collections import deque
from datetime import UTC, datetime

from websockets.asyncio.server import broadcast, serve

PATH = re.compile(r"^/ws/chat/([-a-zA-Z0-9_]+)/$")
HISTORY_LATEST = 50
# INCR and PUBLISH in one step: publish order is number order, across processes.
PUBLISH_SCRIPT = """
local number = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', KEYS[2], ARGV[1] .. number .. ARGV[2])
return number
"""


def encode(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


class Room:
    def __init__(self, slug: str, redis_url: str | None, prefix: str):
        self.slug = slug
        self.connections: set = set()
        self.history: deque[str] = deque(maxlen=HISTORY_LATEST)
        self.local_numbers = itertools.count(1)
        self.redis = None
        self.key = f"{prefix}:{slug}:last"
        self.channel = f"{prefix}:{slug}:frames"
        if redis_url:
            import redis.asyncio

            self.redis = redis.asyncio.Redis.from_url(redis_url)
            self.publish_script = self.redis.register_script(PUBLISH_SCRIPT)

    def deliver(self, frame: str) -> None:
        self.history.append(frame)
        broadcast(self.connections, frame)

    async def subscribe(self) -> None:
        """Subscribed when it returns; the room then hears the channel in a task."""
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(self.channel)

        async def listen() -> None:
            async for message in pubsub.listen():
                if message["type"] == "message":
                    self.deliver(message["data"].decode())

        self.listener = asyncio.create_task(listen())  # lives with the process

    async def publish(self, author: dict, body: str, client_id: str) -> None:
        # The frame around its number, as the portal's frames.message_payload has it.
        head = '{"type":"message","id":'
        tail = encode(
            {
                "room": self.slug,
                "author": author,
                "body_html": html.escape(body),
                "created": datetime.now(UTC).isoformat(),
                "client_id": client_id,
                "edited": None,
                "deleted": False,
            }
        )
        tail = "," + tail[1:]
        if self.redis is None:
            self.deliver(f"{head}{next(self.local_numbers)}{tail}")
        else:
            await self.publish_script(keys=[self.key, self.channel], args=[head, tail])


async def main(port: int, redis_url: str | None, prefix: str, deflate: bool) -> None:
    rooms: dict[str, Room] = {}
    authors = itertools.count(1)

    async def handler(websocket):
        match = PATH.match(websocket.request.path.split("?", 1)[0])
        if match is None:
            await websocket.close(4400)
            return
        slug = match.group(1)
        room = rooms.get(slug)
        if room is None:
            room = rooms[slug] = Room(slug, redis_url, prefix)
            if room.redis is not None:
                await room.subscribe()
        number = next(authors)
        author = {"id": number, "name": f"Anonyme {number}", "operator": ""}
        # The stored frames as they are, inside the history frame.
        history = '{"type":"history","messages":[' + ",".join(room.history) + '],"more":false}'
        await websocket.send(history)
        await websocket.send(encode({"type": "presence", "online": []}))
        room.connections.add(websocket)
        try:
            async for text in websocket:
                try:
                    data = json.loads(text)
                except ValueError:
                    continue
                if isinstance(data, dict) and data.get("type") == "message":
                    await room.publish(
                        author, str(data.get("body", "")), str(data.get("client_id"))
                    )
        finally:
            room.connections.discard(websocket)

    async with serve(
        handler,
        "127.0.0.1",
        port,
        ping_interval=20,
        max_queue=64,
        compression="deflate" if deflate else None,
    ) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis", default=None, help="redis://… : one room across processes")
    parser.add_argument("--prefix", default="bench-anchor")
    parser.add_argument(
        "--deflate", action="store_true", help="accept permessage-deflate (off, like the portal)"
    )
    args = parser.parse_args()
    try:
        import uvloop  # uvicorn runs on it too (uvicorn[standard])

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    runner(main(args.port, args.redis, args.prefix, args.deflate))
