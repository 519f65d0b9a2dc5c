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
    # Added by the Communauté (issue 4). {topic_url} is the demo question with replies
    # and an accepted answer, looked up after seeding (its id is not fixed).
    ("accueil d'un espace (Hauts-de-France), connectée", "/communaute/hauts-de-france/", True),
    ("forum, connectée", "/communaute/hauts-de-france/forums/accompagnement-rsa/", True),
    ("page sujet, connectée", "{topic_url}", True),
    ("page sujet, anonyme", "{topic_url}", False),
]

# Shell code printing the values of the placeholders above, one "name=value" per line.
LOOKUPS = """
from community.models import Topic
topic = Topic.objects.exclude(accepted_post=None).order_by("pk").first()
print("topic_url=" + topic.get_absolute_url())
"""
