"""A family calls or comes to the desk: the animatrice types its request, with the online form's rules."""

import pytest
from django.urls import reverse
from django.utils import timezone

from comptes.models import Role, User
from courriels.models import Email
from demandes.models import Demande, HistoriqueDemande, Source, sujet_des_emails
from indicateurs.calculs import premieres_actions
from tests.demandes.factories import DemandeFactory
from tests.demandes.test_formulaire import etapes_valides
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _saisie(commune, email="nadia.benali@exemple.fr", source="telephone", **changements):
    donnees = {
        "qui-source": source,
        "qui-prenom": "Nadia",
        "qui-nom": "Benali",
        "qui-email": email,
        "qui-information": "on",
    }
    for etape, champs in etapes_valides(commune).items():
        donnees |= {f"{etape}-{nom}": valeur for nom, valeur in champs.items()}
    return donnees | changements


def test_l_animatrice_saisit_la_demande_d_une_famille_sans_compte_recue_par_telephone(client, relais, animatrice):
    client.force_login(animatrice)

    reponse = client.post(reverse("demandes:saisir"), _saisie(relais.commune_siege))

    demande = Demande.objects.get()
    assert reponse.url == reverse("demandes:detail", args=[demande.pk])
    assert (demande.source, demande.saisie_par, demande.relais) == (Source.TELEPHONE, animatrice, relais)
    assert demande.enfant_prenom == "Léa"
    assert demande.modes == ["assmat", "creche"]
    famille = demande.parent
    assert (famille.email, famille.role, famille.get_full_name()) == (
        "nadia.benali@exemple.fr",
        Role.PARENT,
        "Nadia Benali",
    )
    assert not famille.has_usable_password()  # the family claims it through « mot de passe oublié »
    assert Email.objects.filter(sujet_de=sujet_des_emails(demande.pk), destinataire="nadia.benali@exemple.fr").exists()
    assert "Demande reçue par téléphone, saisie par le relais" in demande.historique.get().note
    assert demande.prise_par is None  # still new: typing it is not taking it in charge


def test_une_famille_qui_a_deja_un_compte_retrouve_la_demande_dans_son_espace(client, relais, animatrice):
    parent = UserFactory(email="nadia.benali@exemple.fr")
    client.force_login(animatrice)

    client.post(reverse("demandes:saisir"), _saisie(relais.commune_siege, source="accueil"))

    assert Demande.objects.get().parent == parent
    client.force_login(parent)
    assert Demande.objects.get().reference in client.get(reverse("demandes:mes_demandes")).content.decode()


def test_la_saisie_suit_les_regles_du_formulaire_en_ligne_et_garde_ce_qui_a_ete_tape(client, relais, animatrice):
    client.force_login(animatrice)

    reponse = client.post(
        reverse("demandes:saisir"), _saisie(relais.commune_siege, **{"enfant-enfant_date": "", "qui-information": ""})
    )

    assert reponse.status_code == 200
    assert reponse.context["formulaires"]["enfant"].errors["enfant_date"]
    assert reponse.context["formulaires"]["qui"].errors["information"]
    assert 'value="Benali"' in reponse.content.decode()
    assert not Demande.objects.exists()
    assert not User.objects.filter(email="nadia.benali@exemple.fr").exists()


def test_une_demande_deja_ouverte_pour_le_meme_enfant_est_signalee_sans_rien_creer(client, relais, animatrice):
    client.force_login(animatrice)
    client.post(reverse("demandes:saisir"), _saisie(relais.commune_siege))

    reponse = client.post(reverse("demandes:saisir"), _saisie(relais.commune_siege))

    assert Demande.objects.count() == 1
    assert f"déjà une demande ouverte pour cet enfant : {Demande.objects.get().reference}" in reponse.content.decode()


def test_l_adresse_d_un_compte_professionnel_est_refusee(client, relais, animatrice):
    client.force_login(animatrice)

    reponse = client.post(reverse("demandes:saisir"), _saisie(relais.commune_siege, email=animatrice.email))

    assert "compte professionnel" in reponse.content.decode()
    assert not Demande.objects.exists()


def test_une_demande_saisie_par_le_relais_ne_compte_pas_comme_demande_en_ligne(relais, animatrice):
    relais.date_ouverture_guichet = timezone.localdate().replace(day=1, month=1)
    relais.save()
    en_ligne = DemandeFactory(relais=relais, rdv_propose=True)
    par_telephone = DemandeFactory(relais=relais, rdv_propose=True, source=Source.TELEPHONE, saisie_par=animatrice)
    for demande in (en_ligne, par_telephone):
        HistoriqueDemande.objects.create(demande=demande, de="prise_en_charge", vers="rdv_propose", auteur=animatrice)

    traitees = premieres_actions([relais.pk], timezone.localdate().year)[relais.pk]

    assert traitees.ids == [en_ligne.pk]
