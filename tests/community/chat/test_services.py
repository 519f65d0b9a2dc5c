"""community.chat.services, below the WebSocket: numbering, idempotency, rate limits,
and when a message is handed to the channel layer."""

import pytest
from django.db import connection, transaction

from community.chat import broadcast, services
from community.models import ChatMessage, ChatRoom, Membership
from portal import ratelimit


def send(room, author, body, client_id):
    return services.chat_message_send(room=room, author=author, body=body, client_id=client_id)


def windows_count(user) -> list[int]:
    return [ratelimit.count(window) for window in services._rate_windows(user.pk)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_messages_are_numbered_without_gaps_even_when_a_retry_is_refused(open_cast, nord_room):
    # Outside any transaction, as in the WebSocket consumer: on PostgreSQL, one statement.
    member = open_cast.member
    assert send(nord_room, member, "Un", "c-1").message.number == 1
    assert send(nord_room, member, "Deux", "c-2").message.number == 2
    retry = send(nord_room, member, "Un, encore", "c-1")
    assert (retry.created, retry.message.number, retry.message.body) == (False, 1, "Un")
    assert send(nord_room, member, "Trois", "c-3").message.number == 3

    assert list(ChatMessage.objects.filter(room=nord_room).values_list("number", "client_id")) == [
        (1, "c-1"),
        (2, "c-2"),
        (3, "c-3"),
    ]
    assert ChatRoom.objects.get(pk=nord_room.pk).last_number == 3
    assert windows_count(member) == [3, 3]  # the refused retry gave its place back


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_saved_message_reads_back_exactly_as_it_was_sent(open_cast, nord_room):
    sent = send(nord_room, open_cast.member, "**Bonjour** à tous", "c-1")
    stored = ChatMessage.objects.get(pk=sent.message.pk)
    fields = [f.attname for f in ChatMessage._meta.concrete_fields]
    assert {f: getattr(stored, f) for f in fields} == {f: getattr(sent.message, f) for f in fields}
    assert stored.body_html == "<p><strong>Bonjour</strong> à tous</p>"
    assert stored.author_id == open_cast.member.pk and stored.deleted_at is None
    assert sent.payload["id"] == 1 and sent.payload["created"] == stored.created_at.isoformat()


@pytest.mark.django_db
def test_inside_a_transaction_a_refused_retry_leaves_the_transaction_usable(open_cast, nord_room):
    member = open_cast.member
    with transaction.atomic():
        send(nord_room, member, "Un", "c-1")
        assert send(nord_room, member, "Un", "c-1").created is False
        assert send(nord_room, member, "Deux", "c-2").message.number == 2
    assert ChatRoom.objects.get(pk=nord_room.pk).last_number == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_message_goes_to_the_layer_only_once_committed(open_cast, nord_room):
    with broadcast.deferred() as outbox:
        with transaction.atomic():
            send(nord_room, open_cast.member, "Un", "c-1")
            assert outbox == []  # rolled back, it would never have existed
        assert [(m["room"], m["id"]) for m in outbox] == [("nord", 1)]
        send(nord_room, open_cast.member, "Deux", "c-2")  # autocommit: at once
    assert [m["id"] for m in outbox] == [1, 2]
    assert '"client_id":"c-2"' in outbox[1]["frame"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_refused_messages_count_nowhere_and_the_sixth_in_5_seconds_is_refused(
    open_cast, nord_room, nord
):
    with pytest.raises(services.ChatRefused) as refused:
        send(nord_room, open_cast.non_member, "Bonjour", "c-0")
    assert refused.value.code == "forbidden"
    assert windows_count(open_cast.non_member) == [0, 0]

    for n in range(5):
        send(nord_room, open_cast.member, f"Message {n}", f"c-{n}")
    with pytest.raises(services.ChatRefused) as refused:
        send(nord_room, open_cast.member, "Un de trop", "c-5")
    assert refused.value.code == "rate_limited"
    assert "au plus 5 en 5 secondes" in refused.value.detail
    assert windows_count(open_cast.member) == [5, 5]
    # A retry of a saved message still gets its stored copy while the window is full.
    assert send(nord_room, open_cast.member, "Message 4", "c-4").message.number == 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
def test_on_postgresql_a_message_costs_one_statement_outside_a_transaction(
    open_cast, nord_room, django_assert_num_queries
):
    member = open_cast.member
    send(nord_room, member, "Chauffe", "c-0")  # the operator of the author, once
    with django_assert_num_queries(2) as captured:  # the membership, then the message
        send(nord_room, member, "Bonjour", "c-1")
    assert captured.captured_queries[1]["sql"].startswith("WITH numbered AS (UPDATE")
    assert connection.get_autocommit()
    # A chat connection holds the membership: the message alone is one statement.
    membership = Membership.objects.get(space=nord_room.space, user=member)
    with django_assert_num_queries(1) as captured:
        services.chat_message_send(
            room=nord_room, author=member, body="Re", client_id="c-2", membership=membership
        )
    assert captured.captured_queries[0]["sql"].startswith("WITH numbered AS (UPDATE")


@pytest.mark.django_db
def test_a_membership_held_by_the_caller_is_what_the_send_is_checked_against(open_cast, nord_room):
    # As a connection that has not yet heard of a change: what it holds decides.
    with pytest.raises(services.ChatRefused) as refused:
        services.chat_message_send(
            room=nord_room, author=open_cast.member, body="Oui", client_id="h-1", membership=None
        )
    assert refused.value.code == "forbidden"
    assert not ChatMessage.objects.filter(client_id="h-1").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mention_in_a_chat_message_is_a_link_to_the_members_card(open_cast, nord_room, nord):
    from django.urls import reverse

    card = reverse("community:member", kwargs={"slug": "nord", "user_id": open_cast.member.pk})

    sent = send(nord_room, open_cast.animator, "Bonjour @Inès Membre !", "c-m")
    edited = services.chat_message_edit(
        room=nord_room, user=open_cast.animator, number=sent.message.number, body="@Inès Membre ?"
    )

    assert f'<a class="portal-mention" href="{card}"' in sent.payload["body_html"]
    assert ChatMessage.objects.get(pk=sent.message.pk).body_html.startswith(
        f'<p><a class="portal-mention" href="{card}"'
    )
    assert f'href="{card}"' in edited.payload["body_html"]
