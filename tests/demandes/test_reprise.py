"""Nothing lost: filing again for a child starts from the open request and keeps its second parent; a removed
second parent is told so; a closed request leaves no draft behind; every length limit is stated, never cut."""

import pytest
from django.urls import reverse

from demandes import forms, services
from demandes.models import BrouillonDemande, Demande
from tests.demandes.conftest import donnees_valides
from tests.demandes.factories import DemandeFactory
from tests.demandes.test_formulaire import _remplir, etapes_valides
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _envoyer(client):
    jeton = BrouillonDemande.objects.get().jeton
    return client.post(reverse("demandes:etape", args=["envoi"]), {"consentement": "on", "jeton": jeton})


@pytest.fixture
def avec_second_parent(parent, relais):
    return services.deposer(
        parent=parent,
        donnees=donnees_valides(
            relais.commune_siege,
            second_responsable_prenom="Karim",
            second_responsable_nom="Benali",
            second_responsable_email="karim@exemple.fr",
        ),
    )


def test_refaire_une_demande_pour_le_meme_enfant_repart_de_la_demande_et_garde_le_second_parent(
    client, parent, relais, avec_second_parent
):
    client.force_login(parent)
    etapes = etapes_valides(relais.commune_siege)

    _remplir(client, {"famille": etapes["famille"], "enfant": etapes["enfant"]})
    besoin = client.get(reverse("demandes:etape", args=["besoin"]))
    _remplir(client, {"besoin": BrouillonDemande.objects.get().donnees["besoin"]})
    situation = client.get(reverse("demandes:etape", args=["situation"]))
    _remplir(client, {"situation": BrouillonDemande.objects.get().donnees["situation"]})
    _envoyer(client)

    page = besoin.content.decode()
    assert "Le second parent (karim@exemple.fr) y reste associé" in page
    # The need typed on the open request comes back in the fields (SEMAINE_DE_BUREAU: Monday 08:30–17:30).
    assert 'name="jour_0_debut" value="08:30"' in page
    assert situation.context["form"].initial["situation_parent1"] == "emploi"
    demande = Demande.objects.get()
    assert (demande.second_responsable_nom, demande.second_responsable_email) == ("Benali", "karim@exemple.fr")


def test_le_second_parent_retire_par_le_parent_voit_invitation_retiree(client, parent, relais, avec_second_parent):
    lien = reverse("demandes:invitation", args=[services.jeton_invitation(avec_second_parent)])
    karim = UserFactory(email="karim@exemple.fr")
    sans_lui = {cle: "" for cle in forms.SECOND_PARENT}
    services.modifier(
        demande_id=avec_second_parent.pk,
        par=parent,
        donnees=donnees_valides(relais.commune_siege, **sans_lui),
    )

    client.force_login(karim)
    reponse = client.get(lien)

    assert reponse.status_code == 410
    assert "Invitation retirée" in reponse.content.decode()
    avec_second_parent.refresh_from_db()
    assert avec_second_parent.second_responsable is None


def test_le_second_parent_encore_invite_accede_toujours_par_son_lien(client, avec_second_parent):
    lien = reverse("demandes:invitation", args=[services.jeton_invitation(avec_second_parent)])
    client.force_login(UserFactory(email="karim@exemple.fr"))

    assert client.get(lien).url == reverse("demandes:detail", args=[avec_second_parent.pk])


def test_une_demande_retiree_ne_propose_plus_de_reprendre_sa_saisie(client, parent, relais):
    demande = services.deposer(parent=parent, donnees=donnees_valides(relais.commune_siege))
    client.force_login(parent)
    client.post(reverse("demandes:modifier", args=[demande.pk]))
    assert "Reprendre la saisie" in client.get(reverse("demandes:mes_demandes")).content.decode()

    client.post(reverse("demandes:retirer", args=[demande.pk]), {"motif": "Place trouvée"})
    page = client.get(reverse("demandes:mes_demandes")).content.decode()

    assert "Reprendre la saisie" not in page
    assert "Faire une demande" in page
    assert not BrouillonDemande.objects.exists()


def test_une_demande_close_par_le_relais_emporte_les_modifications_commencees(parent):
    demande = DemandeFactory(parent=parent, prise_en_charge=True)
    services.commencer_modification(demande_id=demande.pk, par=parent, donnees={})

    services.declarer_sans_solution(demande_id=demande.pk, par=demande.prise_par, motif="Aucune place le samedi.")

    assert not BrouillonDemande.objects.exists()


@pytest.mark.parametrize(
    ("etape", "champ", "limite"),
    [
        ("famille", "commune", 150),
        ("famille", "second_responsable_nom", 150),
        ("enfant", "enfant_prenom", 100),
        ("situation", "commentaire", 2000),
    ],
)
def test_chaque_limite_de_longueur_se_voit_avant_de_taper(client, parent, relais, etape, champ, limite):
    client.force_login(parent)
    etapes = etapes_valides(relais.commune_siege)
    precedentes = dict(list(etapes.items())[: list(etapes).index(etape)])
    if precedentes:
        _remplir(client, precedentes)

    page = client.get(reverse("demandes:etape", args=[etape])).content.decode()

    balise = page[page.index(f'name="{champ}"') - 300 : page.index(f'name="{champ}"') + 300]
    assert f'maxlength="{limite}"' in balise
    assert "js/compteur.js" in page


def test_un_commentaire_trop_long_est_refuse_avec_sa_limite_jamais_coupe(client, parent, relais):
    client.force_login(parent)
    etapes = etapes_valides(relais.commune_siege)
    _remplir(client, {k: etapes[k] for k in ("famille", "enfant", "besoin")})

    trop_long = etapes["situation"] | {"commentaire": "é" * 2001}
    reponse = client.post(reverse("demandes:etape", args=["situation"]), trop_long)

    assert reponse.status_code == 200
    assert "2000" in " ".join(reponse.context["form"].errors["commentaire"])
    assert "situation" not in BrouillonDemande.objects.get().donnees


def test_le_second_parent_qui_suit_deja_la_demande_la_suit_encore_apres_une_nouvelle_saisie(
    client, parent, relais, avec_second_parent
):
    karim = UserFactory(email="karim@exemple.fr")
    services.accepter_invitation(jeton=services.jeton_invitation(avec_second_parent), par=karim)
    client.force_login(parent)
    etapes = etapes_valides(relais.commune_siege)

    _remplir(client, {"famille": etapes["famille"], "enfant": etapes["enfant"]})
    for etape in ("besoin", "situation"):
        _remplir(client, {etape: BrouillonDemande.objects.get().donnees[etape]})
    _envoyer(client)

    avec_second_parent.refresh_from_db()
    assert avec_second_parent.second_responsable == karim
