"""A France Travail adviser refers a job seeker who needs childcare to the relais of her commune, with her consent,
and follows only where her request stands."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comptes.models import User
from courriels.models import Email
from demandes import services as demandes
from demandes.models import Demande, Source, Statut
from orientations.models import Orientation
from tests.demandes.factories import DemandeFactory
from tests.factories import MembreRelaisFactory, RelaisFactory
from tests.orientations.factories import MembrePartenaireFactory, orientation_de

pytestmark = pytest.mark.django_db


@pytest.fixture
def relais():
    return RelaisFactory(nom="RPE Montpellier Nord")


@pytest.fixture
def conseillere(relais):
    return MembrePartenaireFactory(partenaire__nom="France Travail Montpellier", partenaire__relais=[relais])


def _formulaire(commune, **changements):
    aujourd_hui = timezone.localdate()
    donnees = {
        "prenom": "Samia",
        "nom": "Benali",
        "email": "samia.benali@exemple.fr",
        "telephone": "06 12 34 56 78",
        "commune": commune.pk,
        "code_postal": commune.codes_postaux[0],
        "enfant_prenom": "Nour",
        "enfant_date": (aujourd_hui - timedelta(days=400)).isoformat(),
        "date_debut_souhaitee": (aujourd_hui + timedelta(days=3)).isoformat(),
        "urgence": "on",
        "urgence_motif": "entretien",
        "motifs": ["recherche_emploi", "parent_isole"],
        "consentement": "on",
        "consentement_le": aujourd_hui.isoformat(),
    }
    return {cle: valeur for cle, valeur in (donnees | changements).items() if valeur is not None}


def test_la_conseillere_oriente_une_famille_qui_devient_une_demande_urgente_du_relais(client, relais, conseillere):
    client.force_login(conseillere.user)

    reponse = client.post(reverse("orientations:orienter"), _formulaire(relais.commune_siege))

    orientation = Orientation.objects.get()
    assert reponse.url == reverse("orientations:detail", args=[orientation.pk])
    demande = orientation.demande
    assert (demande.relais, demande.source, demande.saisie_par) == (relais, Source.ORIENTATION, conseillere.user)
    assert (demande.statut, demande.urgence, demande.urgence_motif) == (Statut.NOUVELLE, True, "entretien")
    assert (demande.situation_parent1, demande.parent_isole) == ("recherche_emploi", True)
    assert demande.parent.email == "samia.benali@exemple.fr"
    assert not demande.parent.has_usable_password()
    assert orientation.consentement_le == timezone.localdate()


def test_l_animatrice_voit_l_orientation_dans_ses_orientations_recues_et_dans_sa_file(client, relais, conseillere):
    orientation = orientation_de(conseillere)
    client.force_login(MembreRelaisFactory(relais=relais).user)

    recues = client.get(reverse("orientations:recues")).content.decode()
    file = client.get(reverse("demandes:file")).content.decode()
    detail = client.get(reverse("demandes:detail", args=[orientation.demande_id])).content.decode()

    assert "France Travail Montpellier" in recues
    assert orientation.demande.reference in recues
    assert orientation.demande.reference in file
    assert "Orientée par un partenaire" in file
    assert "Famille orientée par France Travail Montpellier" in detail


def test_le_partenaire_suit_le_statut_que_le_relais_fait_avancer(client, relais, conseillere):
    orientation = orientation_de(conseillere)
    client.force_login(conseillere.user)
    assert "Reçue" in client.get(reverse("orientations:mes_orientations")).content.decode()

    demandes.prendre_en_charge(demande_id=orientation.demande_id, par=MembreRelaisFactory(relais=relais).user)

    liste = client.get(reverse("orientations:mes_orientations")).content.decode()
    page = client.get(reverse("orientations:detail", args=[orientation.pk])).content.decode()
    assert "Prise en charge" in liste
    assert "Reçue le" in page
    assert "Prise en charge le" in page


def test_sans_l_accord_de_la_famille_l_orientation_est_refusee_et_rien_n_est_cree(client, relais, conseillere):
    client.force_login(conseillere.user)
    comptes_avant = User.objects.count()

    reponse = client.post(reverse("orientations:orienter"), _formulaire(relais.commune_siege, consentement=None))

    assert reponse.status_code == 200
    assert "Sans l&#x27;accord de la famille pour être contactée par le relais" in reponse.content.decode()
    assert not Orientation.objects.exists()
    assert not Demande.objects.exists()
    assert not Email.objects.exists()
    assert User.objects.count() == comptes_avant


def test_le_service_refuse_une_orientation_sans_accord(relais, conseillere):
    from orientations.services import ConsentementManquant

    with pytest.raises(ConsentementManquant, match="sans l'accord de la famille"):
        orientation_de(conseillere, consentement=False)

    assert not Demande.objects.exists()


def test_une_commune_d_un_relais_auquel_l_organisme_n_oriente_pas_est_refusee(client, relais, conseillere):
    ailleurs = RelaisFactory(nom="RPE Lodève")
    client.force_login(conseillere.user)

    reponse = client.post(reverse("orientations:orienter"), _formulaire(ailleurs.commune_siege))

    assert reponse.status_code == 200
    assert not Demande.objects.exists()


def test_la_famille_recoit_un_courriel_pour_completer_sa_demande(relais, conseillere):
    orientation = orientation_de(conseillere)

    courriel = Email.objects.get(destinataire="samia.benali@exemple.fr")
    assert "France Travail Montpellier vous oriente vers le RPE Montpellier Nord" in courriel.sujet
    assert reverse("demandes:detail", args=[orientation.demande_id]) in courriel.corps
    assert "choisissez votre mot de passe" in courriel.corps
    assert "le relais vous répond sous 24 heures" in courriel.corps


def test_un_autre_organisme_partenaire_ne_voit_pas_l_orientation(client, relais, conseillere):
    orientation = orientation_de(conseillere)
    autre = MembrePartenaireFactory(partenaire__nom="CCAS de Lattes", partenaire__relais=[relais])
    client.force_login(autre.user)

    assert client.get(reverse("orientations:detail", args=[orientation.pk])).status_code == 404
    assert "Benali" not in client.get(reverse("orientations:mes_orientations")).content.decode()


def test_la_page_du_partenaire_ne_montre_ni_les_notes_ni_les_demandes_des_autres(client, relais, conseillere):
    orientation = orientation_de(conseillere)
    # A name no page text contains: a random « Petit » was found in the footer's « Relais Petite Enfance ».
    animatrice = MembreRelaisFactory(relais=relais, user__last_name="Quintanilla").user
    demandes.prendre_en_charge(demande_id=orientation.demande_id, par=animatrice)
    demandes.ajouter_note_privee(demande_id=orientation.demande_id, par=animatrice, texte="Dette de loyer évoquée")
    autre = DemandeFactory(relais=relais, enfant_prenom="Zélie")
    client.force_login(conseillere.user)

    pages = [
        client.get(reverse("orientations:detail", args=[orientation.pk])).content.decode(),
        client.get(reverse("orientations:mes_orientations")).content.decode(),
    ]

    for page in pages:
        assert "Dette de loyer" not in page
        assert animatrice.last_name not in page
        assert autre.reference not in page
        assert "Zélie" not in page
    assert client.get(reverse("demandes:detail", args=[orientation.demande_id])).status_code == 403


def test_le_message_de_bienvenue_de_la_conseillere_nomme_son_organisme():
    from comptes.emails import envoyer_bienvenue
    from comptes.models import Role
    from comptes.services import creer_compte_personnel
    from orientations.models import MembrePartenaire
    from tests.orientations.factories import PartenaireFactory

    claire = creer_compte_personnel(email="claire@francetravail.fr", role=Role.PARTENAIRE)
    MembrePartenaire.objects.create(user=claire, partenaire=PartenaireFactory(nom="France Travail Lunel"))

    assert envoyer_bienvenue(user_id=claire.pk)
    assert "Pour : France Travail Lunel" in Email.objects.get(destinataire="claire@francetravail.fr").corps


def test_la_consultation_d_une_orientation_par_le_partenaire_est_journalisee(client, relais, conseillere):
    from audit.models import AuditLog

    orientation = orientation_de(conseillere)
    client.force_login(conseillere.user)

    client.get(reverse("orientations:detail", args=[orientation.pk]))

    entree = AuditLog.objects.get(action="read", user=conseillere.user)
    assert (entree.object_id, entree.relais_id) == (str(orientation.demande_id), relais.pk)


def test_l_orientation_urgente_passe_en_tete_de_la_file_avec_son_delai_de_24_h(client, relais, conseillere):
    plus_ancienne = DemandeFactory(relais=relais, date_depot=timezone.now() - timedelta(days=30))
    orientation = orientation_de(conseillere)
    client.force_login(MembreRelaisFactory(relais=relais).user)

    file = client.get(reverse("demandes:file")).content.decode()

    assert file.index(orientation.demande.reference) < file.index(plus_ancienne.reference)
    assert "Urgente – reste" in file


def test_un_compte_partenaire_sans_organisme_ne_peut_orienter_personne(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(partenaire=True))

    reponse = client.get(reverse("orientations:orienter"), follow=True)

    assert reponse.redirect_chain == [(reverse("orientations:mes_orientations"), 302)]
    assert "rattaché à aucun organisme partenaire" in reponse.content.decode()
