# Scenarios added by the Académie (issue 3): (label, path, logged in?).
# Paths are the demo content's (academy/demo.py); camille.dupont is enrolled in
# the "contrat d'engagement réciproque" course.
SCENARIOS = [
    ("catalogue /academie/, anonyme", "/academie/", False),
    ("catalogue /academie/, connecté", "/academie/", True),
    ("catalogue filtré (format + recherche)", "/academie/?format=mixte&duree=1h-3h", True),
    (
        "page formation, connectée (inscrite)",
        "/academie/contrat-engagement-reciproque/",
        True,
    ),
    (
        "leçon, connectée (inscrite)",
        "/academie/contrat-engagement-reciproque/comprendre-le-contrat/droits-et-devoirs/",
        True,
    ),
    (
        "leçon avec quiz, connectée",
        "/academie/contrat-engagement-reciproque/faire-vivre-le-contrat/quiz-contrat-engagement/",
        True,
    ),
]
