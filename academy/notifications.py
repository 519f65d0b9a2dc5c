"""The notification kinds the Académie sends (see portal.notifications.kinds)."""

from portal.notifications.kinds import register

register("academy.session_registered", label="Confirmation d'inscription à une session")
register("academy.session_waiting", label="Inscription sur liste d'attente")
register("academy.session_promoted", label="Place libérée sur une session (liste d'attente)")
register("academy.session_reminder", label="Rappel la veille d'une session")
register(
    "academy.session_cancelled",
    label="Annulation d'une session où je suis inscrit(e) ou en liste d'attente",
)
register("academy.certificate_available", label="Attestation de formation disponible")
