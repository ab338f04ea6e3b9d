"""Lifecycle: brouillon → envoyée → signée → active → terminée | résiliée, one service per transition,
history on every step, signatures voided when a term changes."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from tests.factories import MembreRelaisFactory, UserFactory
from tests.tiers_payant.conftest import envoyer, preparer, signer, signer_tous, termes
from tiers_payant import selectors, services
from tiers_payant.models import TRANSITIONS, DocumentConvention, Partie, Statut

pytestmark = pytest.mark.django_db


def _historique(convention):
    return list(convention.historique.order_by("at", "pk").values_list("de", "vers"))


def test_preparer_donne_une_reference_et_l_estimation_du_cmg(acteurs):
    convention = preparer(acteurs)

    assert re.fullmatch(r"TP-\d{4}-\d{6}", convention.reference)
    assert convention.statut == Statut.BROUILLON
    assert convention.duree_mois == 18
    # The CAF's published example: 125 h at 4.85 € with 3 000 € a month → 374.13 €.
    assert convention.cmg_estime == Decimal("374.13")
    assert convention.reste_estime == Decimal("232.12")
    assert convention.calcul_cmg["reforme"]["taux_effort_pourcent"] == "0.0619"
    assert _historique(convention) == [("", Statut.BROUILLON)]


def test_la_date_de_fin_est_derivee_de_la_duree(acteurs):
    convention = preparer(acteurs, date_debut=timezone.localdate().replace(month=3, day=1), duree_mois=18)

    assert convention.date_fin == convention.date_debut.replace(year=convention.date_debut.year + 1, month=8, day=31)


def test_les_references_se_suivent_sans_trou(acteurs):
    premiere, seconde = preparer(acteurs), preparer(acteurs)

    assert int(seconde.reference[-6:]) == int(premiere.reference[-6:]) + 1


def test_un_parent_ou_une_assmat_ne_prepare_pas_de_convention(acteurs):
    for user in (acteurs.parent, acteurs.assmat.user):
        with pytest.raises(PermissionDenied):
            services.preparer_convention(par=user, termes=termes(acteurs))


def test_une_animatrice_ne_prepare_pas_pour_un_autre_relais(acteurs):
    autre = MembreRelaisFactory(relais=acteurs.autre_relais).user

    with pytest.raises(PermissionDenied):
        services.preparer_convention(par=autre, termes=termes(acteurs))


def test_parcours_complet_chaque_partie_signe_avec_son_compte(acteurs):
    convention = envoyer(acteurs)
    a_signer = selectors.document_a_signer(convention)
    assert convention.statut == Statut.ENVOYEE
    assert convention.numero_agrement == acteurs.assmat.agrement.numero
    assert a_signer.sha256
    assert bytes(DocumentConvention.objects.get(pk=a_signer.pk).contenu).startswith(b"%PDF")

    signer(convention, acteurs.parent)
    convention.refresh_from_db()
    assert convention.statut == Statut.ENVOYEE  # still waiting for the CAF and the childminder

    signer(convention, acteurs.assmat.user)
    signer(convention, acteurs.agent)
    convention.refresh_from_db()

    assert convention.statut == Statut.SIGNEE
    signatures = selectors.signatures_en_vigueur(convention)
    assert set(signatures) == {Partie.CAF, Partie.PARENT, Partie.ASSMAT}
    assert {s.user for s in signatures.values()} == {acteurs.agent, acteurs.parent, acteurs.assmat.user}
    assert all(s.document_sha256 == a_signer.sha256 for s in signatures.values())
    assert convention.signee_le == signatures[Partie.CAF].signed_at
    assert selectors.document_signe(convention) is not None
    assert _historique(convention)[-1] == (Statut.ENVOYEE, Statut.SIGNEE)


def test_avec_un_second_parent_sa_signature_est_attendue_aussi(acteurs):
    convention = envoyer(acteurs, parent2=acteurs.parent2)

    signer_tous(acteurs, convention)
    assert convention.statut == Statut.ENVOYEE

    signer(convention, acteurs.parent2)
    convention.refresh_from_db()
    assert convention.statut == Statut.SIGNEE
    assert Partie.PARENT2 in selectors.signatures_en_vigueur(convention)


def test_on_ne_signe_pas_deux_fois_ni_pour_une_autre_partie(acteurs):
    convention = envoyer(acteurs)
    signer(convention, acteurs.parent)

    with pytest.raises(services.TransitionInterdite, match="déjà signé"):
        signer(convention, acteurs.parent)
    with pytest.raises(Http404):  # another family does not even see the convention
        signer(convention, UserFactory())
    with pytest.raises(PermissionDenied):  # the animator sees it but is no party
        signer(convention, acteurs.animatrice)


def test_signer_un_document_dont_l_empreinte_a_change_est_refuse(acteurs):
    convention = envoyer(acteurs)

    with pytest.raises(services.TransitionInterdite, match="Le document a changé"):
        services.signer_convention(convention_id=convention.pk, par=acteurs.parent, empreinte="0" * 64)
    assert not convention.signatures.exists()


def test_un_brouillon_ne_se_signe_pas(acteurs):
    convention = preparer(acteurs)

    with pytest.raises(services.TransitionInterdite, match="Brouillon"):
        services.signer_convention(convention_id=convention.pk, par=acteurs.parent, empreinte="0" * 64)


def test_modifier_un_terme_apres_une_signature_annule_les_signatures(acteurs):
    convention = envoyer(acteurs)
    signer(convention, acteurs.parent)
    signer(convention, acteurs.assmat.user)

    services.modifier_convention(
        convention_id=convention.pk, par=acteurs.agent, termes=termes(acteurs, heures_mensuelles=Decimal(130))
    )
    convention.refresh_from_db()

    assert convention.statut == Statut.BROUILLON
    assert convention.heures_mensuelles == Decimal(130)
    assert selectors.signatures_en_vigueur(convention) == {}
    assert convention.signatures.filter(annulee_le__isnull=False).count() == 2  # kept for the record
    derniere = convention.historique.order_by("-at", "-pk").first()
    assert (derniere.de, derniere.vers) == (Statut.ENVOYEE, Statut.BROUILLON)
    assert "2 signatures annulées" in derniere.note
    assert "heures d'accueil par mois" in derniere.note
    # The estimate follows the new terms: 630.50 € × (1 − 3 000 × 0.0619 % ÷ 4.85) = 389.09 €.
    assert convention.cmg_estime == Decimal("389.09")


def test_modifier_une_convention_signee_la_ramene_au_brouillon_sans_pdf_signe(acteurs):
    convention = signer_tous(acteurs, envoyer(acteurs))
    assert convention.statut == Statut.SIGNEE

    services.modifier_convention(
        convention_id=convention.pk, par=acteurs.animatrice, termes=termes(acteurs, salaire_horaire=Decimal("5.00"))
    )
    convention.refresh_from_db()

    assert convention.statut == Statut.BROUILLON
    assert convention.signee_le is None
    assert selectors.document_signe(convention) is None
    # Sent again, it is signed again by everyone, on a new document.
    services.envoyer_pour_signature(convention_id=convention.pk, par=acteurs.animatrice)
    assert signer_tous(acteurs, convention).statut == Statut.SIGNEE


def test_enregistrer_les_memes_termes_ne_change_rien(acteurs):
    convention = envoyer(acteurs)
    signer(convention, acteurs.parent)

    services.modifier_convention(convention_id=convention.pk, par=acteurs.animatrice, termes=termes(acteurs))
    convention.refresh_from_db()

    assert convention.statut == Statut.ENVOYEE
    assert Partie.PARENT in selectors.signatures_en_vigueur(convention)


def test_une_convention_active_ne_se_modifie_plus(acteurs):
    convention = signer_tous(acteurs, envoyer(acteurs))
    services.activer_convention(convention_id=convention.pk, par=acteurs.agent)

    with pytest.raises(services.TransitionInterdite, match="Active"):
        services.modifier_convention(
            convention_id=convention.pk, par=acteurs.agent, termes=termes(acteurs, heures_mensuelles=Decimal(1))
        )


def test_seul_l_agent_de_la_caf_active_une_convention_signee(acteurs):
    convention = signer_tous(acteurs, envoyer(acteurs))

    with pytest.raises(PermissionDenied):
        services.activer_convention(convention_id=convention.pk, par=acteurs.animatrice)
    services.activer_convention(convention_id=convention.pk, par=acteurs.agent)
    convention.refresh_from_db()

    assert convention.statut == Statut.ACTIVE
    assert _historique(convention)[-1] == (Statut.SIGNEE, Statut.ACTIVE)


def test_une_convention_envoyee_ne_s_active_pas(acteurs):
    convention = envoyer(acteurs)

    with pytest.raises(services.TransitionInterdite, match="Envoyée pour signature"):
        services.activer_convention(convention_id=convention.pk, par=acteurs.agent)


def test_la_date_de_debut_atteinte_active_et_le_terme_depasse_termine(acteurs):
    debut = timezone.localdate() + timedelta(days=40)
    convention = signer_tous(acteurs, envoyer(acteurs, date_debut=debut, duree_mois=1))

    assert services.mettre_a_jour_statuts(au=timezone.localdate()) == (0, 0)
    assert services.mettre_a_jour_statuts(au=debut) == (1, 0)
    convention.refresh_from_db()
    assert convention.statut == Statut.ACTIVE
    assert convention.historique.order_by("-pk").first().auteur is None

    lendemain_du_terme = convention.date_fin + timedelta(days=1)
    assert services.mettre_a_jour_statuts(au=lendemain_du_terme) == (0, 1)
    assert services.mettre_a_jour_statuts(au=lendemain_du_terme) == (0, 0)  # idempotent
    convention.refresh_from_db()
    assert convention.statut == Statut.TERMINEE
    assert convention.date_fin_effective == convention.date_fin


def test_terminer_une_convention_active(acteurs):
    convention = signer_tous(acteurs, envoyer(acteurs))
    services.activer_convention(convention_id=convention.pk, par=acteurs.agent)

    with time_machine.travel(timezone.now() + timedelta(days=3)):
        services.terminer_convention(convention_id=convention.pk, par=acteurs.animatrice, note="Fin de l'accueil")
    convention.refresh_from_db()

    assert convention.statut == Statut.TERMINEE
    assert convention.date_fin_effective is not None
    with pytest.raises(services.TransitionInterdite):
        services.resilier_convention(convention_id=convention.pk, par=acteurs.agent, motif="trop tard")


def test_resilier_demande_un_motif_et_l_enregistre(acteurs):
    convention = envoyer(acteurs)

    with pytest.raises(services.TransitionInterdite, match="motif"):
        services.resilier_convention(convention_id=convention.pk, par=acteurs.agent, motif="  ")
    services.resilier_convention(convention_id=convention.pk, par=acteurs.agent, motif="La famille déménage.")
    convention.refresh_from_db()

    assert convention.statut == Statut.RESILIEE
    assert convention.motif_fin == "La famille déménage."
    assert _historique(convention)[-1] == (Statut.ENVOYEE, Statut.RESILIEE)
    with pytest.raises(services.TransitionInterdite):
        signer(convention, acteurs.parent)


def test_un_brouillon_ne_se_termine_pas(acteurs):
    convention = preparer(acteurs)

    with pytest.raises(services.TransitionInterdite):
        services.terminer_convention(convention_id=convention.pk, par=acteurs.agent)


def test_la_tache_et_la_commande_du_jour_activent_les_conventions_signees(acteurs):
    from django.core.management import call_command

    from tiers_payant.tasks import mettre_a_jour_statuts_des_conventions

    premiere = signer_tous(acteurs, envoyer(acteurs))
    seconde = signer_tous(acteurs, envoyer(acteurs, enfant_prenom="Noé"))
    services.activer_convention(convention_id=seconde.pk, par=acteurs.agent)
    seconde.refresh_from_db()

    assert mettre_a_jour_statuts_des_conventions() == (1, 0)
    call_command("conventions_du_jour", "--au", (seconde.date_fin + timedelta(days=1)).isoformat())
    premiere.refresh_from_db()
    seconde.refresh_from_db()
    assert (premiere.statut, seconde.statut) == (Statut.TERMINEE, Statut.TERMINEE)


# --- The declared table of transitions (tiers_payant.models.TRANSITIONS) ----------------------------------------

# How each service of the table is called by the CAF agent, who manages, activates and signs for the CAF.
APPELS = {
    "modifier_convention": lambda c, a: services.modifier_convention(
        convention_id=c.pk, par=a.agent, termes=termes(a, heures_mensuelles=Decimal(1))
    ),
    "envoyer_pour_signature": lambda c, a: services.envoyer_pour_signature(convention_id=c.pk, par=a.agent),
    "signer_convention": lambda c, a: services.signer_convention(
        convention_id=c.pk, par=a.agent, empreinte=getattr(selectors.document_a_signer(c), "sha256", "0" * 64)
    ),
    "activer_convention": lambda c, a: services.activer_convention(convention_id=c.pk, par=a.agent),
    "terminer_convention": lambda c, a: services.terminer_convention(convention_id=c.pk, par=a.agent),
    "resilier_convention": lambda c, a: services.resilier_convention(
        convention_id=c.pk, par=a.agent, motif="La famille déménage."
    ),
}


def _au_statut(acteurs, statut):
    if statut == Statut.BROUILLON:
        return preparer(acteurs)
    if statut == Statut.ENVOYEE:
        return envoyer(acteurs)
    if statut == Statut.RESILIEE:
        convention = preparer(acteurs)
        services.resilier_convention(convention_id=convention.pk, par=acteurs.agent, motif="Erreur de saisie.")
        return convention
    convention = signer_tous(acteurs, envoyer(acteurs))
    if statut in (Statut.ACTIVE, Statut.TERMINEE):
        services.activer_convention(convention_id=convention.pk, par=acteurs.agent)
    if statut == Statut.TERMINEE:
        services.terminer_convention(convention_id=convention.pk, par=acteurs.agent)
    return convention


def test_chaque_service_de_la_table_a_son_appel_dans_ce_test():
    assert set(TRANSITIONS.values()) == set(APPELS)


@pytest.mark.parametrize("statut", Statut.values)
def test_un_service_hors_de_la_table_est_refuse_et_l_agent_se_voit_proposer_ceux_de_la_table(acteurs, statut):
    convention = _au_statut(acteurs, statut)
    convention.refresh_from_db()
    assert convention.statut == statut
    declares = {nom for (de, _vers), nom in TRANSITIONS.items() if de == statut}

    assert selectors.actions_possibles(convention, acteurs.agent) == declares
    for nom in sorted(set(APPELS) - declares):
        with pytest.raises(services.TransitionInterdite, match=f"« {convention.get_statut_display()} »"):
            APPELS[nom](convention, acteurs)
        convention.refresh_from_db()
        assert convention.statut == statut


@pytest.mark.parametrize(("de", "vers"), sorted(TRANSITIONS))
def test_chaque_transition_de_la_table_se_fait_par_son_service_et_s_inscrit_a_l_historique(acteurs, de, vers):
    convention = _au_statut(acteurs, de)
    if (de, vers) == (Statut.ENVOYEE, Statut.SIGNEE):
        for user in (acteurs.parent, acteurs.assmat.user):  # the CAF's signature, last, completes it
            signer(convention, user)

    APPELS[TRANSITIONS[(de, vers)]](convention, acteurs)
    convention.refresh_from_db()

    assert convention.statut == vers
    assert _historique(convention)[-1] == (de, vers)
