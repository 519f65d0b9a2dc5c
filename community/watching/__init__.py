"""Stop watching from an e-mail: the signed one-click "Ne plus suivre" links that the
notification e-mails carry under each notification that comes from a watch.

Watching itself (buttons, who hears of a reply) belongs to community.forums.
"""
