"""The Communauté's part of a person's data export (see portal.people.personal_data)."""

from community.models import (
    Attachment,
    ChatMessage,
    JoinRequest,
    Membership,
    Post,
    Reaction,
    Report,
    Watch,
)


def export(user) -> dict:
    return {
        "espaces": [
            {
                "espace": m.space.name,
                "role": m.get_role_display(),
                "membre_depuis": m.joined_at.isoformat(),
                "suspendu_jusqu_au": m.suspended_until.isoformat() if m.suspended_until else None,
            }
            for m in Membership.objects.filter(user=user).select_related("space__territory")
        ],
        "demandes_d_adhesion": [
            {
                "espace": r.space.name,
                "statut": r.get_status_display(),
                "le": r.created_at.isoformat(),
            }
            for r in JoinRequest.objects.filter(user=user).select_related("space__territory")
        ],
        "messages": [
            {
                "sujet": p.topic.title,
                "message": p.body,
                "le": p.created_at.isoformat(),
                "etat": p.get_state_display(),
            }
            for p in Post.objects.filter(author=user).select_related("topic")
        ],
        "discussion": [
            {
                "espace": m.room.space.name if m.room.space_id else m.room.slug,
                "numero": m.number,
                "message": m.body,
                "le": m.created_at.isoformat(),
                "modifie_le": m.edited_at.isoformat() if m.edited_at else None,
                "supprime": m.deleted_at is not None,
            }
            for m in ChatMessage.objects.filter(author=user)
            .select_related("room__space__territory")
            .order_by("created_at")
        ],
        "signalements": [
            {
                "message": r.post_id,
                "message_de_discussion": r.chat_message_id,
                "motif": r.reason,
                "le": r.created_at.isoformat(),
            }
            for r in Report.objects.filter(reporter=user)
        ],
        "pieces_jointes": [
            {
                "fichier": a.original_name,
                "type": a.content_type,
                "taille_octets": a.size,
                "message": a.post_id,
                "sujet": a.post.topic.title,
                "le": a.created_at.isoformat(),
                "adresse": a.get_absolute_url(),
            }
            for a in Attachment.objects.filter(post__author=user)
            .select_related("post__topic")
            .order_by("created_at")
        ],
        "utile": [
            {"sujet": r.post.topic.title, "message": r.post_id, "le": r.created_at.isoformat()}
            for r in Reaction.objects.filter(user=user)
            .select_related("post__topic")
            .order_by("created_at")
        ],
        "suivis": [
            {
                "suivi": "sujet" if w.topic_id else "forum" if w.forum_id else "espace",
                "titre": w.topic.title
                if w.topic_id
                else w.forum.name
                if w.forum_id
                else w.space.name,
                "depuis": w.created_at.isoformat(),
            }
            for w in Watch.objects.filter(user=user)
            .select_related("topic", "forum", "space__territory")
            .order_by("created_at")
        ],
        "fiches_proposees": _proposed_sheets(user),
    }


def _proposed_sheets(user) -> list[dict]:
    from community.sheets.selectors import sheets_proposed_by

    return [
        {
            "titre": p.sheet.draft_title,
            "espace": p.sheet.territory.name,
            "statut": p.status,
            "commentaire_de_relecture": p.comment,
            "adresse": p.sheet.url if p.sheet.live else None,
            "derniere_version_le": p.sheet.latest_revision_created_at.isoformat()
            if p.sheet.latest_revision_created_at
            else None,
        }
        for p in sheets_proposed_by(user=user)
    ]


def erase(user) -> None:
    """Before the account goes: leave its spaces, so that each space's member count
    (denormalised on Space) agrees with its directory. Posts and chat messages stay,
    without author ("Compte supprimé"): the conversations others joined keep their sense."""
    from community.models import Space
    from community.services import refresh_member_count

    memberships = Membership.objects.filter(user=user)
    space_ids = list(memberships.values_list("space_id", flat=True))
    memberships.delete()
    for space in Space.objects.filter(pk__in=space_ids):
        refresh_member_count(space)
