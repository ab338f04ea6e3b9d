"""A solution says where it comes from: the proposal the family took up, or why none."""

import re

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone

from demandes import services
from demandes.models import Demande, Mode, Proposition, Statut
from tests.assmats.factories import assmat_complete
from tests.demandes.factories import DemandeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demande(relais, animatrice):
    return DemandeFactory(relais=relais, prise_par=animatrice, statut=Statut.PROPOSITIONS_FAITES)


def _proposition(demande, description, **kwargs):
    return Proposition.objects.create(
        demande=demande, mode=Mode.CRECHE, description=description, auteur=demande.prise_par, **kwargs
    )


def test_le_formulaire_propose_par_defaut_la_proposition_acceptee_par_l_assistante_maternelle(
    client, demande, animatrice
):
    _proposition(demande, "Crèche Les Lutins")
    acceptee = Proposition.objects.create(
        demande=demande,
        mode=Mode.ASSMAT,
        description="Mme Roux, Saint-Clément",
        assistant_maternel=assmat_complete(commune=demande.relais.commune_siege),
        reponse_assmat=Proposition.Reponse.ACCEPTE,
        repondu_le=timezone.now(),
        auteur=animatrice,
    )
    client.force_login(animatrice)

    contenu = client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()

    assert re.search(rf'<option value="{acceptee.pk}" selected>[^<]*Mme Roux', contenu)


def test_la_solution_retenue_est_liee_a_sa_proposition_et_la_page_le_dit(client, demande, animatrice):
    proposition = _proposition(demande, "Crèche Les Lutins, place en mars")
    client.force_login(animatrice)

    client.post(reverse("demandes:solution", args=[demande.pk]), {"solution-proposition_id": proposition.pk})

    demande.refresh_from_db()
    assert demande.statut == Statut.SOLUTION_TROUVEE
    assert demande.proposition_retenue == proposition
    assert (demande.solution_mode, demande.solution_description) == (Mode.CRECHE, "Crèche Les Lutins, place en mars")
    client.force_login(demande.parent)
    contenu = client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()
    # The page writes the date in Paris time: between 23:00 and midnight UTC it is already the next day there.
    assert f"Proposition du {timezone.localtime(proposition.created_at):%d/%m/%Y} retenue" in contenu


def test_une_solution_hors_des_propositions_dit_pourquoi(client, demande, animatrice):
    _proposition(demande, "Crèche Les Lutins")
    client.force_login(animatrice)

    client.post(
        reverse("demandes:solution", args=[demande.pk]),
        {
            "solution-hors_proposition": "famille",
            "solution-mode": Mode.ASSMAT,
            "solution-description": "Une voisine agréée",
        },
    )

    demande.refresh_from_db()
    assert (demande.proposition_retenue, demande.solution_hors_proposition) == (None, "famille")
    contenu = client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()
    assert "Hors des propositions du relais : trouvée par la famille elle-même" in contenu


def test_une_solution_sans_origine_revient_avec_l_erreur_a_cote_du_champ(client, demande, animatrice):
    client.force_login(animatrice)

    reponse = client.post(
        reverse("demandes:solution", args=[demande.pk]),
        {"solution-mode": Mode.ASSMAT, "solution-description": "Une voisine agréée"},
    )

    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert re.search(r'id="error_\d+_id_solution-hors_proposition"[^>]*>\s*<strong>Aucune proposition', contenu)
    assert "Une voisine agréée" in contenu
    demande.refresh_from_db()
    assert demande.statut == Statut.PROPOSITIONS_FAITES


def test_la_proposition_d_une_autre_demande_n_est_pas_retenue(demande, animatrice, relais):
    autre = _proposition(DemandeFactory(relais=relais, propositions_faites=True), "Crèche d'ailleurs")

    with pytest.raises(services.TransitionInterdite, match="pas été faite pour cette demande"):
        services.enregistrer_solution(demande_id=demande.pk, par=animatrice, proposition_id=autre.pk)

    demande.refresh_from_db()
    assert (demande.statut, demande.proposition_retenue) == (Statut.PROPOSITIONS_FAITES, None)


def test_la_base_refuse_une_solution_liee_a_la_proposition_d_une_autre_demande(demande, relais):
    autre = _proposition(DemandeFactory(relais=relais, propositions_faites=True), "Crèche d'ailleurs")

    with connection.cursor() as cursor:  # checked now, not at the commit the test never reaches
        cursor.execute("SET CONSTRAINTS demande_proposition_retenue_de_la_demande IMMEDIATE")

    with pytest.raises(IntegrityError):
        Demande.objects.filter(pk=demande.pk).update(statut=Statut.SOLUTION_TROUVEE, proposition_retenue=autre)
