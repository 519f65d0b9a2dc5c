"""A channel layer that loses group messages on purpose, as the specification allows
(and as Redis pub/sub does when a subscriber is slow or reconnecting)."""

import random

from channels.layers import InMemoryChannelLayer


class LossyChannelLayer(InMemoryChannelLayer):
    """Drops a share `drop` of group_send calls, the same ones for the same `seed`."""

    def __init__(self, *, drop: float = 0.3, seed: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.drop = drop
        self.random = random.Random(seed)
        self.sent = 0
        self.dropped = 0

    async def group_send(self, group, message):
        self.sent += 1
        if self.random.random() < self.drop:
            self.dropped += 1
            return
        await super().group_send(group, message)
