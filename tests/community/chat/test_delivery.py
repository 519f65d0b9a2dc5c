"""Delivery rules under stress (DESIGN.md, "Live chat", rules 1 and 3): a layer that
loses messages, and senders that race for the room's next number."""

import threading

import pytest
from channels.layers import get_channel_layer
from django.db import connection

from community.chat import services
from community.models import ChatMessage
from tests.community.chat.helpers import ids, joined, nothing_more, receive_messages, run, send
from tests.community.chat.lossy_layer import LossyChannelLayer
from tests.community.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_every_client_gets_every_message_once_in_order_when_the_layer_drops_some(
    open_cast, nord_room, settings, monkeypatch
):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "tests.community.chat.lossy_layer.LossyChannelLayer",
            "CONFIG": {"drop": 0.3, "seed": 20261127},
        }
    }
    monkeypatch.setattr(services, "RATE_LIMITS", ())
    senders = [open_cast.member, open_cast.animator, open_cast.staff]
    count = 60

    async def body():
        layer = get_channel_layer()
        assert isinstance(layer, LossyChannelLayer)
        clients = [(await joined(user, "nord"))[0] for user in [*senders, open_cast.non_member]]

        for n in range(count):
            await send(clients[n % len(senders)], type="message", body=f"n°{n}", client_id=f"c-{n}")

        for client in clients:
            # A hole waits for its message a quarter second, then reads the database;
            # a loss at the very end is found by the hub's tick.
            assert ids(await receive_messages(client, count, timeout=5)) == list(
                range(1, count + 1)
            )
        for client in clients:
            await nothing_more(client)
        assert layer.dropped >= count // 5

    run(body)

    assert ChatMessage.objects.filter(room=nord_room).count() == count


@pytest.mark.postgres
def test_concurrent_senders_get_numbers_without_gap_or_duplicate(nord_room):
    people = [MembershipFactory(space=nord_room.space).user for _ in range(12)]
    # Each person sends one message twice at once (a retry racing its original).
    attempts = [person for person in people for _ in range(2)]
    barrier = threading.Barrier(len(attempts))
    results, errors = [], []

    def send_one(person):
        try:
            barrier.wait(timeout=30)
            sent = services.chat_message_send(
                room=nord_room, author=person, body="Bonjour", client_id=f"c-{person.pk}"
            )
            results.append((person.pk, sent.message.number, sent.created))
        except BaseException as exc:  # reported by the test, whatever it is
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send_one, args=(person,)) for person in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    rows = list(ChatMessage.objects.filter(room=nord_room).order_by("number"))
    assert [m.number for m in rows] == list(range(1, len(people) + 1))
    assert sorted(m.author_id for m in rows) == sorted(p.pk for p in people)
    number_of = {m.author_id: m.number for m in rows}
    assert sorted(results) == sorted(
        (pk, number_of[pk], created) for pk in number_of for created in (True, False)
    )
    nord_room.refresh_from_db()
    assert nord_room.last_number == len(people)
