"""How an e-mail that concerns a relais presents itself: the relais' name as sender, its address for replies,
and a signature with its name, phone and address. The sending address stays the portal's (DEFAULT_FROM_EMAIL):
only it is authorised (SPF/DKIM) to send from our servers."""

from email.utils import parseaddr

from django.conf import settings
from django.template.loader import render_to_string

from comptes.texte import une_ligne
from courriels.services import mettre_en_file
from relais.models import Relais


def nom_d_expediteur(relais: Relais) -> str:
    nom = une_ligne(relais.nom)
    # "RPE de Béziers" is already a relais' name; "Béziers" becomes "RPE Béziers".
    return nom if nom.upper().startswith(("RPE", "RELAIS")) else f"RPE {nom}"


def expediteur(relais: Relais | None) -> dict:
    """Keyword arguments of EmailMessage: from_email and reply_to. Without a relais, the portal's sender."""
    if relais is None:
        return {"from_email": settings.DEFAULT_FROM_EMAIL, "reply_to": None}
    adresse = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return {
        # A quoted display name; Django encodes it (RFC 2047) when the message is built.
        "from_email": '"{}" <{}>'.format(nom_d_expediteur(relais).replace("\\", "").replace('"', ""), adresse),
        "reply_to": [relais.email] if relais.email else None,
    }


def signature(relais: Relais | None) -> str:
    """The last lines of an e-mail: who to call or visit."""
    if relais is None:
        return "Le Guichet RPE"
    lignes = [une_ligne(relais.nom)]
    if relais.telephone:
        lignes.append(f"Téléphone : {relais.telephone}")
    adresse = une_ligne(relais.adresse)
    commune = relais.commune_siege.nom if relais.commune_siege_id else ""
    if adresse or commune:
        lignes.append("Adresse : " + ", ".join(p for p in (adresse, commune) if p))
    if relais.email:
        lignes.append(f"E-mail : {relais.email}")
    return "\n".join(lignes)


def envoyer_pour_le_relais(
    modele: str, destinataire: str, contexte: dict, relais: Relais | None, *, sujet_de: str = ""
) -> None:
    """Queues `<modele>_sujet.txt` / `<modele>.txt` from the relais when the e-mail speaks for one (its name, its
    address for replies, its signature), from the portal otherwise. `sujet_de` labels the record it speaks of,
    so that erasing that record erases the e-mail too."""
    contexte = {"site_url": settings.SITE_URL, "signature": signature(relais), **contexte}
    envoi = expediteur(relais)
    mettre_en_file(
        destinataire=destinataire,
        sujet=une_ligne(render_to_string(f"{modele}_sujet.txt", contexte)),
        corps=render_to_string(f"{modele}.txt", contexte),
        expediteur=envoi["from_email"],
        reply_to=envoi["reply_to"],
        sujet_de=sujet_de,
    )
