"""Filters for the readable version of a person's data export."""

from collections.abc import Mapping

from django import template

register = template.Library()

# The export's keys are plain ASCII (stable for machines); people read them accented.
LABELS = {
    "academie": "Académie",
    "communaute": "Communauté",
    "adresse_electronique": "Adresse électronique",
    "commentaire_de_relecture": "Commentaire de la relecture",
    "debut": "Début",
    "delivree_le": "Délivrée le",
    "demandes_d_adhesion": "Demandes d'adhésion",
    "derniere_connexion": "Dernière connexion",
    "derniere_version_le": "Dernière version le",
    "etat": "État",
    "fiches_proposees": "Fiches proposées",
    "lecon": "Leçon",
    "lecons_terminees": "Leçons terminées",
    "nom_affiche": "Nom affiché",
    "numero": "Numéro",
    "operateur": "Opérateur",
    "pieces_jointes": "Pièces jointes",
    "preferences": "Préférences",
    "prenom": "Prénom",
    "presentation": "Présentation",
    "principale": "Principale",
    "profil": "Profil",
    "reussi": "Réussi",
    "revoquee_le": "Révoquée le",
    "role": "Rôle",
    "supprime": "Supprimé",
    "suspendu_jusqu_au": "Suspendu jusqu'au",
    "taille_octets": "Taille (octets)",
    "terminee_le": "Terminée le",
    "verifiee": "Vérifiée",
    "modifie_le": "Modifié le",
    "utile": "« Utile »",
    "siret_de_la_structure": "SIRET de la structure",
    "proconnect": "ProConnect",
    "relie_le": "Relié le",
    "donnees_transmises": "Données transmises",
    # ProConnect's claim names, as it sends them.
    "sub": "Identifiant ProConnect (sub)",
    "email": "Adresse électronique (email)",
    "email_verified": "Adresse vérifiée (email_verified)",
    "given_name": "Prénom (given_name)",
    "usual_name": "Nom d'usage (usual_name)",
    "siret": "SIRET (siret)",
    "idp_id": "Fournisseur d'identité (idp_id)",
}


@register.filter
def data_label(key: str) -> str:
    """ "membre_depuis" → "Membre depuis"; accented where the key cannot be."""
    if key in LABELS:
        return LABELS[key]
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@register.filter
def data_kind(value) -> str:
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list | tuple):
        return "list"
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return "bool"
    return "text"
