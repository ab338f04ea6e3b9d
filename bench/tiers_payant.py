"""Time the tiers payant convention PDF (median of N renders) and the computation of 1 000 monthly statements.

    uv run python scripts/stack.py run python bench/tiers_payant.py --renders 20 --releves 1000

Needs a migrated database, nothing else: the script creates a relais, a family, a childminder and the
conventions it needs inside a transaction that is rolled back at the end, so the database is left as it was.
Three figures for the statements: the engine alone (pure functions), the engine plus one bulk insert, and
the real path (`declarer_releve` then `confirmer_releve`: access checks, row locks, engine, writes).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

BENCH = "bench-tiers-payant.fr"


class Rollback(Exception):
    pass


def donnees():
    """A signed convention (CAF agent, parent, childminder) in a relais of its own."""
    from assmats.models import Agrement, AssistantMaternel
    from comptes.models import Role, User
    from relais.models import AgentCaf, Commune, CommuneDuTerritoire, Departement, Relais
    from tiers_payant import selectors, services

    aujourd_hui = date.today()  # noqa: DTZ011 - a benchmark's date, not stored for users
    departement, _ = Departement.objects.get_or_create(code="999", defaults={"nom": "Banc", "nom_caf": "CAF du Banc"})
    commune = Commune.objects.create(code_insee="99999", nom="Banc-sur-Mesure", departement=departement)
    relais = Relais.objects.create(
        nom="RPE du banc", departement=departement, adresse="1 place du Banc", commune_siege=commune
    )
    CommuneDuTerritoire.objects.create(relais=relais, commune=commune)

    def user(email, role, prenom, nom):
        return User.objects.create(email=f"{email}@{BENCH}", role=role, first_name=prenom, last_name=nom)

    agent = user("agent", Role.AGENT_CAF, "Bruno", "Caf")
    AgentCaf.objects.create(departement=departement, user=agent)
    parent = user("parent", Role.PARENT, "Paula", "Parent")
    compte_assmat = user("assmat", Role.ASSMAT, "Sylvie", "Nounou")
    assmat = AssistantMaternel.objects.create(
        user=compte_assmat, prenom="Sylvie", nom="Nounou", commune=commune, adresse="3 rue des Écoles"
    )
    Agrement.objects.create(
        assistant_maternel=assmat,
        numero="AGR-BANC-00001",
        date_delivrance=aujourd_hui - timedelta(days=800),
        date_fin_validite=aujourd_hui + timedelta(days=800),
        capacite_totale=4,
        capacite_moins_3_ans=3,
    )
    # Last month: a statement is declared once its month has ended.
    debut = (aujourd_hui.replace(day=1) - timedelta(days=1)).replace(day=1)
    termes = services.Termes(
        relais=relais,
        parent=parent,
        parent2=None,
        commune_famille=commune,
        enfant_prenom="Lina",
        enfant_naissance=debut - timedelta(days=400),
        assistant_maternel=assmat,
        date_debut=debut,
        duree_mois=18,
        heures_mensuelles=Decimal(125),
        salaire_horaire=Decimal("4.85"),
        indemnites_entretien=Decimal(60),
        indemnites_repas=Decimal(40),
        ressources_mensuelles=Decimal(1050),
        enfants_a_charge=1,
        parent_isole=False,
        rsa=True,
        aeeh=False,
        aah=False,
    )
    convention = services.preparer_convention(par=agent, termes=termes)
    services.envoyer_pour_signature(convention_id=convention.pk, par=agent)
    empreinte = selectors.document_a_signer(convention).sha256
    for signataire in (agent, parent, compte_assmat):
        services.signer_convention(convention_id=convention.pk, par=signataire, empreinte=empreinte)
    services.activer_convention(convention_id=convention.pk, par=agent)
    convention.refresh_from_db()
    return convention, agent, parent, compte_assmat


def mesurer_pdf(convention, renders: int) -> list[float]:
    from tiers_payant import pdf, selectors

    signatures = selectors.signatures_en_vigueur(convention)
    pdf.rendre_convention(convention, signatures=signatures)  # warm-up: imports, fonts
    durees = []
    for _ in range(renders):
        start = time.perf_counter()
        contenu = pdf.rendre_convention(convention, signatures=signatures)
        durees.append(time.perf_counter() - start)
    print(f"PDF: {len(contenu) / 1024:.0f} KB")
    return durees


def clones(convention, nombre: int):
    """`nombre` active conventions with the same terms, for statements of the same month."""
    from tiers_payant.models import Convention

    champs = {
        f.attname: getattr(convention, f.attname)
        for f in Convention._meta.concrete_fields
        if f.name not in ("id", "reference", "created_at", "updated_at")
    }
    return Convention.objects.bulk_create(
        [Convention(reference=f"TP-2999-{rang:06d}", **champs) for rang in range(nombre)]
    )


def mesurer_releves(convention, parent, assmat, nombre: int) -> dict[str, float]:
    from django.utils import timezone

    from tiers_payant import services
    from tiers_payant.models import ReleveMensuel

    mois = convention.date_debut
    conventions = clones(convention, nombre)
    saisies = [
        {"heures": Decimal(100 + rang % 60), "salaire_horaire": Decimal("4.85"), "indemnites": Decimal(rang % 90)}
        for rang in range(nombre)
    ]

    services.calculer_releve(conventions[0], mois=mois, **saisies[0])  # warm-up: parameter files, imports
    start = time.perf_counter()
    resultats = [services.calculer_releve(c, mois=mois, **s) for c, s in zip(conventions, saisies, strict=True)]
    moteur = time.perf_counter() - start

    start = time.perf_counter()
    resultats = [services.calculer_releve(c, mois=mois, **s) for c, s in zip(conventions, saisies, strict=True)]
    maintenant = timezone.now()
    ReleveMensuel.objects.bulk_create(
        [
            ReleveMensuel(
                convention=c,
                mois=mois,
                saisi_par=assmat,
                saisi_le=maintenant,
                confirme_par=parent,
                confirme_le=maintenant,
                cout_mensuel=r.cout_mensuel,
                cmg=r.cmg,
                reste_a_charge=r.reste_a_charge,
                regime=r.regime,
                **s,
            )
            for c, s, r in zip(conventions, saisies, resultats, strict=True)
        ]
    )
    en_masse = time.perf_counter() - start
    ReleveMensuel.objects.filter(convention__in=conventions).delete()

    start = time.perf_counter()
    for c, s in zip(conventions, saisies, strict=True):
        releve = services.declarer_releve(convention_id=c.pk, par=assmat, mois=mois, **s)
        services.confirmer_releve(releve_id=releve.pk, par=parent)
    services_ = time.perf_counter() - start
    return {"moteur": moteur, "en_masse": en_masse, "services": services_}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--releves", type=int, default=1000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction

    try:
        with transaction.atomic():
            convention, _agent, parent, assmat = donnees()
            durees = mesurer_pdf(convention, args.renders)
            releves = mesurer_releves(convention, parent, assmat, args.releves)
            raise Rollback
    except Rollback:
        pass
    ms = [d * 1000 for d in durees]
    print(
        f"PDF render ({args.renders} runs, signed convention, PDF/UA-1): median {statistics.median(ms):.0f} ms, "
        f"min {min(ms):.0f} ms, max {max(ms):.0f} ms"
    )
    n = args.releves
    print(f"{n} monthly statements, engine only: {releves['moteur']:.2f} s")
    print(f"{n} monthly statements, engine + one bulk insert: {releves['en_masse']:.2f} s")
    print(f"{n} monthly statements, declarer_releve + confirmer_releve (services): {releves['services']:.2f} s")


if __name__ == "__main__":
    main()
