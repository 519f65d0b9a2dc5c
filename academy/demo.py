"""Demo content of the Académie: catalogue, four courses, two sessions, some progress.

Run by `manage.py seed_demo` after `portal.demo` (which creates the home page and
the demo accounts). Idempotent like every seeder: pages are looked up by slug
under their parent, sessions by (course, title), accounts by e-mail; what exists
is left as it is (an editor may have changed it), only what is missing is created.

The content is written for professionals of the employment network. It states
only facts of the law and of public practice, without statistics or article
numbers; the testimonies are labelled as fictional.
"""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from academy import services
from academy.models import (
    AcademyIndexPage,
    CoursePage,
    CourseSession,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModulePage,
    SessionRegistration,
)
from portal.demo import demo_user_ensure
from portal.models import HomePage
from portal.people.models import Operator, Territory, User

PARIS = ZoneInfo("Europe/Paris")
# Ids of list items (quiz questions and answers, accordion sections) are derived
# from the lesson slug: the same content gets the same ids on every installation.
ID_NAMESPACE = uuid.UUID("5d0c8a51-3f4e-4b8e-9a57-0c1f2d6a7b90")
FICTIONAL = "Témoignage fictif (contenu de démonstration)"

INDEX = {
    "slug": "academie",
    "title": "Académie",
    "intro": "Des formations conçues par et pour les professionnels du réseau pour l'emploi : "
    "parcours en ligne, sessions en visio ou en présentiel dans votre territoire, quiz pour "
    "vérifier vos acquis et attestation en fin de parcours.",
}


# --- Body builders: (block type, value) pairs, turned into StreamField data below ---------


def heading(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def text(html):
    return ("text", html)


def callout(title, html):
    return ("callout", {"title": title, "text": html})


def accordion(*items):
    return ("accordion", {"items": [{"title": title, "body": body} for title, body in items]})


def quote(text_, author, source=FICTIONAL):
    return ("quote", {"text": text_, "author": author, "source": source})


def question(kind, prompt, answers, explanation=""):
    """answers: (text, correct, feedback) triples."""
    return {
        "kind": kind,
        "prompt": prompt,
        "answers": [
            {"text": answer, "correct": correct, "feedback": feedback}
            for answer, correct, feedback in answers
        ],
        "explanation": explanation,
    }


def true_false(prompt, true_is_correct, feedback_true, feedback_false, explanation=""):
    return question(
        "truefalse",
        prompt,
        [("Vrai", true_is_correct, feedback_true), ("Faux", not true_is_correct, feedback_false)],
        explanation,
    )


def quiz(title, intro, questions, *, pass_mark, max_attempts):
    return (
        "quiz",
        {
            "title": title,
            "intro": intro,
            "questions": questions,
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
        },
    )


def _item_id(key: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, key))


def _list_items(values, key: str) -> list[dict]:
    """A ListBlock's stored form, with stable item ids (quiz grading relies on them)."""
    return [
        {"type": "item", "value": value, "id": _item_id(f"{key}/{position}")}
        for position, value in enumerate(values)
    ]


def stream_data(body, key: str) -> list[dict]:
    data = []
    for position, (block_type, value) in enumerate(body):
        block_key = f"{key}/{position}"
        if block_type == "accordion":
            value = {"items": _list_items(value["items"], f"{block_key}/items")}
        elif block_type == "quiz":
            questions = [
                {**q, "answers": _list_items(q["answers"], f"{block_key}/q{n}/answers")}
                for n, q in enumerate(value["questions"])
            ]
            value = {**value, "questions": _list_items(questions, f"{block_key}/questions")}
        data.append({"type": block_type, "value": value, "id": _item_id(block_key)})
    return data


# --- Course 1: intensive support of RSA recipients -----------------------------------------

COURSE_RSA = {
    "slug": "accompagnement-intensif-rsa",
    "title": "Accompagnement intensif des bénéficiaires du RSA : 15 à 20 heures d'activité "
    "par semaine",
    "summary": "Comprendre ce que la loi pour le plein emploi change pour les allocataires du "
    "RSA et pour celles et ceux qui les accompagnent : inscription auprès de France Travail, "
    "contrat d'engagement, heures d'activité hebdomadaires, rôle du référent et coopération "
    "entre France Travail et le conseil départemental.",
    "objectives": "<ul>"
    "<li>Situer l'accompagnement des allocataires du RSA dans le cadre de la loi du "
    "18 décembre 2023 pour le plein emploi.</li>"
    "<li>Distinguer les rôles de France Travail, du conseil départemental, des missions locales "
    "et de Cap emploi.</li>"
    "<li>Construire avec la personne un programme d'activités adapté à sa situation.</li>"
    "<li>Repérer les situations qui justifient de réduire la durée d'activité, ou de ne pas la "
    "fixer.</li>"
    "</ul>",
    "prerequisites": "<p>Aucun prérequis. Une première expérience de l'accompagnement "
    "d'allocataires du RSA aide pour la partie consacrée aux activités.</p>",
    "duration_minutes": 150,
    "level": CoursePage.Level.INTERMEDIATE,
    "format": CoursePage.Format.BLENDED,
    "tags": ["RSA", "accompagnement", "loi pour le plein emploi"],
    "audience": ["france-travail", "conseil-departemental", "mission-locale", "cap-emploi"],
    "territories": [],
    "enrolment_restricted": False,
    "modules": [
        {
            "slug": "cadre-et-acteurs",
            "title": "Le cadre : la loi pour le plein emploi",
            "intro": "Ce que la loi du 18 décembre 2023 a changé, et qui accompagne qui.",
            "lessons": [
                {
                    "slug": "ce-que-change-la-loi",
                    "title": "Ce que change la loi du 18 décembre 2023",
                    "duration_minutes": 20,
                    "body": [
                        heading("Un réseau pour l'emploi"),
                        text(
                            "<p>La loi n° 2023-1196 du 18 décembre 2023 pour le plein emploi "
                            "organise les acteurs de l'emploi et de l'insertion en un "
                            "<b>réseau pour l'emploi</b>. Il réunit l'État, les régions, les "
                            "départements, les communes et leurs groupements concernés, ainsi "
                            "que France Travail (le nouveau nom de Pôle emploi depuis le "
                            "1er janvier 2024), les missions locales et les Cap emploi.</p>"
                            "<p>L'objectif est qu'une personne éloignée de l'emploi bénéficie "
                            "d'un accompagnement coordonné, quel que soit l'organisme qui la "
                            "suit, avec des outils et des règles partagés.</p>"
                        ),
                        heading("L'inscription des personnes accompagnées"),
                        text(
                            "<p>Depuis le 1er janvier 2025, les allocataires du RSA (et, dans "
                            "les conditions prévues par les textes, leur conjoint, concubin ou "
                            "partenaire de PACS), les jeunes accompagnés par une mission locale "
                            "et les personnes en situation de handicap accompagnées par Cap "
                            "emploi sont inscrits sur la liste des demandeurs d'emploi tenue "
                            "par France Travail. Cette inscription ouvre sur une orientation "
                            "vers l'organisme référent le plus adapté et sur la signature d'un "
                            "contrat d'engagement.</p>"
                        ),
                        callout(
                            "À retenir",
                            "<ul>"
                            "<li>L'inscription ne dépend plus d'une démarche spontanée de la "
                            "personne.</li>"
                            "<li>L'orientation vers un parcours (à dominante professionnelle, "
                            "socioprofessionnelle ou sociale) reste décidée au cas par cas, "
                            "selon des critères communs au réseau.</li>"
                            "<li>Le contrat d'engagement remplace les différents documents qui "
                            "coexistaient selon l'organisme (projet personnalisé d'accès à "
                            "l'emploi, contrat d'engagement réciproque…).</li>"
                            "</ul>",
                        ),
                        accordion(
                            (
                                "Pourquoi parle-t-on de « 15 à 20 heures » ?",
                                "<p>Avant la loi, un accompagnement rénové des allocataires du "
                                "RSA a été expérimenté à partir de 2023 dans des territoires "
                                "volontaires, avec un objectif de 15 à 20 heures d'activité par "
                                "semaine. La loi retient une durée hebdomadaire d'activité d'"
                                "<b>au moins quinze heures</b>, inscrite dans le contrat "
                                "d'engagement et adaptée à la situation de chaque personne.</p>",
                            ),
                            (
                                "Ce qui ne change pas",
                                "<p>Le département reste responsable du RSA, qu'il finance, et "
                                "chef de file de l'insertion sociale. L'allocation continue "
                                "d'être versée par la caisse d'allocations familiales ou par la "
                                "MSA.</p>",
                            ),
                            (
                                "Les comités pour l'emploi",
                                "<p>La loi crée des comités pour l'emploi à plusieurs échelons "
                                "(national, régional, départemental et local). Ils réunissent "
                                "les membres du réseau pour piloter ensemble l'accompagnement "
                                "sur leur territoire.</p>",
                            ),
                        ),
                    ],
                },
                {
                    "slug": "qui-fait-quoi",
                    "title": "Qui fait quoi : référent, France Travail et département",
                    "duration_minutes": 20,
                    "body": [
                        heading("L'orientation, première étape"),
                        text(
                            "<p>Après l'inscription, un <b>diagnostic</b> de la situation de "
                            "la personne prépare son orientation. Les critères d'orientation "
                            "sont définis en commun au sein du réseau ; pour un allocataire du "
                            "RSA, la décision d'orientation relève du président du conseil "
                            "départemental. Elle désigne l'organisme référent : France "
                            "Travail, le département ou l'organisme auquel il confie "
                            "l'accompagnement, une mission locale ou Cap emploi.</p>"
                        ),
                        heading("Le référent, un interlocuteur unique"),
                        text(
                            "<p>Le référent suit la personne tout au long de son parcours. Il "
                            "construit avec elle le contrat d'engagement, propose les "
                            "activités, fait régulièrement le point et tient compte des "
                            "changements de situation. Pour la personne, c'est l'interlocuteur "
                            "qui simplifie le parcours : elle n'a pas à raconter son histoire "
                            "à chaque nouvel intervenant.</p>"
                        ),
                        accordion(
                            (
                                "France Travail",
                                "<p>Accompagne principalement les personnes orientées vers un "
                                "parcours à dominante professionnelle, mobilise ses services "
                                "(ateliers, immersions, formations, offres d'emploi) et met à "
                                "disposition du réseau des outils communs.</p>",
                            ),
                            (
                                "Le conseil départemental",
                                "<p>Décide de l'orientation des allocataires du RSA et des "
                                "suites à donner en cas de manquement, accompagne ou fait "
                                "accompagner les personnes en parcours social, et finance de "
                                "nombreuses actions d'insertion.</p>",
                            ),
                            (
                                "Missions locales et Cap emploi",
                                "<p>Les missions locales accompagnent les jeunes de 16 à "
                                "25 ans ; Cap emploi accompagne les personnes en situation de "
                                "handicap. Quand un allocataire du RSA relève de l'un de ces "
                                "publics, l'organisme correspondant peut être son référent.</p>",
                            ),
                        ),
                        quote(
                            "Le plus difficile n'est pas de compter les heures, c'est de "
                            "construire avec la personne un programme qui ait du sens pour "
                            "elle. Quand le département et France Travail se parlent avant de "
                            "le proposer, tout le monde y gagne.",
                            "Une référente RSA d'un conseil départemental",
                        ),
                        callout(
                            "Bonne pratique",
                            "<p>Convenez avec vos partenaires d'un circuit d'échange "
                            "d'informations (qui prévient qui, dans quel délai, par quel "
                            "outil) et rappelez à la personne qui est son référent et comment "
                            "le joindre.</p>",
                        ),
                    ],
                },
            ],
        },
        {
            "slug": "construire-l-accompagnement",
            "title": "Construire l'accompagnement intensif",
            "intro": "Passer d'un volume d'heures à un programme d'activités utile à la personne.",
            "lessons": [
                {
                    "slug": "heures-d-activite",
                    "title": "Les heures d'activité : de quoi parle-t-on ?",
                    "duration_minutes": 25,
                    "body": [
                        heading("Une durée inscrite dans le contrat"),
                        text(
                            "<p>Le contrat d'engagement fixe, pour les personnes concernées, "
                            "une durée hebdomadaire d'activité d'au moins quinze heures. Ce "
                            "n'est pas un temps de présence en agence : cette durée recouvre "
                            "l'ensemble des actions du plan d'action, collectives ou "
                            "individuelles, sur place ou à distance.</p>"
                            "<p>Elle peut être <b>réduite</b>, voire <b>ne pas être fixée</b>, "
                            "lorsque la situation de la personne le justifie : difficultés de "
                            "santé, situation de handicap, situation de parent isolé sans "
                            "solution de garde, par exemple. Ces adaptations se décident au "
                            "cas par cas et se réexaminent quand la situation évolue.</p>"
                        ),
                        heading("Des exemples d'activités"),
                        accordion(
                            (
                                "Vers l'emploi",
                                "<ul><li>Périodes de mise en situation en milieu "
                                "professionnel (immersions).</li><li>Ateliers de recherche "
                                "d'emploi, préparation aux entretiens.</li><li>Rencontres avec "
                                "des employeurs, visites d'entreprises.</li></ul>",
                            ),
                            (
                                "Vers la qualification",
                                "<ul><li>Actions de formation, y compris de remise à niveau ou "
                                "d'apprentissage du français.</li><li>Bilans et ateliers de "
                                "projet professionnel.</li></ul>",
                            ),
                            (
                                "Pour lever les freins",
                                "<ul><li>Démarches d'accès aux droits et aux soins.</li>"
                                "<li>Solutions de mobilité : permis, transport solidaire, "
                                "location de véhicule.</li><li>Recherche d'un mode de garde, "
                                "démarches de logement.</li></ul>",
                            ),
                        ),
                        callout(
                            "Attention",
                            "<p>Les heures d'activité se construisent <b>avec</b> la "
                            "personne : un programme imposé sans tenir compte de ses "
                            "contraintes a peu de chances d'être suivi. Notez dans le contrat "
                            "ce qui a été convenu, et pourquoi.</p>",
                        ),
                    ],
                },
                {
                    "slug": "lever-les-freins",
                    "title": "Pour aller plus loin : travailler avec les partenaires de la "
                    "levée des freins",
                    "duration_minutes": 15,
                    "optional": True,
                    "body": [
                        heading("Mobiliser le bon partenaire au bon moment"),
                        text(
                            "<p>Beaucoup de freins à l'emploi ne relèvent pas directement du "
                            "référent : santé, logement, mobilité, garde d'enfants, "
                            "endettement. Son rôle est de les repérer, d'en parler avec la "
                            "personne, de l'orienter vers le partenaire compétent, puis de "
                            "vérifier que la démarche a abouti.</p>"
                        ),
                        accordion(
                            (
                                "Santé",
                                "<p>Centres d'examens de santé de l'Assurance maladie, "
                                "permanences d'accès aux soins de santé (PASS) des hôpitaux, "
                                "professionnels de santé du territoire.</p>",
                            ),
                            (
                                "Mobilité",
                                "<p>Plateformes de mobilité, aides à la mobilité de France "
                                "Travail et des collectivités, auto-écoles sociales.</p>",
                            ),
                            (
                                "Garde d'enfants",
                                "<p>Relais petite enfance, caisse d'allocations familiales, "
                                "crèches à vocation d'insertion professionnelle lorsqu'il en "
                                "existe sur le territoire.</p>",
                            ),
                        ),
                        callout(
                            "Astuce",
                            "<p>Tenez à jour la liste des contacts partenaires de votre "
                            "territoire et partagez-la dans l'espace communautaire de votre "
                            "département.</p>",
                        ),
                    ],
                },
                {
                    "slug": "quiz-accompagnement-intensif",
                    "title": "Quiz : l'accompagnement intensif",
                    "duration_minutes": 10,
                    "body": [
                        text(
                            "<p>Vérifiez vos acquis sur le cadre de l'accompagnement des "
                            "allocataires du RSA. Il faut 80 % de bonnes réponses pour "
                            "valider la leçon ; vous disposez de trois tentatives.</p>"
                        ),
                        quiz(
                            "Quiz : accompagnement intensif des allocataires du RSA",
                            "Répondez aux cinq questions, puis validez.",
                            [
                                question(
                                    "single",
                                    "Quelle durée hebdomadaire d'activité la loi pour le plein "
                                    "emploi prévoit-elle dans le contrat d'engagement des "
                                    "personnes concernées ?",
                                    [
                                        (
                                            "Au moins quinze heures, adaptables selon la "
                                            "situation de la personne",
                                            True,
                                            "Exact : c'est un minimum de principe, qui peut "
                                            "être réduit ou ne pas être fixé.",
                                        ),
                                        (
                                            "Exactement vingt heures pour tout le monde",
                                            False,
                                            "Non : la fourchette de 15 à 20 heures vient des "
                                            "expérimentations ; la loi fixe un minimum "
                                            "adaptable.",
                                        ),
                                        (
                                            "Trente-cinq heures, comme un emploi à temps plein",
                                            False,
                                            "Non : il s'agit d'activités d'accompagnement, "
                                            "pas d'un temps de travail.",
                                        ),
                                    ],
                                    "La durée est inscrite dans le contrat d'engagement ; elle "
                                    "peut être réduite, voire ne pas être fixée, lorsque la "
                                    "situation de la personne le justifie.",
                                ),
                                question(
                                    "multiple",
                                    "Parmi ces activités, lesquelles peuvent compter dans les "
                                    "heures d'activité ?",
                                    [
                                        (
                                            "Une période d'immersion en entreprise",
                                            True,
                                            "Oui : c'est une activité tournée vers l'emploi.",
                                        ),
                                        (
                                            "Une action de formation ou de remise à niveau",
                                            True,
                                            "Oui : se qualifier fait partie du parcours.",
                                        ),
                                        (
                                            "Des démarches d'accès aux soins préparées avec le "
                                            "référent",
                                            True,
                                            "Oui : lever un frein fait partie du parcours.",
                                        ),
                                        (
                                            "Le seul fait d'être inscrit sur la liste des "
                                            "demandeurs d'emploi",
                                            False,
                                            "Non : l'inscription est une formalité, pas une "
                                            "activité.",
                                        ),
                                    ],
                                    "Les heures d'activité recouvrent toutes les actions du plan "
                                    "d'action : emploi, qualification et levée des freins.",
                                ),
                                true_false(
                                    "Pour un allocataire du RSA, la décision d'orientation "
                                    "relève du président du conseil départemental.",
                                    True,
                                    "Exact.",
                                    "Si : le département reste compétent pour orienter les "
                                    "allocataires du RSA, selon des critères partagés au sein "
                                    "du réseau.",
                                ),
                                question(
                                    "single",
                                    "Depuis quand les allocataires du RSA sont-ils inscrits "
                                    "sur la liste des demandeurs d'emploi sans démarche de leur "
                                    "part ?",
                                    [
                                        ("Depuis le 1er janvier 2025", True, "Exact."),
                                        (
                                            "Depuis le 1er janvier 2024",
                                            False,
                                            "Non : c'est la date à laquelle Pôle emploi est "
                                            "devenu France Travail.",
                                        ),
                                        (
                                            "Depuis la généralisation du RSA en 2009",
                                            False,
                                            "Non : avant la loi pour le plein emploi, "
                                            "l'inscription dépendait de l'orientation de la "
                                            "personne.",
                                        ),
                                    ],
                                    "La loi du 18 décembre 2023 a prévu cette inscription à "
                                    "compter du 1er janvier 2025.",
                                ),
                                true_false(
                                    "Une personne en situation de parent isolé sans solution "
                                    "de garde peut voir sa durée d'activité réduite.",
                                    True,
                                    "Exact : la durée s'adapte à la situation de la personne.",
                                    "Si : c'est précisément l'un des cas où la durée peut être "
                                    "réduite, voire ne pas être fixée.",
                                ),
                            ],
                            pass_mark=80,
                            max_attempts=3,
                        ),
                    ],
                },
            ],
        },
    ],
}

# --- Course 2: the contrat d'engagement ------------------------------------------------------

COURSE_CER = {
    "slug": "contrat-engagement-reciproque",
    "title": "Le contrat d'engagement réciproque",
    "summary": "Le contrat d'engagement réciproque (CER) formalisait les engagements de "
    "l'allocataire du RSA et du département ; la loi pour le plein emploi l'a remplacé par un "
    "contrat d'engagement commun à tout le réseau. Son contenu, les droits et devoirs de "
    "chacun, sa signature, sa révision et la procédure de suspension-remobilisation.",
    "objectives": "<ul>"
    "<li>Expliquer à une personne accompagnée ce qu'est son contrat et à quoi il "
    "l'engage.</li>"
    "<li>Rédiger des engagements réciproques précis et réalistes.</li>"
    "<li>Savoir quand et comment réviser le contrat.</li>"
    "<li>Connaître les étapes de la procédure en cas de manquement.</li>"
    "</ul>",
    "prerequisites": "<p>Aucun. Formation ouverte à tous les professionnels du réseau pour "
    "l'emploi.</p>",
    "duration_minutes": 90,
    "level": CoursePage.Level.DISCOVERY,
    "format": CoursePage.Format.ONLINE,
    "tags": ["RSA", "contrat d'engagement", "droits et devoirs"],
    "audience": [],
    "territories": [],
    "enrolment_restricted": False,
    "modules": [
        {
            "slug": "comprendre-le-contrat",
            "title": "Comprendre le contrat",
            "intro": "D'où vient le contrat d'engagement et ce qu'il contient.",
            "lessons": [
                {
                    "slug": "du-cer-au-contrat-d-engagement",
                    "title": "Du CER au contrat d'engagement",
                    "duration_minutes": 15,
                    "body": [
                        heading("Le CER, un contrat du RSA"),
                        text(
                            "<p>Depuis la généralisation du revenu de solidarité active par la "
                            "loi du 1er décembre 2008, l'allocataire orienté vers un parcours "
                            "social ou socioprofessionnel signait avec le département un "
                            "<b>contrat d'engagement réciproque</b> (CER). L'allocataire "
                            "orienté vers Pôle emploi signait, lui, un <b>projet personnalisé "
                            "d'accès à l'emploi</b> (PPAE). Deux documents, deux logiques, "
                            "selon l'organisme qui accompagnait la personne.</p>"
                        ),
                        heading("Un contrat commun à tout le réseau"),
                        text(
                            "<p>La loi du 18 décembre 2023 pour le plein emploi remplace ces "
                            "documents par un <b>contrat d'engagement</b> unique, signé par la "
                            "personne inscrite comme demandeur d'emploi avec son organisme "
                            "référent. Dans les équipes, on parle encore souvent de « CER » : "
                            "l'esprit reste celui d'engagements <b>réciproques</b>, de la "
                            "personne comme de l'organisme qui l'accompagne.</p>"
                        ),
                        callout(
                            "À retenir",
                            "<ul><li>Un seul contrat, quel que soit l'organisme référent.</li>"
                            "<li>Des engagements des deux côtés : la personne et l'organisme "
                            "qui l'accompagne.</li><li>Un contenu personnalisé : pas de "
                            "contrat type rempli sans la personne.</li></ul>",
                        ),
                        quote(
                            "Un contrat, ça se signe à deux. Si la personne ne sait pas ce "
                            "qu'elle a signé, ce n'est pas encore un contrat.",
                            "Un conseiller en insertion professionnelle",
                        ),
                    ],
                },
                {
                    "slug": "droits-et-devoirs",
                    "title": "Droits et devoirs de chacun",
                    "duration_minutes": 20,
                    "body": [
                        heading("Ce que contient le contrat"),
                        text(
                            "<p>Le contrat d'engagement s'appuie sur le diagnostic de la "
                            "situation de la personne. Il comporte notamment :</p><ul>"
                            "<li>les objectifs d'insertion sociale et professionnelle, qui "
                            "tiennent compte du projet de la personne ;</li>"
                            "<li>un plan d'action qui précise les activités prévues ;</li>"
                            "<li>le cas échéant, la durée hebdomadaire d'activité et ses "
                            "adaptations ;</li>"
                            "<li>les engagements de l'organisme référent : accompagnement, "
                            "services proposés, rythme des rendez-vous.</li></ul>"
                        ),
                        accordion(
                            (
                                "Les droits de la personne",
                                "<ul><li>Être accompagnée par un référent identifié et "
                                "joignable.</li><li>Être associée à l'élaboration de son "
                                "contrat et en recevoir un exemplaire.</li><li>Demander la "
                                "révision du contrat quand sa situation change.</li><li>Être "
                                "informée et entendue avant toute décision de sanction, et "
                                "pouvoir la contester.</li></ul>",
                            ),
                            (
                                "Les devoirs de la personne",
                                "<ul><li>Participer aux actions prévues dans le contrat.</li>"
                                "<li>Se présenter aux rendez-vous ou prévenir en cas "
                                "d'empêchement.</li><li>Signaler les changements de situation "
                                "(santé, famille, logement, reprise d'emploi).</li></ul>",
                            ),
                            (
                                "Les engagements de l'organisme référent",
                                "<ul><li>Proposer des actions accessibles et adaptées à la "
                                "situation de la personne.</li><li>Faire des points d'étape "
                                "réguliers.</li><li>Garder la trace de ce qui a été proposé et "
                                "réalisé, pour que la personne et les partenaires s'y "
                                "retrouvent.</li></ul>",
                            ),
                        ),
                        callout(
                            "Bonne pratique",
                            "<p>Rédigez les engagements avec des verbes d'action et des "
                            "échéances (« participer à l'atelier CV du 12 », « prendre "
                            "rendez-vous avec la plateforme mobilité avant la fin du mois »). "
                            "Des engagements vagues sont difficiles à suivre et à évaluer.</p>",
                        ),
                    ],
                },
            ],
        },
        {
            "slug": "faire-vivre-le-contrat",
            "title": "Faire vivre le contrat",
            "intro": "Signature, suivi, révision, et ce qui se passe en cas de manquement.",
            "lessons": [
                {
                    "slug": "signer-suivre-reviser",
                    "title": "Signer, suivre et réviser le contrat",
                    "duration_minutes": 20,
                    "body": [
                        heading("La signature"),
                        text(
                            "<p>Le contrat se signe après un ou plusieurs entretiens qui ont "
                            "permis de poser le diagnostic et de discuter des objectifs. "
                            "Relisez chaque engagement avec la personne, vérifiez qu'elle l'a "
                            "compris et remettez-lui un exemplaire.</p>"
                        ),
                        heading("Le suivi et la révision"),
                        text(
                            "<p>Le contrat n'est pas figé. Il se revoit lors des points "
                            "d'étape et se <b>révise</b> dès que la situation de la personne "
                            "change : reprise d'emploi à temps partiel, problème de santé, "
                            "déménagement, naissance, entrée en formation… La révision peut "
                            "être demandée par la personne comme par le référent.</p>"
                        ),
                        accordion(
                            (
                                "Quand réviser ?",
                                "<ul><li>Changement de situation familiale, de santé ou de "
                                "logement.</li><li>Objectif atteint, ou devenu inadapté.</li>"
                                "<li>Activités prévues qui ne sont plus disponibles.</li></ul>",
                            ),
                            (
                                "Comment garder la trace d'une révision ?",
                                "<p>Notez la date, le motif, ce qui change et ce qui reste. "
                                "Remettez la nouvelle version à la personne et informez les "
                                "partenaires concernés.</p>",
                            ),
                        ),
                    ],
                },
                {
                    "slug": "suspension-remobilisation",
                    "title": "Manquements : la suspension-remobilisation",
                    "duration_minutes": 20,
                    "body": [
                        heading("Une logique de remobilisation"),
                        text(
                            "<p>La loi pour le plein emploi a revu les sanctions applicables "
                            "aux demandeurs d'emploi, notamment aux allocataires du RSA. Elle "
                            "introduit la <b>suspension-remobilisation</b> : en cas de "
                            "manquement sans motif légitime, le versement de l'allocation peut "
                            "être suspendu ; si la personne respecte de nouveau ses "
                            "engagements, les sommes retenues peuvent lui être reversées, dans "
                            "les limites prévues par les textes. Le but est de renouer le "
                            "contact, pas de sanctionner pour sanctionner.</p>"
                        ),
                        heading("Les étapes"),
                        text(
                            "<ol><li>Le manquement est constaté : rendez-vous manqué sans "
                            "justification, action prévue non réalisée…</li><li>La personne "
                            "est informée des faits et peut présenter ses observations, le "
                            "cas échéant accompagnée.</li><li>La décision revient à "
                            "l'autorité compétente (pour le RSA, le président du conseil "
                            "départemental), selon les modalités fixées par décret.</li>"
                            "<li>Le référent reprend contact pour remobiliser la personne et, "
                            "si besoin, réviser le contrat.</li></ol>"
                        ),
                        callout(
                            "Avant toute sanction",
                            "<p>Vérifiez toujours s'il existe un <b>motif légitime</b> "
                            "(santé, garde d'enfant, problème de transport, démarche "
                            "administrative…) et si les engagements étaient réalistes. Un "
                            "manquement est souvent le signe qu'il faut réviser le "
                            "contrat.</p>",
                        ),
                        quote(
                            "La sanction vient en dernier. Avant, il y a l'appel, le courrier, "
                            "la visite, la proposition d'un nouveau rendez-vous.",
                            "Une responsable d'équipe insertion",
                        ),
                    ],
                },
                {
                    "slug": "quiz-contrat-engagement",
                    "title": "Quiz : le contrat d'engagement",
                    "duration_minutes": 10,
                    "body": [
                        text(
                            "<p>Ce quiz n'a pas de limite de tentatives : recommencez autant "
                            "que nécessaire. Il faut 70 % de bonnes réponses pour valider la "
                            "leçon.</p>"
                        ),
                        quiz(
                            "Quiz : le contrat d'engagement",
                            "Cinq questions sur le contrat, ses révisions et les manquements.",
                            [
                                question(
                                    "single",
                                    "Avant la loi pour le plein emploi, quel document "
                                    "l'allocataire du RSA orienté vers Pôle emploi "
                                    "signait-il ?",
                                    [
                                        (
                                            "Le projet personnalisé d'accès à l'emploi (PPAE)",
                                            True,
                                            "Exact.",
                                        ),
                                        (
                                            "Le contrat d'engagement réciproque (CER)",
                                            False,
                                            "Non : le CER se signait avec le département, "
                                            "pour les parcours social ou socioprofessionnel.",
                                        ),
                                        (
                                            "Aucun document",
                                            False,
                                            "Non : un document formalisait déjà l'accompagnement.",
                                        ),
                                    ],
                                    "Deux documents coexistaient selon l'orientation ; le "
                                    "contrat d'engagement les remplace.",
                                ),
                                question(
                                    "multiple",
                                    "Quels éléments figurent dans le contrat d'engagement ?",
                                    [
                                        (
                                            "Les objectifs d'insertion de la personne",
                                            True,
                                            "Oui.",
                                        ),
                                        ("Un plan d'action", True, "Oui."),
                                        (
                                            "Les engagements de l'organisme référent",
                                            True,
                                            "Oui : le contrat engage les deux parties.",
                                        ),
                                        (
                                            "Le montant de l'allocation pour l'année à venir",
                                            False,
                                            "Non : le montant dépend des ressources et relève "
                                            "de l'organisme qui verse l'allocation.",
                                        ),
                                    ],
                                    "Le contrat décrit des objectifs, des actions et des "
                                    "engagements réciproques.",
                                ),
                                true_false(
                                    "Seul le référent peut demander la révision du contrat.",
                                    False,
                                    "Non : la personne peut aussi la demander.",
                                    "Exact : la personne comme le référent peuvent la demander.",
                                    "Le contrat se révise dès que la situation change, à "
                                    "l'initiative de l'une ou l'autre partie.",
                                ),
                                true_false(
                                    "Avec la suspension-remobilisation, les sommes suspendues "
                                    "peuvent être reversées si la personne respecte de nouveau "
                                    "ses engagements.",
                                    True,
                                    "Exact, dans les limites prévues par les textes.",
                                    "Si : c'est le principe même de la remobilisation.",
                                ),
                                question(
                                    "single",
                                    "Une personne manque deux rendez-vous. Que faites-vous "
                                    "d'abord ?",
                                    [
                                        (
                                            "Je la contacte pour comprendre la situation et "
                                            "vérifier s'il existe un motif légitime",
                                            True,
                                            "Oui : le contact passe avant la procédure.",
                                        ),
                                        (
                                            "Je demande tout de suite la suspension de "
                                            "l'allocation",
                                            False,
                                            "Non : la personne doit d'abord être informée et "
                                            "pouvoir s'expliquer.",
                                        ),
                                        (
                                            "Je mets fin à l'accompagnement",
                                            False,
                                            "Non : l'accompagnement continue, le contrat peut "
                                            "être révisé.",
                                        ),
                                    ],
                                ),
                            ],
                            pass_mark=70,
                            max_attempts=0,
                        ),
                    ],
                },
            ],
        },
    ],
}

# --- Course 3: recruitment by simulation (restricted) ----------------------------------------

COURSE_MRS = {
    "slug": "methode-recrutement-simulation",
    "title": "Méthodes de recrutement par simulation et aide au recrutement des entreprises",
    "summary": "La méthode de recrutement par simulation (MRS) évalue les habiletés "
    "nécessaires à un poste par des exercices qui reproduisent les situations de travail, sans "
    "s'arrêter au CV. Formation en session, réservée aux conseillers et conseillères France "
    "Travail des Hauts-de-France : la méthode, et l'accompagnement des employeurs dans leurs "
    "recrutements.",
    "objectives": "<ul>"
    "<li>Expliquer à un employeur le principe de la MRS et ses limites.</li>"
    "<li>Décrire les étapes, de l'analyse de poste à la restitution des résultats.</li>"
    "<li>Identifier les habiletés mobilisées par un poste.</li>"
    "<li>Proposer à une entreprise les services d'aide au recrutement adaptés à son "
    "besoin.</li>"
    "</ul>",
    "prerequisites": "<p>Être conseiller ou conseillère France Travail dans les "
    "Hauts-de-France, de préférence en relation avec les entreprises.</p>",
    "duration_minutes": 420,
    "level": CoursePage.Level.ADVANCED,
    "format": CoursePage.Format.SESSION,
    "tags": ["recrutement", "entreprises", "MRS"],
    "audience": ["france-travail"],
    "territories": ["hauts-de-france"],
    "enrolment_restricted": True,
    "modules": [
        {
            "slug": "principes-de-la-mrs",
            "title": "La méthode de recrutement par simulation",
            "intro": "Recruter sur les habiletés plutôt que sur le CV.",
            "lessons": [
                {
                    "slug": "recruter-sur-les-habiletes",
                    "title": "Principes : recruter sur les habiletés",
                    "duration_minutes": 20,
                    "body": [
                        heading("Partir du poste, pas du CV"),
                        text(
                            "<p>La méthode de recrutement par simulation (MRS) repose sur une "
                            "idée simple : pour savoir si une personne peut tenir un poste, on "
                            "l'observe dans des exercices qui reproduisent les situations "
                            "réelles de ce poste. Les candidats sont évalués sur leurs "
                            "<b>habiletés</b>, c'est-à-dire les capacités nécessaires pour "
                            "réaliser le travail, et non sur leur diplôme ou leur "
                            "expérience.</p><p>La méthode élargit ainsi le vivier à des "
                            "personnes qui n'auraient pas été retenues sur CV : reconversion, "
                            "première expérience, longue période sans emploi.</p>"
                        ),
                        heading("Qu'est-ce qu'une habileté ?"),
                        text(
                            "<p>Une habileté est une capacité mobilisée dans une situation de "
                            "travail : respecter des consignes et des normes, travailler en "
                            "équipe, se repérer dans l'espace, maintenir son attention dans la "
                            "durée, organiser son travail… Un même poste en mobilise "
                            "généralement plusieurs.</p>"
                        ),
                        callout(
                            "À retenir",
                            "<ul><li>Les exercices sont conçus pour chaque poste, à partir "
                            "d'une analyse du travail réel.</li><li>Les mêmes exercices et les "
                            "mêmes critères valent pour tous les candidats.</li><li>L'employeur "
                            "garde la décision finale d'embauche.</li></ul>",
                        ),
                        quote(
                            "On ne juge pas un parcours, on observe une manière de faire.",
                            "Une conseillère entreprise",
                        ),
                    ],
                },
                {
                    "slug": "de-l-analyse-de-poste-a-l-exercice",
                    "title": "De l'analyse de poste à l'exercice de simulation",
                    "duration_minutes": 25,
                    "body": [
                        heading("Les étapes d'une MRS"),
                        accordion(
                            (
                                "1. L'analyse du poste",
                                "<p>Le conseiller observe le poste dans l'entreprise, échange "
                                "avec l'employeur et les salariés, et identifie les habiletés "
                                "réellement mobilisées.</p>",
                            ),
                            (
                                "2. La conception des exercices",
                                "<p>Des exercices de mise en situation sont construits ou "
                                "adaptés pour évaluer ces habiletés, puis validés avec "
                                "l'entreprise avant d'être utilisés.</p>",
                            ),
                            (
                                "3. La séance d'évaluation",
                                "<p>Les candidats passent les exercices, souvent en groupe, "
                                "dans des conditions identiques pour tous. Les consignes sont "
                                "expliquées et chacun peut poser ses questions avant de "
                                "commencer.</p>",
                            ),
                            (
                                "4. La restitution",
                                "<p>Chaque candidat connaît ses résultats. Ceux qui ont réussi "
                                "les exercices sont présentés à l'employeur, qui conduit "
                                "l'entretien d'embauche.</p>",
                            ),
                        ),
                        callout(
                            "Attention",
                            "<p>Un exercice mal calibré écarte des candidats capables. "
                            "Vérifiez qu'il évalue bien une habileté du poste, et non un "
                            "savoir scolaire ou une connaissance technique qui s'acquiert en "
                            "formation.</p>",
                        ),
                    ],
                },
            ],
        },
        {
            "slug": "accompagner-les-employeurs",
            "title": "Accompagner les employeurs",
            "intro": "Les services qui aident les entreprises à recruter.",
            "lessons": [
                {
                    "slug": "conseiller-l-entreprise",
                    "title": "Conseiller l'entreprise dans son recrutement",
                    "duration_minutes": 25,
                    "body": [
                        heading("Comprendre le besoin"),
                        text(
                            "<p>Avant de proposer un service, analysez la demande de "
                            "l'entreprise : le poste, les conditions de travail, les "
                            "difficultés rencontrées lors des recrutements précédents. Une "
                            "offre d'emploi précise et réaliste est le premier levier d'un "
                            "recrutement réussi.</p>"
                        ),
                        heading("Les leviers à proposer"),
                        accordion(
                            (
                                "La méthode de recrutement par simulation",
                                "<p>Adaptée aux recrutements nombreux, ou aux métiers pour "
                                "lesquels les candidats expérimentés sont rares.</p>",
                            ),
                            (
                                "L'immersion professionnelle",
                                "<p>La période de mise en situation en milieu professionnel "
                                "(PMSMP) permet à un candidat et à un employeur de se "
                                "découvrir, pour une durée courte, avant tout engagement.</p>",
                            ),
                            (
                                "La formation avant l'embauche",
                                "<p>La préparation opérationnelle à l'emploi (POE) et l'action "
                                "de formation préalable au recrutement (AFPR) financent une "
                                "formation qui adapte les compétences d'un candidat au poste "
                                "proposé. Vérifiez les conditions en vigueur avant de les "
                                "proposer.</p>",
                            ),
                            (
                                "Les événements de recrutement",
                                "<p>Job datings, forums et visites d'entreprise rapprochent "
                                "employeurs et candidats, surtout quand les candidats y ont "
                                "été préparés.</p>",
                            ),
                        ),
                        quote(
                            "Ce que l'entreprise attend de nous, c'est moins une pile de CV "
                            "qu'une présélection sérieuse et un interlocuteur qui connaît son "
                            "métier.",
                            "Un chargé de relation entreprise",
                        ),
                    ],
                },
                {
                    "slug": "preparer-la-session",
                    "title": "Pour aller plus loin : préparer la session en présentiel",
                    "duration_minutes": 10,
                    "optional": True,
                    "body": [
                        text(
                            "<p>La session en présentiel est consacrée à la pratique : analyse "
                            "d'un poste à partir d'un cas réel, passation d'exercices de "
                            "simulation et jeu de rôle avec un employeur.</p>"
                        ),
                        callout(
                            "Avant de venir",
                            "<ul><li>Repérez dans votre portefeuille une entreprise qui a du "
                            "mal à recruter.</li><li>Notez les difficultés qu'elle rencontre "
                            "et les postes concernés.</li><li>Apportez, si possible, une fiche "
                            "de poste anonymisée.</li></ul>",
                        ),
                    ],
                },
                {
                    "slug": "quiz-mrs",
                    "title": "Quiz : MRS et aide au recrutement",
                    "duration_minutes": 10,
                    "body": [
                        text(
                            "<p>Quatre questions pour vérifier vos acquis avant la session. "
                            "Il faut 75 % de bonnes réponses ; vous disposez de trois "
                            "tentatives.</p>"
                        ),
                        quiz(
                            "Quiz : MRS et aide au recrutement",
                            "Répondez aux quatre questions, puis validez.",
                            [
                                question(
                                    "single",
                                    "Sur quoi la méthode de recrutement par simulation "
                                    "évalue-t-elle les candidats ?",
                                    [
                                        ("Sur les habiletés nécessaires au poste", True, "Exact."),
                                        (
                                            "Sur leur diplôme et leur expérience",
                                            False,
                                            "Non : la méthode se passe justement du CV.",
                                        ),
                                        (
                                            "Sur un entretien de motivation",
                                            False,
                                            "Non : l'entretien vient après, avec l'employeur.",
                                        ),
                                    ],
                                    "Les exercices reproduisent les situations de travail du "
                                    "poste et mesurent les habiletés qu'il mobilise.",
                                ),
                                true_false(
                                    "Avec la MRS, c'est France Travail qui prend la décision "
                                    "finale d'embauche.",
                                    False,
                                    "Non : l'employeur reçoit les candidats qui ont réussi les "
                                    "exercices, et c'est lui qui décide.",
                                    "Exact : la décision appartient à l'employeur.",
                                ),
                                question(
                                    "multiple",
                                    "Quelles étapes font partie d'une MRS ?",
                                    [
                                        ("L'analyse du poste dans l'entreprise", True, "Oui."),
                                        ("La conception des exercices", True, "Oui."),
                                        ("La séance d'évaluation des candidats", True, "Oui."),
                                        (
                                            "Un tri préalable des candidats sur CV",
                                            False,
                                            "Justement non : la méthode ne trie pas sur CV.",
                                        ),
                                    ],
                                    "Analyse du poste, exercices, évaluation, restitution : le "
                                    "CV n'intervient à aucune étape.",
                                ),
                                question(
                                    "single",
                                    "Quel dispositif permet à un candidat de découvrir un poste "
                                    "quelques jours en entreprise, avant tout engagement ?",
                                    [
                                        (
                                            "La période de mise en situation en milieu "
                                            "professionnel (PMSMP)",
                                            True,
                                            "Exact.",
                                        ),
                                        (
                                            "La préparation opérationnelle à l'emploi (POE)",
                                            False,
                                            "Non : la POE finance une formation avant l'embauche.",
                                        ),
                                        (
                                            "Le contrat de professionnalisation",
                                            False,
                                            "Non : c'est un contrat de travail en alternance, "
                                            "pas une découverte de courte durée.",
                                        ),
                                    ],
                                ),
                            ],
                            pass_mark=75,
                            max_attempts=3,
                        ),
                    ],
                },
            ],
        },
    ],
}

# --- Course 4: skills needs of a territory ------------------------------------------------------

COURSE_TERRITORY = {
    "slug": "besoins-en-competences-du-territoire",
    "title": "Repérer les besoins en compétences de son territoire",
    "summary": "Construire un diagnostic partagé des besoins en compétences de son bassin "
    "d'emploi : lire l'enquête Besoins en main-d'œuvre (BMO), croiser les sources sur la "
    "demande d'emploi, les offres et la formation, puis mettre ce diagnostic au service du "
    "comité local pour l'emploi et des partenaires.",
    "objectives": "<ul>"
    "<li>Utiliser les résultats de l'enquête BMO en connaissant leurs limites.</li>"
    "<li>Croiser plusieurs sources de données pour objectiver les besoins.</li>"
    "<li>Associer les partenaires du territoire au diagnostic.</li>"
    "<li>Traduire le diagnostic en actions : formation, recrutement, accompagnement.</li>"
    "</ul>",
    "prerequisites": "<p>Aucun. Être à l'aise avec un tableur aide pour les exercices.</p>",
    "duration_minutes": 120,
    "level": CoursePage.Level.INTERMEDIATE,
    "format": CoursePage.Format.BLENDED,
    "tags": ["diagnostic territorial", "BMO", "partenariats"],
    "audience": [
        "france-travail",
        "mission-locale",
        "cap-emploi",
        "conseil-departemental",
        "conseil-regional",
        "commune-intercommunalite",
        "services-etat",
    ],
    "territories": ["hauts-de-france"],
    "enrolment_restricted": False,
    "modules": [
        {
            "slug": "les-sources",
            "title": "Les sources pour objectiver les besoins",
            "intro": "Des données publiques pour aller au-delà des impressions.",
            "lessons": [
                {
                    "slug": "enquete-bmo",
                    "title": "L'enquête Besoins en main-d'œuvre (BMO)",
                    "duration_minutes": 20,
                    "body": [
                        heading("Ce que mesure l'enquête"),
                        text(
                            "<p>Chaque année, France Travail interroge les employeurs sur leurs "
                            "<b>projets de recrutement</b> pour l'année à venir : c'est "
                            "l'enquête Besoins en main-d'œuvre (BMO), réalisée avec le concours "
                            "du Crédoc. Les résultats sont publiés au printemps, par métier et "
                            "par bassin d'emploi.</p><p>Pour chaque métier, l'enquête indique "
                            "notamment le nombre de projets de recrutement, la part de projets "
                            "jugés <b>difficiles</b> par les employeurs et la part de projets "
                            "<b>saisonniers</b>.</p>"
                        ),
                        callout(
                            "Les limites à garder en tête",
                            "<ul><li>Ce sont des <b>intentions</b> d'embauche déclarées, pas "
                            "des embauches réalisées.</li><li>Sur un petit bassin ou un métier "
                            "rare, les effectifs sont faibles et les résultats fragiles.</li>"
                            "<li>Une difficulté de recrutement peut tenir aux conditions "
                            "d'emploi (horaires, salaire, accès en transport) autant qu'à un "
                            "manque de compétences.</li></ul>",
                        ),
                        heading("Lire un résultat BMO"),
                        text(
                            "<p>Partez de questions simples : quels métiers concentrent le "
                            "plus de projets sur mon bassin ? Lesquels sont jugés difficiles ? "
                            "Les projets sont-ils saisonniers ? Comparez ensuite avec l'année "
                            "précédente et avec les niveaux départemental et régional, pour "
                            "distinguer une particularité locale d'une tendance générale.</p>"
                        ),
                    ],
                },
                {
                    "slug": "croiser-les-sources",
                    "title": "Croiser les sources : demande d'emploi, offres et formation",
                    "duration_minutes": 25,
                    "body": [
                        heading("Quatre regards complémentaires"),
                        accordion(
                            (
                                "La demande d'emploi",
                                "<p>Les statistiques des demandeurs d'emploi inscrits à France "
                                "Travail, publiées avec la Dares, décrivent les personnes "
                                "disponibles par catégorie, métier recherché, âge ou "
                                "ancienneté d'inscription.</p>",
                            ),
                            (
                                "Les offres d'emploi",
                                "<p>Les offres diffusées et les difficultés signalées par les "
                                "conseillers entreprise complètent l'enquête BMO : elles "
                                "montrent ce qui se recrute effectivement.</p>",
                            ),
                            (
                                "L'économie locale",
                                "<p>L'Insee publie des données par zone d'emploi (taux de "
                                "chômage localisés, population, emploi) ; les Urssaf publient "
                                "des données sur l'emploi salarié par secteur.</p>",
                            ),
                            (
                                "La formation",
                                "<p>La région, compétente en matière de formation "
                                "professionnelle, et les observatoires régionaux de l'emploi "
                                "et de la formation (souvent au sein des Carif-Oref) éclairent "
                                "l'offre de formation disponible.</p>",
                            ),
                        ),
                        callout(
                            "Méthode",
                            "<p>Pour chaque métier en tension, mettez côte à côte les projets "
                            "de recrutement, le nombre de personnes qui recherchent ce métier "
                            "et les formations qui y préparent. L'écart entre ces trois "
                            "données oriente l'action : former, rapprocher candidats et "
                            "employeurs, ou travailler les conditions d'emploi avec les "
                            "entreprises.</p>",
                        ),
                    ],
                },
            ],
        },
        {
            "slug": "agir-avec-les-partenaires",
            "title": "Agir avec les partenaires du territoire",
            "intro": "Partager le diagnostic et en tirer un plan d'action.",
            "lessons": [
                {
                    "slug": "comite-local-pour-l-emploi",
                    "title": "Le comité local pour l'emploi et les partenaires",
                    "duration_minutes": 20,
                    "body": [
                        heading("Un diagnostic partagé"),
                        text(
                            "<p>La loi pour le plein emploi a créé des <b>comités pour "
                            "l'emploi</b> aux échelons national, régional, départemental et "
                            "local. Le comité local réunit les acteurs du réseau pour l'emploi "
                            "d'un bassin : services de l'État, collectivités, France Travail, "
                            "missions locales, Cap emploi et, selon les territoires, d'autres "
                            "partenaires comme les représentants des entreprises ou les "
                            "structures de l'insertion.</p><p>Un diagnostic des besoins en "
                            "compétences n'a de valeur que s'il est partagé : chacun y apporte "
                            "ses données et sa connaissance du terrain, et le plan d'action "
                            "qui en découle engage tous les partenaires.</p>"
                        ),
                        accordion(
                            (
                                "Qui associer ?",
                                "<ul><li>Les membres du réseau pour l'emploi du "
                                "territoire.</li><li>Les représentants des employeurs : "
                                "chambres consulaires, branches professionnelles, entreprises "
                                "du bassin.</li><li>Les organismes de formation et la "
                                "région.</li><li>Les structures de l'insertion par l'activité "
                                "économique.</li></ul>",
                            ),
                            (
                                "Comment restituer ?",
                                "<p>Quelques indicateurs clés, la liste des métiers qui "
                                "recrutent, trois à cinq priorités et, pour chacune, un pilote "
                                "et une échéance.</p>",
                            ),
                        ),
                        quote(
                            "Les chiffres ouvrent la discussion ; ce sont les partenaires "
                            "autour de la table qui disent ce qu'ils signifient sur le "
                            "terrain.",
                            "Un chargé de mission d'un comité local pour l'emploi",
                        ),
                        callout(
                            "Bonne pratique",
                            "<p>Publiez la synthèse du diagnostic dans l'espace communautaire "
                            "de votre territoire : les collègues des autres opérateurs "
                            "pourront la compléter.</p>",
                        ),
                    ],
                },
                {
                    "slug": "quiz-diagnostic-territorial",
                    "title": "Quiz : diagnostic territorial",
                    "duration_minutes": 10,
                    "body": [
                        text(
                            "<p>Quatre questions sur les sources et le travail avec les "
                            "partenaires. Il faut 70 % de bonnes réponses ; vous disposez de "
                            "trois tentatives.</p>"
                        ),
                        quiz(
                            "Quiz : diagnostic territorial",
                            "Répondez aux quatre questions, puis validez.",
                            [
                                question(
                                    "single",
                                    "Que mesure l'enquête Besoins en main-d'œuvre (BMO) ?",
                                    [
                                        (
                                            "Les projets de recrutement déclarés par les "
                                            "employeurs pour l'année",
                                            True,
                                            "Exact.",
                                        ),
                                        (
                                            "Les embauches réalisées l'année précédente",
                                            False,
                                            "Non : ce sont des intentions, pas des embauches "
                                            "réalisées.",
                                        ),
                                        (
                                            "Le nombre de demandeurs d'emploi par métier",
                                            False,
                                            "Non : c'est l'objet des statistiques de la "
                                            "demande d'emploi.",
                                        ),
                                    ],
                                ),
                                question(
                                    "multiple",
                                    "Quelles sources aident à objectiver les besoins en "
                                    "compétences d'un territoire ?",
                                    [
                                        ("L'enquête BMO", True, "Oui."),
                                        (
                                            "Les statistiques des demandeurs d'emploi",
                                            True,
                                            "Oui.",
                                        ),
                                        (
                                            "Les données de l'Insee par zone d'emploi",
                                            True,
                                            "Oui.",
                                        ),
                                        (
                                            "Le nombre de visites du site de l'agence",
                                            False,
                                            "Non : cela ne dit rien des besoins des employeurs.",
                                        ),
                                    ],
                                    "Aucune source ne suffit seule : c'est leur croisement qui "
                                    "éclaire les besoins.",
                                ),
                                true_false(
                                    "Un projet de recrutement jugé difficile traduit toujours "
                                    "un manque de compétences des candidats.",
                                    False,
                                    "Non : conditions d'emploi, mobilité ou attractivité du "
                                    "métier jouent aussi.",
                                    "Exact : la difficulté peut avoir d'autres causes.",
                                ),
                                true_false(
                                    "Des comités pour l'emploi existent notamment à l'échelon "
                                    "local.",
                                    True,
                                    "Exact : la loi les prévoit du national au local.",
                                    "Si : la loi pour le plein emploi prévoit des comités "
                                    "jusqu'à l'échelon local.",
                                ),
                            ],
                            pass_mark=70,
                            max_attempts=3,
                        ),
                    ],
                },
            ],
        },
    ],
}

COURSES = [COURSE_RSA, COURSE_CER, COURSE_MRS, COURSE_TERRITORY]

# --- Extra accounts: France Travail staff of the Hauts-de-France, for the full session ----------

# (email, display name, first, last, structure, job title, territory slug, role label)
EXTRA_USERS = [
    (
        "lucas.petit@demo.academie.fr",
        "Lucas Petit",
        "Lucas",
        "Petit",
        "Agence France Travail d'Amiens",
        "Conseiller entreprise",
        "somme",
        "professionnel (inscrit à l'atelier MRS de Lille)",
    ),
    (
        "ines.moreau@demo.academie.fr",
        "Inès Moreau",
        "Inès",
        "Moreau",
        "Agence France Travail d'Arras",
        "Conseillère à l'emploi",
        "pas-de-calais",
        "professionnelle (liste d'attente de l'atelier MRS de Lille)",
    ),
]

SESSION_RSA_TITLE = "Accompagnement intensif RSA : classe virtuelle Hauts-de-France"
SESSION_MRS_TITLE = "Atelier MRS en présentiel à Lille"


# --- Seeding ----------------------------------------------------------------------------------


def _child(parent, slug):
    return parent.get_children().filter(slug=slug).first()


def _publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _index(home) -> AcademyIndexPage:
    existing = _child(home, INDEX["slug"])
    if existing is not None:
        return existing
    found = AcademyIndexPage.objects.first()  # max_count = 1: an editor may have moved it
    if found is not None:
        return found
    return _publish_child(home, AcademyIndexPage(**INDEX))


def _course(index, spec) -> CoursePage:
    course = _child(index, spec["slug"])
    if course is None:
        course = CoursePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            objectives=spec["objectives"],
            prerequisites=spec["prerequisites"],
            duration_minutes=spec["duration_minutes"],
            level=spec["level"],
            format=spec["format"],
            enrolment_restricted=spec["enrolment_restricted"],
        )
        # modelcluster keeps tags and parental many-to-many in memory until the page is
        # saved, so the first revision (the one published) holds them too.
        course.tags.add(*spec["tags"])
        course.audience.set(Operator.objects.filter(slug__in=spec["audience"]))
        course.territories.set(Territory.objects.filter(slug__in=spec["territories"]))
        _publish_child(index, course)
    for module_spec in spec["modules"]:
        module = _child(course, module_spec["slug"])
        if module is None:
            module = _publish_child(
                course,
                ModulePage(
                    title=module_spec["title"],
                    slug=module_spec["slug"],
                    intro=module_spec["intro"],
                ),
            )
        for lesson_spec in module_spec["lessons"]:
            if _child(module, lesson_spec["slug"]) is not None:
                continue
            _publish_child(
                module,
                LessonPage(
                    title=lesson_spec["title"],
                    slug=lesson_spec["slug"],
                    optional=lesson_spec.get("optional", False),
                    duration_minutes=lesson_spec["duration_minutes"],
                    body=stream_data(lesson_spec["body"], f"{spec['slug']}/{lesson_spec['slug']}"),
                ),
            )
    return CoursePage.objects.get(pk=course.pk)


def _extra_users() -> list[tuple[str, str]]:
    accounts = []
    for email, display, first, last, structure, job, territory, label in EXTRA_USERS:
        demo_user_ensure(
            email=email,
            display_name=display,
            first_name=first,
            last_name=last,
            operator_slug="france-travail",
            structure_name=structure,
            job_title=job,
            territory_slugs=[territory],
        )
        accounts.append((email, label))
    return accounts


def _paris(day, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=PARIS)


def _session(course, title, *, days_ahead, starts, ends, **fields) -> CourseSession:
    """Looked up by (course, title); once created, its dates never move."""
    session = CourseSession.objects.filter(course=course, title=title).first()
    if session is None:
        day = timezone.localdate(timezone=PARIS) + timedelta(days=days_ahead)
        session = CourseSession(
            course=course,
            title=title,
            starts_at=_paris(day, starts),
            ends_at=_paris(day, ends),
            **fields,
        )
        session.full_clean()
        session.save()
    return session


def _register(session, emails, stdout) -> None:
    """Register through the service (capacity, waiting list, rules), once per person."""
    if session.cancelled or session.starts_at <= timezone.now():
        return
    for email in emails:
        user = User.objects.get(email=email)
        if SessionRegistration.objects.filter(session=session, user=user).exists():
            continue
        try:
            services.session_register(user=user, session=session)
        except services.ActionRefused as refusal:
            stdout.write(f"Inscription de démonstration refusée ({email}) : {refusal}")


def _progress(course, email, lesson_slug, stdout) -> None:
    user = User.objects.get(email=email)
    if Enrolment.objects.filter(user=user, course=course).exists():
        return
    try:
        services.course_enrol(user=user, course=course)
        lesson = LessonPage.objects.descendant_of(course).filter(slug=lesson_slug).first()
        if (
            lesson is not None
            and not LessonProgress.objects.filter(user=user, lesson=lesson).exists()
        ):
            services.lesson_complete(user=user, lesson=lesson)
    except services.ActionRefused as refusal:
        stdout.write(f"Progression de démonstration refusée ({email}) : {refusal}")


@transaction.atomic
def seed(*, stdout) -> list[tuple[str, str]]:
    home = HomePage.objects.first()
    if home is None:  # portal.demo runs first and creates it
        raise RuntimeError("Page d'accueil absente : lancez d'abord portal.demo (seed_demo).")
    index = _index(home)
    rsa, cer, mrs, _territory = (_course(index, spec) for spec in COURSES)
    accounts = _extra_users()

    visio = _session(
        rsa,
        SESSION_RSA_TITLE,
        days_ahead=10,
        starts=time(9, 30),
        ends=time(12, 30),
        format=CourseSession.Format.VISIO,
        visio_url="https://visio.example.fr/academie-rsa",
        territory=Territory.objects.get(slug="hauts-de-france"),
        trainer="Claire Vasseur, référente RSA",
        capacity=12,
    )
    _register(visio, ["karim.lefevre@demo.academie.fr", "yanis.benali@demo.academie.fr"], stdout)

    onsite = _session(
        mrs,
        SESSION_MRS_TITLE,
        days_ahead=17,
        starts=time(9, 0),
        ends=time(17, 0),
        format=CourseSession.Format.ONSITE,
        place="Agence France Travail Lille Centre, salle Jean-Monnet",
        territory=Territory.objects.get(slug="nord"),
        trainer="Julien Delattre, conseiller entreprise",
        capacity=3,
    )
    # Three seats taken, then one person on the waiting list: the order matters.
    _register(
        onsite,
        [
            "camille.dupont@demo.academie.fr",
            "nadia.haddad@demo.academie.fr",
            "lucas.petit@demo.academie.fr",
            "ines.moreau@demo.academie.fr",
        ],
        stdout,
    )

    _progress(cer, "camille.dupont@demo.academie.fr", "du-cer-au-contrat-d-engagement", stdout)
    return accounts
