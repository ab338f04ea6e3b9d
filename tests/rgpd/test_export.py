"""« Mes données »: a person downloads everything the portal holds about them, and nothing about anyone else."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditLog
from demandes.models import HistoriqueDemande, NotePrivee, Statut
from tests.assmats.factories import AccueilFactory, EntretienFactory, SignalementFactory, assmat_complete
from tests.demandes.factories import DemandeFactory
from tests.factories import MembreRelaisFactory, UserFactory
from tests.formation.factories import InscriptionFactory, SouhaitFactory
from tests.pdf import texte_du_pdf
from tests.tiers_payant.factories import ConventionFactory, releve

pytestmark = pytest.mark.django_db


@pytest.fixture
def famille():
    """A parent whose request for Capucine went through the relais, and another family of the same relais."""
    parent = UserFactory(first_name="Aurélie", last_name="Martin", telephone="0612345678")
    demande = DemandeFactory(parent=parent, enfant_prenom="Capucine", prise=True, commentaire="Horaires décalés")
    HistoriqueDemande.objects.create(
        demande=demande,
        de=Statut.NOUVELLE,
        vers=Statut.PRISE_EN_CHARGE,
        auteur=demande.prise_par,
        note="Appel de la famille",
    )
    NotePrivee.objects.create(demande=demande, auteur=demande.prise_par, texte="Rappeler après 18 h")
    autre = DemandeFactory(relais=demande.relais, enfant_prenom="Théodore", telephone="0799887766")
    return parent, demande, autre


def telecharger_json(client, user) -> dict:
    client.force_login(user)
    reponse = client.get(reverse("rgpd:export_json"))
    assert reponse.status_code == 200
    return json.loads(reponse.content.decode("utf-8"))


def test_le_json_contient_la_demande_du_parent_son_enfant_et_l_historique(client, famille):
    parent, demande, _ = famille

    donnees = telecharger_json(client, parent)

    [ligne] = donnees["sections"]["demandes"]["lignes"]
    assert ligne["reference"] == demande.reference
    assert ligne["enfant_prenom"] == "Capucine"
    assert ligne["statut"] == "Prise en charge"
    assert [(h["de"], h["vers"], h["note"]) for h in ligne["historique"]] == [
        ("Nouvelle", "Prise en charge", "Appel de la famille")
    ]
    assert donnees["sections"]["compte"]["lignes"][0]["email"] == parent.email


def test_le_json_contient_les_notes_du_relais_sur_la_demande(client, famille):
    parent, _, _ = famille

    [ligne] = telecharger_json(client, parent)["sections"]["demandes"]["lignes"]

    assert [note["texte"] for note in ligne["notes_privees"]] == ["Rappeler après 18 h"]


def test_le_json_ne_contient_rien_d_une_autre_famille(client, famille):
    parent, _, autre = famille

    texte = json.dumps(telecharger_json(client, parent), ensure_ascii=False)

    assert autre.reference not in texte
    assert "Théodore" not in texte
    assert autre.parent.email not in texte
    assert "0799887766" not in texte


def test_le_json_est_un_fichier_utf8_date_en_iso(client, famille):
    parent, demande, _ = famille
    client.force_login(parent)

    reponse = client.get(reverse("rgpd:export_json"))

    assert reponse["Content-Type"] == "application/json; charset=utf-8"
    assert reponse["Content-Disposition"] == (
        f'attachment; filename="mes-donnees-{timezone.localdate():%Y-%m-%d}.json"'
    )
    assert "Aurélie".encode() in reponse.content
    [ligne] = json.loads(reponse.content)["sections"]["demandes"]["lignes"]
    assert ligne["enfant_date"] == demande.enfant_date.isoformat()
    assert ligne["date_depot"] == timezone.localtime(demande.date_depot).isoformat(timespec="seconds")


def test_deux_exports_des_memes_donnees_sont_identiques(client, famille):
    parent, demande, _ = famille
    DemandeFactory(parent=parent, enfant_prenom="Basile")

    premier, second = telecharger_json(client, parent), telecharger_json(client, parent)

    # Logging in to download changes the last login and the log of logins; nothing else moves.
    for donnees in (premier, second):
        del donnees["genere_le"], donnees["sections"]["compte"], donnees["sections"]["connexions"]
    assert premier == second
    assert [d["enfant_prenom"] for d in premier["sections"]["demandes"]["lignes"]] == ["Capucine", "Basile"]


def test_le_json_d_un_parent_contient_ses_conventions_et_releves(client):
    convention = ConventionFactory(active=True, enfant_prenom="Lina")
    releve(convention)

    [ligne] = telecharger_json(client, convention.parent)["sections"]["conventions"]["lignes"]

    assert ligne["reference"] == convention.reference
    assert ligne["ressources_mensuelles"] == "1000.00"
    assert len(ligne["releves"]) == 1


def test_l_assistante_maternelle_ne_recoit_pas_les_ressources_de_la_famille(client):
    convention = ConventionFactory(active=True)

    [ligne] = telecharger_json(client, convention.assistant_maternel.user)["sections"]["conventions"]["lignes"]

    assert ligne["reference"] == convention.reference
    assert "ressources_mensuelles" not in ligne
    assert "rsa" not in ligne


def test_le_json_d_une_assistante_maternelle_couvre_son_activite(client):
    assmat = assmat_complete()
    AccueilFactory(assistant_maternel=assmat, prenom_enfant="Noé", date_naissance=timezone.localdate().replace(day=3))
    EntretienFactory(signalement=SignalementFactory(assistant_maternel=assmat))
    SouhaitFactory(assistant_maternel=assmat)
    InscriptionFactory(assistant_maternel=assmat)

    sections = telecharger_json(client, assmat.user)["sections"]

    assert sections["fiche"]["lignes"][0]["nom"] == assmat.nom
    assert sections["agrement"]["lignes"][0]["numero"] == assmat.agrement.numero
    [enfant] = sections["enfants_accueillis"]["lignes"]
    assert enfant["prenom_enfant"] == "Noé"
    assert enfant["mois_naissance"] == f"{timezone.localdate():%Y-%m}"
    assert "date_naissance" not in enfant
    assert len(sections["disponibilites"]["lignes"]) == 1
    assert len(sections["sous_activite"]["lignes"][0]["entretiens"]) == 1
    assert len(sections["souhaits_formation"]["lignes"]) == 1
    assert len(sections["inscriptions_formation"]["lignes"]) == 1
    assert "demandes" not in sections


def test_le_json_d_une_assistante_maternelle_contient_l_historique_de_l_affichage(client):
    assmat = assmat_complete()

    sections = telecharger_json(client, assmat.user)["sections"]

    lignes = sections["historique_affichage"]["lignes"]
    assert [(ligne["affiche"], ligne["confirmation"]) for ligne in lignes] == [(True, False), (True, True)]


def test_le_journal_de_mes_connexions_est_dans_l_export_sans_celles_des_autres(client, famille):
    parent, _, autre = famille
    client.force_login(parent)
    client.logout()
    client.force_login(autre.parent)
    client.logout()

    connexions = telecharger_json(client, parent)["sections"]["connexions"]["lignes"]

    # The download's own login comes last.
    assert [c["action"] for c in connexions] == ["Connexion", "Déconnexion", "Connexion"]


def test_chaque_export_est_inscrit_au_journal(client, famille):
    parent, _, _ = famille
    client.force_login(parent)

    client.get(reverse("rgpd:export_json"))

    entree = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert (entree.email, entree.object_type, entree.object_id) == (parent.email, "comptes.user", str(parent.pk))
    assert "JSON" in entree.description


def test_le_pdf_montre_la_reference_de_la_demande_sous_un_titre_lisible(client, famille, tmp_path):
    parent, demande, autre = famille
    client.force_login(parent)

    reponse = client.get(reverse("rgpd:export_pdf"))

    assert reponse.status_code == 200
    assert reponse.content.startswith(b"%PDF")
    assert reponse["Content-Disposition"] == f'attachment; filename="mes-donnees-{timezone.localdate():%Y-%m-%d}.pdf"'
    texte = texte_du_pdf(reponse.content, tmp_path)
    assert "Mes demandes d'accueil" in texte
    assert demande.reference in texte
    assert "Capucine" in texte
    assert autre.reference not in texte
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, description__contains="PDF").count() == 1


def test_la_page_mes_donnees_liste_les_categories_et_les_telechargements(client, famille):
    parent, _, _ = famille
    client.force_login(parent)

    page = client.get(reverse("rgpd:mes_donnees")).content.decode()

    for titre in ["Mon compte", "Mes demandes d&#x27;accueil", "Mes connexions"]:
        assert titre in page
    for nom in ["rgpd:export_json", "rgpd:export_pdf", "rgpd:corriger"]:
        assert reverse(nom) in page


def test_l_espace_parent_mene_a_mes_donnees(client):
    client.force_login(UserFactory())

    assert reverse("rgpd:mes_donnees") in client.get(reverse("portail:espace_parent")).content.decode()


def test_la_page_mes_donnees_mene_a_la_suppression_du_compte(client):
    client.force_login(UserFactory())

    assert reverse("rgpd:supprimer_compte") in client.get(reverse("rgpd:mes_donnees")).content.decode()


def test_un_animateur_n_a_pas_de_lien_de_suppression_mais_sait_a_qui_s_adresser(client):
    client.force_login(MembreRelaisFactory().user)

    page = client.get(reverse("rgpd:mes_donnees")).content.decode()

    assert reverse("rgpd:supprimer_compte") not in page
    assert "fermés par un administrateur" in page


def test_une_assistante_maternelle_sans_fiche_voit_son_compte(client):
    user = UserFactory(assmat=True)
    client.force_login(user)

    page = client.get(reverse("rgpd:mes_donnees")).content.decode()

    assert "Ma fiche d&#x27;assistant·e maternel·le" in page
    assert telecharger_json(client, user)["sections"]["fiche"]["lignes"] == []


def test_le_tableau_de_bord_de_l_assistante_maternelle_mene_a_mes_donnees(client):
    assmat = assmat_complete()
    client.force_login(assmat.user)

    assert reverse("rgpd:mes_donnees") in client.get(reverse("assmats:tableau")).content.decode()
