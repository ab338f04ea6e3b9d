"""The family's multi-step form, through the client: validation, resume, once and only once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demandes.forms import EnfantForm
from demandes.models import BrouillonDemande, Demande, Statut
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def _jour(jours):
    return (timezone.localdate() + timedelta(days=jours)).isoformat()


def etapes_valides(commune):
    return {
        "famille": {"telephone": "06 12 34 56 78", "code_postal": commune.codes_postaux[0], "commune": commune.nom},
        "enfant": {"enfant_prenom": "Léa", "enfant_date": _jour(-200)},
        "besoin": {
            "date_debut_souhaitee": _jour(60),
            "mode_1": "assmat",
            "mode_2": "creche",
            "jour_0_debut": "08:30",
            "jour_0_fin": "17:30",
            "jour_5_debut": "06:30",
            "jour_5_fin": "12:00",
        },
        "situation": {"situation_parent1": "recherche_emploi", "rsa": "on", "numero_caf": "1234567"},
    }


def _remplir(client, etapes):
    for etape, donnees in etapes.items():
        reponse = client.post(reverse("demandes:etape", args=[etape]), donnees)
        assert reponse.status_code == 302, reponse.context["form"].errors
    return BrouillonDemande.objects.get()


def test_un_parent_depose_sa_demande_etape_par_etape(client, parent, relais):
    client.force_login(parent)
    brouillon = _remplir(client, etapes_valides(relais.commune_siege))

    recap = client.get(reverse("demandes:etape", args=["envoi"]))
    assert "Samedi 06:30–12:00" in recap.content.decode()
    reponse = client.post(reverse("demandes:etape", args=["envoi"]), {"consentement": "on", "jeton": brouillon.jeton})

    demande = Demande.objects.get()
    assert reponse.url == reverse("demandes:confirmation", args=[demande.pk])
    assert demande.reference in client.get(reponse.url).content.decode()
    assert demande.horaires_atypiques == ["tot", "samedi"]
    assert demande.modes == ["assmat", "creche"]
    assert demande.numero_caf == "1234567"
    assert not BrouillonDemande.objects.exists()


def test_un_envoi_rejoue_ne_cree_rien_deux_fois(client, parent, relais):
    client.force_login(parent)
    brouillon = _remplir(client, etapes_valides(relais.commune_siege))
    envoi = {"consentement": "on", "jeton": brouillon.jeton}

    premiere = client.post(reverse("demandes:etape", args=["envoi"]), envoi)
    seconde = client.post(reverse("demandes:etape", args=["envoi"]), envoi)

    assert premiere.url == seconde.url
    assert Demande.objects.count() == 1


def test_le_parent_quitte_et_reprend_la_ou_il_en_etait(client, parent, relais):
    client.force_login(parent)
    etapes = etapes_valides(relais.commune_siege)
    _remplir(client, {"famille": etapes["famille"], "enfant": etapes["enfant"]})
    client.logout()
    client.force_login(parent)

    reprise = client.get(reverse("demandes:deposer"))
    famille = client.get(reverse("demandes:etape", args=["famille"]))

    assert reprise.url == reverse("demandes:etape", args=["besoin"])
    assert famille.context["form"].initial["telephone"] == "06 12 34 56 78"


def test_on_ne_saute_pas_d_etape(client, parent):
    client.force_login(parent)

    assert client.get(reverse("demandes:etape", args=["situation"])).url == reverse("demandes:etape", args=["famille"])


def test_une_commune_hors_de_tout_relais_recoit_un_message_clair_et_rien_n_est_enregistre(client, parent):
    commune = CommuneFactory(nom="Sète")
    client.force_login(parent)

    reponse = client.post(
        reverse("demandes:etape", args=["famille"]),
        {"telephone": "0612345678", "code_postal": commune.codes_postaux[0], "commune": "sete"},
    )

    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert f"Aucun relais de ce portail ne dessert le code postal {commune.codes_postaux[0]}" in html
    assert 'href="https://monenfant.fr"' in html
    assert f'href="{reverse("relais:annuaire")}"' in html
    assert not BrouillonDemande.objects.exists()


def test_une_case_cochee_avec_une_valeur_forgee_compte_comme_cochee_sans_erreur_serveur(client, parent, relais):
    client.force_login(parent)
    etapes = etapes_valides(relais.commune_siege)
    _remplir(client, {"famille": etapes["famille"]})

    # A NUL in the draft's JSON would be refused by PostgreSQL: the box is stored as a browser sends it.
    reponse = client.post(reverse("demandes:etape", args=["enfant"]), etapes["enfant"] | {"premier_enfant": "on\x00"})

    assert reponse.status_code == 302
    assert BrouillonDemande.objects.get().donnees["enfant"]["premier_enfant"] == "on"


REGLES = [
    ("famille", {"telephone": "12345"}, "telephone", "numéro de téléphone français"),
    ("famille", {"code_postal": "3400"}, "code_postal", "5 chiffres"),
    ("famille", {"code_postal": "99999"}, "code_postal", "Aucun relais de ce portail ne dessert le code postal 99999"),
    ("famille", {"commune": "Paris"}, "commune", "ne correspond pas au code postal"),
    ("enfant", {"enfant_date": _jour(5)}, "enfant_date", "pas encore né"),
    ("enfant", {"enfant_a_naitre": "on", "enfant_date": _jour(400)}, "enfant_date", "9 prochains mois"),
    ("enfant", {"enfant_date": _jour(-365 * 7)}, "enfant_date", "moins de 6 ans"),
    ("enfant", {"enfant_date": _jour(-365 * 12), "periscolaire": "on"}, "enfant_date", "moins de 11 ans"),
    ("enfant", {"enfant_prenom": "1234"}, "enfant_prenom", "au moins une lettre"),
    ("besoin", {"date_debut_souhaitee": _jour(-1)}, "date_debut_souhaitee", "passée"),
    ("besoin", {"date_debut_souhaitee": _jour(800)}, "date_debut_souhaitee", "24 prochains mois"),
    ("besoin", {"date_debut_souhaitee": _jour(2)}, "date_debut_souhaitee", "précéder la naissance"),
    ("besoin", {"jour_0_fin": "07:00"}, "jour_0_fin", "22 h 30 d'accueil d'affilée"),
    ("besoin", {"jour_0_fin": ""}, "jour_0_fin", "l'heure d'arrivée et l'heure de départ"),
    ("besoin", {"jour_0_debut": "", "jour_0_fin": "", "jour_5_debut": "", "jour_5_fin": ""}, "__all__", "au moins"),
    ("besoin", {"mode_2": "assmat"}, "mode_2", "qu'une fois"),
    ("situation", {"numero_caf": "12345"}, "numero_caf", "7 chiffres"),
    ("situation", {"urgence": "on"}, "urgence_motif", "motif de l'urgence"),
    ("situation", {"parent_isole": "on", "situation_parent2": "emploi"}, "situation_parent2", "parent isolé"),
    # Longer than the column: a French message, not a database error.
    ("famille", {"second_responsable_email": "a" * 250 + "@exemple.fr"}, "second_responsable_email", "au plus 254"),
]


@pytest.mark.parametrize(("etape", "changement", "champ", "message"), REGLES)
def test_chaque_regle_de_validation_a_son_message_et_rien_n_est_enregistre(
    client, parent, relais, etape, changement, champ, message
):
    client.force_login(parent)
    etapes = etapes_valides(relais.commune_siege)
    if etape == "besoin":
        # The start date is checked against a child born in 10 days.
        etapes["enfant"] = {"enfant_prenom": "Léa", "enfant_a_naitre": "on", "enfant_date": _jour(10)}
    precedentes = dict(list(etapes.items())[: list(etapes).index(etape)])
    if precedentes:
        _remplir(client, precedentes)
    avant = BrouillonDemande.objects.first()

    reponse = client.post(reverse("demandes:etape", args=[etape]), etapes[etape] | changement)

    assert reponse.status_code == 200
    assert any(message in erreur for erreur in reponse.context["form"].errors[champ]), reponse.context["form"].errors
    assert 'id="resume-erreurs"' in reponse.content.decode()
    apres = BrouillonDemande.objects.first()
    assert (apres.donnees if apres else None) == (avant.donnees if avant else None)
    assert not Demande.objects.exists()


def test_une_seconde_demande_pour_le_meme_enfant_met_a_jour_la_premiere(client, parent, relais):
    client.force_login(parent)
    etapes = etapes_valides(relais.commune_siege)
    brouillon = _remplir(client, etapes)
    client.post(reverse("demandes:etape", args=["envoi"]), {"consentement": "on", "jeton": brouillon.jeton})
    premiere = Demande.objects.get()

    _remplir(client, {"famille": etapes["famille"] | {"telephone": "0499999999"}, "enfant": etapes["enfant"]})
    brouillon = BrouillonDemande.objects.get()
    assert brouillon.demande == premiere
    for etape in ("besoin", "situation"):
        client.post(reverse("demandes:etape", args=[etape]), brouillon.donnees[etape])
    jeton = BrouillonDemande.objects.get().jeton
    reponse = client.post(reverse("demandes:etape", args=["envoi"]), {"consentement": "on", "jeton": jeton})

    assert reponse.url == reverse("demandes:detail", args=[premiere.pk])
    assert Demande.objects.count() == 1
    premiere.refresh_from_db()
    assert premiere.telephone == "0499999999"


def test_la_famille_retire_sa_demande_avec_un_motif(client, parent, relais):
    client.force_login(parent)
    brouillon = _remplir(client, etapes_valides(relais.commune_siege))
    client.post(reverse("demandes:etape", args=["envoi"]), {"consentement": "on", "jeton": brouillon.jeton})
    demande = Demande.objects.get()

    vide = client.post(reverse("demandes:retirer", args=[demande.pk]), {"motif": "  "})
    client.post(reverse("demandes:retirer", args=[demande.pk]), {"motif": "Place en crèche obtenue"})

    assert vide.status_code == 200
    demande.refresh_from_db()
    assert (demande.statut, demande.motif_fin) == (Statut.RETIREE, "Place en crèche obtenue")
    assert "Retirée par la famille" in client.get(reverse("demandes:mes_demandes")).content.decode()


def test_un_enfant_scolarise_de_8_ans_peut_demander_un_accueil_periscolaire():
    form = EnfantForm(data={"enfant_prenom": "Nina", "enfant_date": _jour(-365 * 8), "periscolaire": "on"})

    assert form.is_valid(), form.errors
