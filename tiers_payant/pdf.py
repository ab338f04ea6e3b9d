"""The convention as a PDF, rendered by WeasyPrint from a small dedicated template (no Bootstrap)."""

import hashlib

from django.template.loader import render_to_string

from fichiers.pdf import rendre_pdf
from tiers_payant.models import Convention, Partie, SignatureConvention


def sha256(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


def rendre_convention(
    convention: Convention,
    *,
    signatures: dict[str, SignatureConvention] | None = None,
    projet: bool = False,
    signataire_caf: str = "",
    exemplaire_caf: bool = False,
    empreinte_originale: str = "",
) -> bytes:
    """The PDF bytes. `signatures` fills the signature blocks; `projet` marks a draft that nobody signs.

    `exemplaire_caf`: the CAF's copy, rendered on the fly from the same terms and signatures, names the child by
    the convention's reference only (data minimisation); it gives the SHA-256 of the stored original, the document
    the parties signed, which names the child."""
    signatures = signatures or {}
    caf = signatures.get(Partie.CAF)
    blocs = [
        {
            "partie": Partie.CAF,
            "titre": convention.relais.departement.nom_caf or f"CAF ({convention.relais.departement})",
            "nom": (caf.user.get_full_name() or caf.user.email) if caf else signataire_caf,
            "qualite": "pour la Caisse d'allocations familiales",
            "signature": caf,
        },
        {
            "partie": Partie.PARENT,
            "titre": "Le parent employeur",
            "nom": convention.parent.get_full_name() or convention.parent.email,
            "qualite": "parent",
            "signature": signatures.get(Partie.PARENT),
        },
    ]
    if convention.parent2_id:
        blocs.append(
            {
                "partie": Partie.PARENT2,
                "titre": "Le second parent",
                "nom": convention.parent2.get_full_name() or convention.parent2.email,
                "qualite": "parent",
                "signature": signatures.get(Partie.PARENT2),
            }
        )
    blocs.append(
        {
            "partie": Partie.ASSMAT,
            "titre": "L'assistant·e maternel·le",
            "nom": str(convention.assistant_maternel),
            "qualite": f"agrément n° {convention.numero_agrement or '—'}",
            "signature": signatures.get(Partie.ASSMAT),
        }
    )
    html = render_to_string(
        "tiers_payant/pdf/convention.html",
        {
            "convention": convention,
            "calcul": convention.calcul_cmg,
            "blocs": blocs,
            "projet": projet,
            "exemplaire_caf": exemplaire_caf,
            "empreinte_originale": empreinte_originale,
        },
    )
    return rendre_pdf(html)
