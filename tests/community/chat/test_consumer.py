"""The chat WebSocket endpoint, driven in one process with the real hub and services
(DESIGN.md, "Live chat": delivery rules, wire protocol, close codes)."""

import asyncio
import json
import time
from datetime import datetime, timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone

from community.chat import broadcast, consumers, presence, services
from community.chat.hub import get_hub
from community.chat.notifications import MENTION
from community.models import ChatMessage, ModerationLogEntry, Report
from community.moderation.selectors import moderation_queue
from community.moderation.services import member_suspend, member_unsuspend
from community.services import space_leave
from portal.notifications.models import Notification
from tests.community.chat.helpers import (
    TIMEOUT,
    closed_with,
    ids,
    joined,
    nothing_more,
    open_socket,
    receive,
    receive_messages,
    run,
    saved,
    send,
)
from tests.community.factories import chat_messages

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PRESENCE_DELAY = 2.0  # presence deltas are batched every second (hub.TICK)


def stored(room, **filters):
    return list(ChatMessage.objects.filter(room=room, **filters).order_by("number"))


async def presence_delta(communicator, *, about=None, timeout=PRESENCE_DELAY) -> dict:
    """The next presence delta that announces someone (that user, when `about` is given)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        frame = await receive(communicator, timeout=max(deadline - loop.time(), 0.01))
        if frame["type"] != "presence" or "online" in frame:
            continue
        announced = {person["id"] for person in frame["joined"] + frame["left"]}
        if announced and (about is None or about.pk in announced):
            return frame


def names(people) -> set[str]:
    return {person["name"] for person in people}


# --- history -------------------------------------------------------------------------


def test_history_gives_the_latest_50_then_pages_of_200_after_an_id(open_cast, nord_room):
    chat_messages(nord_room, authors=[open_cast.member, open_cast.animator], count=260)

    async def body():
        member, history, _ = await joined(open_cast.member, "nord")
        assert ids(history["messages"]) == list(range(211, 261))
        assert history["more"] is False
        newest = history["messages"][-1]
        assert newest["type"] == "message" and newest["room"] == "nord"
        assert newest["author"] == {
            "id": open_cast.animator.pk,
            "name": "Alice Animatrice",
            "operator": open_cast.animator.operator.name,
        }
        assert newest["body_html"] == "<p>Message 260</p>" and newest["client_id"] == "factory-260"
        assert datetime.fromisoformat(newest["created"]).tzinfo is not None

        reader, history, _ = await joined(open_cast.animator, "nord", after=10)
        assert ids(history["messages"]) == list(range(11, 211))
        assert history["more"] is True

        # Live messages wait while the client pages through the gap, then come once.
        await send(member, type="message", body="En direct", client_id="live-1")
        assert (await receive(member, "message"))["id"] == 261
        await nothing_more(reader)
        await send(reader, type="history", after=210)
        page = await receive(reader, "history")
        assert ids(page["messages"]) == list(range(211, 262))
        assert page["more"] is False
        assert "change" not in page  # only on a connection's first page
        await nothing_more(reader)

        await send(member, type="message", body="Et encore", client_id="live-2")
        assert (await receive(reader, "message"))["id"] == 262

        _, up_to_date, _ = await joined(open_cast.member, "nord", after=262)
        # A connection's first page says where the room's edits and deletions stand.
        assert up_to_date == {
            "type": "history",
            "messages": [],
            "more": False,
            "changes": [],
            "change": 0,
        }

    run(body)


# --- sending -------------------------------------------------------------------------


def test_a_message_is_saved_numbered_and_reaches_everyone_in_the_room_once(open_cast, nord_room):
    async def body():
        member, _, _ = await joined(open_cast.member, "nord")
        reader, _, _ = await joined(open_cast.non_member, "nord")

        await send(member, type="message", body="**Bonjour** à tous", client_id="c-1")
        await send(member, type="message", body="Deuxième", client_id="c-2")
        await send(member, type="message", body="Troisième", client_id="c-3")

        for communicator in (member, reader):
            received = await receive_messages(communicator, 3)
            assert ids(received) == [1, 2, 3]
            assert received[0]["body_html"] == "<p><strong>Bonjour</strong> à tous</p>"
            assert received[0]["client_id"] == "c-1"
            assert received[0]["author"] == {
                "id": open_cast.member.pk,
                "name": "Inès Membre",
                "operator": open_cast.member.operator.name,
            }
            await nothing_more(communicator)

    run(body)

    rows = stored(nord_room)
    assert [(m.number, m.body, m.author_id) for m in rows] == [
        (1, "**Bonjour** à tous", open_cast.member.pk),
        (2, "Deuxième", open_cast.member.pk),
        (3, "Troisième", open_cast.member.pk),
    ]
    nord_room.refresh_from_db()
    assert nord_room.last_number == 3


def test_the_same_client_id_sent_twice_saves_one_message_and_answers_the_stored_one(
    open_cast, nord_room
):
    async def body():
        member, _, _ = await joined(open_cast.member, "nord")
        reader, _, _ = await joined(open_cast.animator, "nord")

        await send(member, type="message", body="Bonjour", client_id="retry-me")
        await send(member, type="message", body="Bonjour", client_id="retry-me")

        # The sender hears the broadcast and the answer to its retry: the same message.
        first, again = await receive_messages(member, 2)
        assert first == again
        assert first["id"] == 1 and first["client_id"] == "retry-me"
        assert ids(await receive_messages(reader, 1)) == [1]
        await nothing_more(reader)

        # The retry gave its number back: the next message is 2.
        await send(member, type="message", body="Suite", client_id="next")
        assert ids(await receive_messages(reader, 1)) == [2]

    run(body)

    assert [m.client_id for m in stored(nord_room)] == ["retry-me", "next"]


def test_a_client_that_reconnects_with_after_gets_exactly_what_it_missed(open_cast, nord_room):
    async def body():
        # Another reader keeps the room open in the hub all along.
        reader, _, _ = await joined(open_cast.non_member, "nord")
        member, _, _ = await joined(open_cast.member, "nord")
        await send(member, type="message", body="Un", client_id="c-1")
        await send(member, type="message", body="Deux", client_id="c-2")
        assert ids(await receive_messages(member, 2)) == [1, 2]
        await member.disconnect()

        for n in range(3, 6):
            await saved(
                room=nord_room, author=open_cast.animator, body=f"n°{n}", client_id=f"a-{n}"
            )
        assert ids(await receive_messages(reader, 5)) == [1, 2, 3, 4, 5]
        # Two more the layer never carried: the hub finds them in the database.
        await database_sync_to_async(chat_messages)(
            nord_room, authors=[open_cast.animator], count=2
        )

        member, history, _ = await joined(open_cast.member, "nord", after=2)
        assert ids(history["messages"]) == [3, 4, 5, 6, 7]
        assert history["more"] is False
        await member.disconnect()

        # Reconnecting again with nothing new: what the hub delivers late is not sent twice.
        member, history, _ = await joined(open_cast.member, "nord", after=7)
        assert history["messages"] == []
        # The 7th comes late through the layer, as it was before an edit: the hub waits
        # for the 6th, reads both from the database, and sends 7 as the database has it.
        stale = {"type": "message", "id": 7, "room": "nord", "body_html": "<p>Avant</p>"}
        await broadcast.apublish(room_slug="nord", frame=json.dumps(stale), number=7)
        late = await receive_messages(reader, 2, timeout=4)
        assert ids(late) == [6, 7]
        assert late[1]["body_html"] == "<p>Message 7</p>"
        await nothing_more(member)

        await saved(room=nord_room, author=open_cast.animator, body="En direct", client_id="a-8")
        assert ids(await receive_messages(member, 1)) == [8]
        await nothing_more(member)

    run(body)


def test_edits_and_deletions_made_while_a_client_was_away_reach_it_when_it_comes_back(
    open_cast, nord_room
):
    async def body():
        member, history, _ = await joined(open_cast.member, "nord")
        assert (history["changes"], history["change"]) == ([], 0)
        for n in range(1, 4):
            await send(member, type="message", body=f"Message {n}", client_id=f"c-{n}")
        assert ids(await receive_messages(member, 3)) == [1, 2, 3]
        await send(member, type="edit", id=3, body="Message 3, corrigé")
        assert (await receive(member, "edited"))["change"] == 1
        await member.disconnect()

        # Meanwhile: the animation deletes the 1st, the author edits the 2nd, a 4th comes.
        animator, _, _ = await joined(open_cast.animator, "nord")
        await send(animator, type="delete", id=1)
        assert (await receive(animator, "deleted"))["change"] == 2
        await database_sync_to_async(services.chat_message_edit)(
            room=nord_room, user=open_cast.member, number=2, body="Message 2, *précisé*"
        )
        await saved(room=nord_room, author=open_cast.animator, body="Quatre", client_id="a-4")

        member, history, _ = await joined(open_cast.member, "nord", after=3, change=1)
        assert ids(history["messages"]) == [4]
        assert history["change"] == 3
        deleted, edited = history["changes"]
        assert deleted == {"type": "deleted", "id": 1, "room": "nord", "change": 2}
        assert (edited["type"], edited["id"], edited["change"]) == ("edited", 2, 3)
        assert edited["body_html"] == "<p>Message 2, <em>précisé</em></p>"
        await member.disconnect()

        # Up to date: nothing is replayed; without `change`, nothing either (it starts now).
        _, history, _ = await joined(open_cast.member, "nord", after=4, change=3)
        assert (history["messages"], history["changes"], history["change"]) == ([], [], 3)
        _, history, _ = await joined(open_cast.member, "nord", after=4)
        assert (history["changes"], history["change"]) == ([], 3)
        # A change number that is no integer: an error frame, and the rest as without it.
        _, _, member = await open_socket(open_cast.member, "nord", after=4, change="trois")
        assert (await receive(member))["code"] == "invalid"
        assert (await receive(member, "history"))["change"] == 3

    run(body)


# --- editing and deleting ------------------------------------------------------------


def test_the_author_edits_a_message_within_15_minutes_and_not_after(open_cast, nord_room):
    async def body():
        member, _, _ = await joined(open_cast.member, "nord")
        reader, _, _ = await joined(open_cast.animator, "nord")
        await send(member, type="message", body="Réunion jeudi", client_id="c-1")
        await receive(member, "message")
        await receive(reader, "message")

        await send(member, type="edit", id=1, body="Réunion *vendredi*")
        for communicator in (member, reader):
            edited = await receive(communicator, "edited")
            assert edited["id"] == 1
            assert edited["body_html"] == "<p>Réunion <em>vendredi</em></p>"
            assert edited["edited"] is not None

        await send(reader, type="edit", id=1, body="Pas mon message")
        refused = await receive(reader, "error")
        assert refused["code"] == "forbidden"

        await database_sync_to_async(ChatMessage.objects.filter(room=nord_room, number=1).update)(
            created_at=timezone.now() - timedelta(minutes=16)
        )
        await send(member, type="edit", id=1, body="Trop tard")
        refused = await receive(member, "error")
        assert refused["code"] == "forbidden"
        assert "15 minutes" in refused["detail"]
        await nothing_more(reader)

    run(body)

    assert stored(nord_room)[0].body == "Réunion *vendredi*"


def test_authors_delete_their_messages_and_animators_anyone_s_on_every_screen(open_cast, nord_room):
    async def body():
        member, _, _ = await joined(open_cast.member, "nord")
        animator, _, _ = await joined(open_cast.animator, "nord")
        outsider, _, _ = await joined(open_cast.other_animator, "nord")  # animates Aisne
        everyone = (member, animator, outsider)
        await send(member, type="message", body="Oups", client_id="c-1")
        await send(member, type="message", body="Hors sujet", client_id="c-2")
        for communicator in everyone:
            assert ids(await receive_messages(communicator, 2)) == [1, 2]

        await send(member, type="delete", id=1)
        for communicator in everyone:
            assert await receive(communicator, "deleted") == {
                "type": "deleted",
                "id": 1,
                "room": "nord",
                "change": 1,  # the room's first edit or deletion
            }

        await send(outsider, type="delete", id=2)
        assert (await receive(outsider, "error"))["code"] == "forbidden"
        await nothing_more(member)

        await send(animator, type="delete", id=2)
        for communicator in everyone:
            assert (await receive(communicator, "deleted"))["id"] == 2

        # A deleted message keeps its number, without its text.
        _, history, _ = await joined(open_cast.staff, "nord")
        assert [(m["id"], m["deleted"], m["body_html"]) for m in history["messages"]] == [
            (1, True, ""),
            (2, True, ""),
        ]

    run(body)

    assert [(m.body, m.deleted_by_id) for m in stored(nord_room)] == [
        ("", open_cast.member.pk),
        ("", open_cast.animator.pk),
    ]
    [entry] = ModerationLogEntry.objects.filter(action=ModerationLogEntry.Action.CHAT_DELETE)
    assert entry.actor == open_cast.animator and entry.detail == "Hors sujet"


# --- refusals ------------------------------------------------------------------------


def test_sending_too_fast_is_refused_without_saving_and_the_connection_stays_usable(
    open_cast, nord_room
):
    async def body():
        member, _, _ = await joined(open_cast.member, "nord")
        for n in range(1, 7):
            await send(member, type="message", body=f"Message {n}", client_id=f"c-{n}")
        # The refusal is direct, the messages come through the layer: in either order.
        frames = {"message": [], "error": []}
        while len(frames["message"]) < 5 or not frames["error"]:
            frame = await receive(member)
            frames.setdefault(frame["type"], []).append(frame)
        assert ids(frames["message"]) == [1, 2, 3, 4, 5]
        [refused] = frames["error"]
        assert refused["code"] == "rate_limited"
        assert "au plus 5 en 5 secondes" in refused["detail"]

        await send(member, type="history", after=3)
        assert ids((await receive(member, "history"))["messages"]) == [4, 5]

        await sync_to_async(cache.clear)()  # the window has passed
        await send(member, type="message", body="Message 6", client_id="c-6")
        assert ids(await receive_messages(member, 1)) == [6]

    run(body)

    assert [m.client_id for m in stored(nord_room)] == [f"c-{n}" for n in range(1, 7)]


def test_bad_frames_get_an_error_and_the_connection_stays_usable(open_cast, nord_room):
    async def body():
        _, _, member = await open_socket(open_cast.member, "nord", after="dix")
        assert (await receive(member, "error"))["code"] == "invalid"
        assert (await receive(member, "history"))["more"] is False

        refusals = [
            ("not json", "invalid"),
            ("[1, 2]", "invalid"),
            ('{"type": "dance"}', "invalid"),
            ('{"type": "message", "body": "Sans identifiant"}', "invalid"),
            ('{"type": "message", "body": "   ", "client_id": "c-1"}', "invalid"),
            ('{"type": "message", "body": ["liste"], "client_id": "c-1"}', "invalid"),
            ('{"type": "message", "body": "x", "client_id": "' + "c" * 65 + '"}', "invalid"),
            ('{"type": "message", "body": "' + "é" * 2001 + '", "client_id": "c-1"}', "too_long"),
            ('{"type": "history", "after": "dix"}', "invalid"),
            ('{"type": "edit", "id": 99, "body": "Fantôme"}', "invalid"),
            ('{"type": "delete", "id": true}', "invalid"),
        ]
        for text, code in refusals:
            await member.send_to(text_data=text)
            refused = await receive(member, "error")
            assert refused["code"] == code, text
            assert refused["detail"]
        await member.send_to(bytes_data=b"\x00\x01")
        assert (await receive(member, "error"))["code"] == "invalid"

        await send(member, type="message", body="é" * 2000, client_id="c-1")
        assert ids(await receive_messages(member, 1)) == [1]

    run(body)

    assert len(stored(nord_room)) == 1


def test_a_ping_gets_a_pong_so_a_client_knows_its_connection_is_alive(open_cast, nord_room):
    async def body():
        member, _, _ = await joined(open_cast.member, "nord")
        await send(member, type="ping")
        assert await receive(member) == {"type": "pong"}
        await nothing_more(member)

    run(body)


def test_who_may_open_a_room(private_cast, somme_room, nord):
    async def body():
        assert await closed_with(None, "nord") == consumers.CLOSE_FORBIDDEN
        assert await closed_with(None, "somme") == consumers.CLOSE_FORBIDDEN
        assert await closed_with(private_cast.non_member, "somme") == consumers.CLOSE_FORBIDDEN
        assert await closed_with(private_cast.other_animator, "somme") == consumers.CLOSE_FORBIDDEN
        assert await closed_with(private_cast.member, "atlantide") == consumers.CLOSE_UNKNOWN_ROOM

        for reader in (private_cast.member, private_cast.suspended, private_cast.staff):
            _, history, presence = await joined(reader, "somme")
            assert history["type"] == "history"
            assert reader.display_name in names(presence["online"])
        # Reading an open space needs no membership.
        _, history, _ = await joined(private_cast.non_member, "nord")
        assert history["type"] == "history"

    run(body)


def test_a_staff_session_without_its_second_factor_opens_no_room(private_cast, somme_room, nord):
    """The chat is behind the same rule as the pages (portal/people/second_factor.py):
    a staff account signed in with a password alone is refused, even an open space."""

    async def body():
        for slug in ("somme", "nord"):
            code = await closed_with(private_cast.staff, slug, second_factor=False)
            assert code == consumers.CLOSE_FORBIDDEN
        # A member without staff powers needs no second factor.
        connected, _, communicator = await open_socket(
            private_cast.member, "somme", second_factor=False
        )
        assert connected
        assert (await receive(communicator, "history"))["type"] == "history"

    run(body)


def test_suspended_members_and_non_members_read_but_cannot_send_and_staff_can(
    private_cast, somme_room, nord_room
):
    async def body():
        member, _, _ = await joined(private_cast.member, "somme")
        suspended, _, _ = await joined(private_cast.suspended, "somme")
        await send(suspended, type="message", body="Je peux ?", client_id="s-1")
        refused = await receive(suspended, "error")
        assert refused["code"] == "forbidden" and "suspendu" in refused["detail"]

        staff, _, _ = await joined(private_cast.staff, "somme")
        await send(staff, type="message", body="Bonjour de l'équipe", client_id="t-1")
        assert ids(await receive_messages(suspended, 1)) == [1]
        assert ids(await receive_messages(member, 1)) == [1]

        outsider, _, _ = await joined(private_cast.non_member, "nord")
        await send(outsider, type="message", body="Bonjour le Nord", client_id="o-1")
        refused = await receive(outsider, "error")
        assert refused["code"] == "forbidden" and "Rejoignez" in refused["detail"]

    run(body)

    assert [m.author_id for m in stored(somme_room)] == [private_cast.staff.pk]
    assert stored(nord_room) == []


async def access_read_again(user, slug: str, *, since: float, timeout=TIMEOUT):
    """Wait until the user's connections to the room have heard of a change of their
    access made after `since` (time.monotonic()) and read it again: the announcement
    travels through the channel layer, as between processes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        concerned = [c for c in get_hub().rooms[slug].connections if c.user_id == user.pk]
        if concerned and all(c.access_read_at > since for c in concerned):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the connection did not read its access again")


def test_a_suspension_refuses_the_next_send_of_an_open_connection_and_its_end_allows_it(
    private_cast, somme, somme_room
):
    async def body():
        member, _, _ = await joined(private_cast.member, "somme")
        await send(member, type="message", body="Avant", client_id="m-1")
        assert ids(await receive_messages(member, 1)) == [1]

        before = time.monotonic()
        await database_sync_to_async(member_suspend)(
            space=somme,
            user=private_cast.member,
            by=private_cast.animator,
            until=timezone.now() + timedelta(days=1),
        )
        await access_read_again(private_cast.member, "somme", since=before)
        # No reconnection: the connection that was open is refused.
        await send(member, type="message", body="Pendant", client_id="m-2")
        refused = await receive(member, "error")
        assert refused["code"] == "forbidden" and "suspendu" in refused["detail"]

        before = time.monotonic()
        await database_sync_to_async(member_unsuspend)(
            space=somme, user=private_cast.member, by=private_cast.animator
        )
        await access_read_again(private_cast.member, "somme", since=before)
        await send(member, type="message", body="Après", client_id="m-3")
        assert ids(await receive_messages(member, 1)) == [2]

    run(body)

    assert [m.body for m in stored(somme_room)] == ["Avant", "Après"]


def test_a_member_who_leaves_a_private_space_is_disconnected_and_the_others_stay(
    private_cast, somme, somme_room
):
    async def body():
        leaving, _, _ = await joined(private_cast.member, "somme")
        staying, _, _ = await joined(private_cast.animator, "somme")
        await database_sync_to_async(space_leave)(user=private_cast.member, space=somme)
        closed = await leaving.receive_output(timeout=TIMEOUT)
        while closed["type"] == "websocket.send":  # the presence and messages before it
            closed = await leaving.receive_output(timeout=TIMEOUT)
        assert closed == {"type": "websocket.close", "code": consumers.CLOSE_FORBIDDEN}

        await send(staying, type="message", body="Toujours là", client_id="a-1")
        assert ids(await receive_messages(staying, 1)) == [1]

    run(body)


def test_a_space_made_private_disconnects_its_readers_who_are_not_members(
    private_cast, nord, nord_room
):
    async def body():
        # In the open Nord space: the member of Somme reads without being a member.
        outsider, _, _ = await joined(private_cast.member, "nord")

        def make_private():
            nord.visibility = nord.Visibility.PRIVATE
            nord.save()

        await database_sync_to_async(make_private)()
        closed = await outsider.receive_output(timeout=TIMEOUT)
        while closed["type"] == "websocket.send":
            closed = await outsider.receive_output(timeout=TIMEOUT)
        assert closed == {"type": "websocket.close", "code": consumers.CLOSE_FORBIDDEN}

    run(body)


@pytest.mark.postgres
def test_a_send_on_a_database_connection_that_died_reopens_it_and_saves_the_message_once(
    open_cast, nord_room
):
    def backend_pid():
        return connection.connection.info.backend_pid

    def terminate(pid):
        # From another connection, as a PostgreSQL restart or a network cut would: the
        # chat's database thread keeps its connection between calls, unaware.
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()

    async def body():
        member, _, _ = await joined(open_cast.member, "nord")
        await send(member, type="message", body="Un", client_id="c-1")
        assert ids(await receive_messages(member, 1)) == [1]
        pid = await database_sync_to_async(backend_pid)()
        await sync_to_async(terminate, thread_sensitive=False)(pid)
        await send(member, type="message", body="Deux", client_id="c-2")
        assert ids(await receive_messages(member, 1)) == [2]

    run(body)

    assert [m.body for m in stored(nord_room)] == ["Un", "Deux"]


# --- mentions and reports ------------------------------------------------------------


def test_mentioning_a_member_notifies_them_by_email_unless_they_are_in_the_room(
    open_cast, nord_room
):
    def mentions():
        return list(
            Notification.objects.filter(recipient=open_cast.member, kind=MENTION).order_by("pk")
        )

    async def body():
        animator, _, _ = await joined(open_cast.animator, "nord")
        await send(animator, type="message", body="Merci @Inès Membre !", client_id="c-1")
        await receive(animator, "message")

        member, _, _ = await joined(open_cast.member, "nord")
        await presence_delta(animator, about=open_cast.member)  # online for every process now
        await send(animator, type="message", body="@inès membre tu vois ?", client_id="c-2")
        await receive(member, "message")

    run(body)

    first, second = mentions()
    assert first.actor == open_cast.animator
    assert "Alice Animatrice vous mentionne" in first.title
    assert first.url.endswith("discussion/#message-1")
    assert first.email_state != Notification.EmailState.SKIPPED
    assert second.url.endswith("#message-2")
    assert second.email_state == Notification.EmailState.SKIPPED
    assert not Notification.objects.filter(kind=MENTION).exclude(recipient=open_cast.member)


def test_a_reported_message_joins_the_space_moderation_queue(open_cast, nord, nord_room):
    async def body():
        member, _, _ = await joined(open_cast.member, "nord")
        reader, _, _ = await joined(open_cast.other_animator, "nord")
        await send(member, type="message", body="Propos déplacé", client_id="c-1")
        await receive(member, "message")
        await receive(reader, "message")

        await send(member, type="report", id=1, reason="Le mien")
        assert (await receive(member, "error"))["code"] == "invalid"
        await send(reader, type="report", id=1, reason="Hors charte")
        reported = await receive(reader, "reported")
        assert reported["id"] == 1

    run(body)

    [report] = Report.objects.all()
    assert report.reporter == open_cast.other_animator
    assert report.reason == "Hors charte"
    assert report.chat_message.number == 1
    [queued] = moderation_queue(space=nord)["reported_chat_messages"]
    assert queued.message.body == "Propos déplacé"
    assert queued.reports == [report]


# --- presence and typing -------------------------------------------------------------


def test_presence_gives_the_full_list_on_joining_then_deltas_to_the_room(open_cast, nord_room):
    async def body():
        loop = asyncio.get_running_loop()
        member, _, first = await joined(open_cast.member, "nord")
        assert first["online"] == [{"id": open_cast.member.pk, "name": "Inès Membre"}]
        assert (await presence_delta(member))["joined"] == [
            {"id": open_cast.member.pk, "name": "Inès Membre"}
        ]

        tab, _, listed = await joined(open_cast.animator, "nord")
        started = loop.time()
        assert names(listed["online"]) == {"Inès Membre", "Alice Animatrice"}
        delta = await presence_delta(member)
        assert delta == {
            "type": "presence",
            "joined": [{"id": open_cast.animator.pk, "name": "Alice Animatrice"}],
            "left": [],
        }
        assert loop.time() - started < 1.5

        # A second tab of the same person: nobody joins; closing one tab: nobody leaves.
        other_tab, _, _ = await joined(open_cast.animator, "nord")
        await tab.disconnect()
        await nothing_more(member, "presence", timeout=1.5)

        await other_tab.disconnect()
        delta = await presence_delta(member)
        assert delta["left"] == [{"id": open_cast.animator.pk, "name": "Alice Animatrice"}]
        assert delta["joined"] == []
        assert set(await presence.store().online("nord")) == {open_cast.member.pk}

        # A hub that stops (its server or its loop does) stops its tasks and withdraws
        # its people from the room for the other processes.
        hub = get_hub()
        tasks = list(hub._tasks)
        await hub.close()
        assert tasks and all(task.done() for task in tasks)
        assert await presence.store().online("nord") == {}
        assert get_hub() is not hub

    run(body)


def test_people_whose_process_was_killed_or_whose_connection_crashed_are_announced_as_left(
    open_cast, nord_room, monkeypatch
):
    async def crash(consumer, data):
        raise RuntimeError("a bug in a handler")

    async def body():
        member, _, _ = await joined(open_cast.member, "nord")
        await presence_delta(member)
        # A process that died without a word: its entry outlived its expiry.
        await presence.store().update(
            "nord",
            token="killed-process",
            present={open_cast.animator.pk: "Alice Animatrice"},
            absent={},
            ttl=-1,
        )

        staff, _, listed = await joined(open_cast.staff, "nord")
        assert names(listed["online"]) == {"Inès Membre", "Sam Équipe"}
        delta = await presence_delta(member)
        assert delta["joined"] == [{"id": open_cast.staff.pk, "name": "Sam Équipe"}]
        assert delta["left"] == [{"id": open_cast.animator.pk, "name": "Alice Animatrice"}]
        # Purged, not merely hidden: the next update finds nobody to announce again.
        before, _ = await presence.store().update("nord", token="probe", present={}, absent={})
        assert set(before) == {open_cast.member.pk, open_cast.staff.pk}

        # A consumer that fails gets no disconnect: it leaves the hub all the same.
        monkeypatch.setitem(consumers.ChatConsumer.HANDLERS, "typing", crash)
        await send(staff, type="typing")
        delta = await presence_delta(member)
        assert delta["left"] == [{"id": open_cast.staff.pk, "name": "Sam Équipe"}]
        assert len(get_hub().rooms["nord"].connections) == 1

    run(body)


def test_typing_reaches_the_others_not_the_sender_and_is_throttled(
    open_cast, nord_room, monkeypatch
):
    monkeypatch.setattr(consumers, "TYPING_EVERY", 0.5)

    async def body():
        member, _, _ = await joined(open_cast.member, "nord")
        animator, _, _ = await joined(open_cast.animator, "nord")
        outsider, _, _ = await joined(open_cast.non_member, "nord")

        await send(member, type="typing")
        await send(member, type="typing")  # within TYPING_EVERY: dropped
        for communicator in (animator, outsider):
            typing = await receive(communicator, "typing")
            assert typing == {
                "type": "typing",
                "author": {
                    "id": open_cast.member.pk,
                    "name": "Inès Membre",
                    "operator": open_cast.member.operator.name,
                },
            }
            await nothing_more(communicator, "typing", timeout=0.3)
        await nothing_more(member, "typing", timeout=0.1)

        # Someone who may not post does not announce typing.
        await send(outsider, type="typing")
        await nothing_more(animator, "typing", timeout=0.3)

        await asyncio.sleep(0.5)
        await send(member, type="typing")
        assert (await receive(animator, "typing"))["author"]["id"] == open_cast.member.pk

    run(body)


def test_errors_name_the_refused_request_and_no_op_changes_still_answer_the_requester(
    open_cast, nord_room
):
    async def body():
        member, _, _ = await joined(open_cast.member, "nord")
        await send(member, type="message", body="x" * 2001, client_id="long-1")
        refused = await receive(member, "error")
        assert (refused["code"], refused["for"], refused["client_id"]) == (
            "too_long",
            "message",
            "long-1",
        )
        await send(member, type="message", body="Bonjour", client_id="c-1")
        await receive(member, "message")
        # Same text: nothing is broadcast, the requester still learns where it stands.
        await send(member, type="edit", id=1, body="Bonjour")
        unchanged = await receive(member, "edited")
        assert unchanged["id"] == 1 and unchanged["edited"] is None
        await send(member, type="delete", id=1)
        assert (await receive(member, "deleted"))["id"] == 1
        await send(member, type="delete", id=1)  # already deleted: answered, not broadcast
        assert (await receive(member, "deleted"))["id"] == 1
        await send(member, type="edit", id=1, body="Trop tard")
        refused = await receive(member, "error")
        assert (refused["for"], refused["id"]) == ("edit", 1)

    run(body)
