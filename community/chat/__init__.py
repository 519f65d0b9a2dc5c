"""Live chat of the territory spaces (DESIGN.md, "Live chat"; docs/chat-protocol.md).

- services: every write (send, edit, delete, report), which broadcasts on commit;
- selectors: history and connection context, read from the database (the log);
- broadcast: the one place that publishes to the channel layer;
- hub: per process, one layer channel for every local room, fan-out in number order;
- presence: who is online, across processes, with expiry;
- consumers: the WebSocket endpoint, thin over the above.
"""
