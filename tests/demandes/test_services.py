import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.utils import timezone

from courriels.models import Email
from demandes import services
from demandes.models import BrouillonDemande, Demande, Statut, sujet_des_emails
from tests.demandes.conftest import donnees_valides
from tests.demandes.factories import DemandeFactory
from tests.factories import CommuneFactory, MembreRelaisFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_deposer_une_demande_lui_donne_une_reference_un_historique_et_un_e_mail(parent, relais):
    BrouillonDemande.objects.create(parent=parent, donnees={"famille": {}})

    demande = services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege))

    assert demande.reference == f"RPE-{timezone.localdate().year}-000001"
    assert demande.relais == relais
    assert demande.statut == Statut.NOUVELLE
    assert list(demande.historique.values_list("de", "vers")) == [("", Statut.NOUVELLE)]
    assert Email.objects.get().destinataire == parent.email
    assert demande.reference in Email.objects.get().sujet
    assert not BrouillonDemande.objects.exists()


def test_les_references_se_suivent_sans_trou_et_repartent_a_1_chaque_annee(relais):
    with time_machine.travel("2026-12-31 12:00 +01:00"):
        premieres = [
            services.deposer(parent=UserFactory(), donnees=donnees_valides(relais.commune_siege)).reference
            for _ in range(2)
        ]
    with time_machine.travel("2027-01-02 12:00 +01:00"):
        suivante = services.deposer(parent=UserFactory(), donnees=donnees_valides(relais.commune_siege)).reference

    assert premieres == ["RPE-2026-000001", "RPE-2026-000002"]
    assert suivante == "RPE-2027-000001"


def test_un_formulaire_rejoue_avec_le_meme_jeton_ne_cree_qu_une_demande(parent, relais):
    jeton = uuid.uuid4()

    premiere = services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege), jeton=jeton)
    seconde = services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege), jeton=jeton)

    assert premiere.pk == seconde.pk
    assert Demande.objects.count() == 1
    assert Email.objects.count() == 1


@pytest.mark.parametrize("prenom", ["Léa", "lea", "  LÉA ", "Lea"])
def test_une_seconde_demande_pour_le_meme_enfant_renvoie_vers_la_premiere(parent, relais, prenom):
    premiere = services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege))

    with pytest.raises(services.DemandeEnDouble) as erreur:
        services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege, enfant_prenom=prenom))

    assert erreur.value.demande_id == premiere.pk
    assert Demande.objects.count() == 1


def test_apres_un_retrait_la_famille_peut_deposer_a_nouveau_pour_le_meme_enfant(parent, relais):
    premiere = services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege))
    services.retirer(demande_id=premiere.pk, par=parent, motif="Erreur de saisie")

    seconde = services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege))

    assert seconde.pk != premiere.pk


def test_une_commune_hors_de_tout_relais_est_refusee_et_rien_n_est_enregistre(parent):
    commune = CommuneFactory(nom="Sète")

    with pytest.raises(services.CommuneHorsTerritoire, match="Sète n'est desservie par aucun relais"):
        services.deposer(parent=parent, donnees=donnees_valides(commune))

    assert not Demande.objects.exists()
    assert not Email.objects.exists()


def test_le_second_responsable_est_invite_par_e_mail(parent, relais):
    services.deposer(
        parent=parent, donnees=donnees_valides(relais.commune_siege, second_responsable_email="Papa@Exemple.fr")
    )

    assert sorted(Email.objects.values_list("destinataire", flat=True)) == sorted([parent.email, "papa@exemple.fr"])


def test_une_demande_deja_prise_dit_qui_l_a_prise(animatrice):
    demande = DemandeFactory(relais=animatrice.relais_membre.get().relais)
    services.prendre_en_charge(demande_id=demande.pk, par=animatrice)
    collegue = MembreRelaisFactory(relais=demande.relais).user

    with pytest.raises(services.TransitionInterdite, match="déjà été prise en charge par Camille Martin"):
        services.prendre_en_charge(demande_id=demande.pk, par=collegue)


def test_un_parent_ne_peut_pas_prendre_sa_propre_demande_en_charge():
    demande = DemandeFactory()

    with pytest.raises(PermissionDenied):
        services.prendre_en_charge(demande_id=demande.pk, par=demande.parent)


def test_une_animatrice_d_un_autre_relais_ne_trouve_pas_la_demande():
    demande = DemandeFactory()

    with pytest.raises(Http404):
        services.prendre_en_charge(demande_id=demande.pk, par=MembreRelaisFactory().user)


def test_l_animatrice_ne_retire_pas_la_demande_a_la_place_de_la_famille():
    demande = DemandeFactory(prise=True)

    with pytest.raises(PermissionDenied):
        services.retirer(demande_id=demande.pk, par=demande.prise_par, motif="?")


def test_le_rendez_vous_part_par_e_mail_avec_un_fichier_ics():
    demande = DemandeFactory(prise=True)

    services.proposer_rendez_vous(
        demande_id=demande.pk,
        par=demande.prise_par,
        debut=timezone.now() + timedelta(days=2),
        modalite="telephone",
    )

    email = Email.objects.get(sujet_de=sujet_des_emails(demande.pk))
    assert email.destinataire == demande.parent.email
    assert email.piece_jointe_nom == "rendez-vous.ics"
    assert email.piece_jointe.startswith("BEGIN:VCALENDAR\r\n")
    assert "BEGIN:VEVENT" in email.piece_jointe


def test_la_base_refuse_une_demande_en_cours_sans_animatrice():
    demande = DemandeFactory()

    with pytest.raises(IntegrityError):
        Demande.objects.filter(pk=demande.pk).update(statut=Statut.RDV_PROPOSE)


def test_la_base_refuse_deux_demandes_ouvertes_pour_le_meme_enfant():
    demande = DemandeFactory()

    with pytest.raises(IntegrityError):
        DemandeFactory(
            parent=demande.parent,
            relais=demande.relais,
            enfant_prenom=demande.enfant_prenom,
            enfant_date=demande.enfant_date,
        )


def test_la_cloture_automatique_attend_le_delai_du_relais():
    with time_machine.travel(timezone.now() - timedelta(days=61)):
        ancienne = DemandeFactory(rdv_propose=True)
    with time_machine.travel(timezone.now() - timedelta(days=59)):
        recente = DemandeFactory(propositions_faites=True)
    nouvelle = DemandeFactory()

    assert services.cloturer_demandes_sans_reponse() == 1

    statuts = dict(Demande.objects.values_list("pk", "statut"))
    assert statuts == {ancienne.pk: Statut.CLOTUREE, recente.pk: Statut.PROPOSITIONS_FAITES, nouvelle.pk: "nouvelle"}
    assert services.cloturer_demandes_sans_reponse() == 0


def test_le_delai_de_cloture_se_regle_par_relais():
    with time_machine.travel(timezone.now() - timedelta(days=20)):
        demande = DemandeFactory(rdv_propose=True)
    demande.relais.parametres_classement.delai_sans_reponse_jours = 14
    demande.relais.parametres_classement.save()

    assert services.cloturer_demandes_sans_reponse() == 1


def test_le_second_responsable_invite_accede_a_la_demande_une_fois_connecte_avec_son_adresse(parent, relais):
    demande = services.deposer(
        parent=parent, donnees=donnees_valides(relais.commune_siege, second_responsable_email="papa@exemple.fr")
    )
    jeton = services.jeton_invitation(demande)

    with pytest.raises(PermissionDenied):
        services.accepter_invitation(jeton=jeton, par=UserFactory(email="intrus@exemple.fr"))
    papa = UserFactory(email="papa@exemple.fr")
    services.accepter_invitation(jeton=jeton, par=papa)

    demande.refresh_from_db()
    assert demande.second_responsable == papa
    services.retirer(demande_id=demande.pk, par=papa, motif="Garde alternée organisée autrement")
