"""Convention pages through the client: preparation with the CMG estimate, signing, statements, CSV, outcomes."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from courriels.services import envoyer_en_attente
from tests.assmats.factories import AccueilFactory
from tests.factories import AgentCafFactory, DepartementFactory, UserFactory
from tests.tiers_payant.conftest import envoyer, preparer, saisie_du_formulaire, signer_tous
from tests.tiers_payant.factories import ConventionFactory, assmat_agreee, releve
from tiers_payant import emails, selectors, services
from tiers_payant.models import Convention, Statut

pytestmark = pytest.mark.django_db


def test_l_apercu_montre_le_cmg_et_l_eligibilite_sans_rien_enregistrer(client, acteurs):
    client.force_login(acteurs.agent)

    html = client.post(reverse("tiers_payant:preparer"), saisie_du_formulaire(acteurs, apercu="1")).content.decode()

    assert "374,13 €" in html
    assert "232,12 €" in html
    assert "La famille remplit les conditions du tiers payant." in html
    assert not Convention.objects.exists()


def test_l_apercu_d_une_famille_ineligible_donne_les_motifs(client, acteurs):
    client.force_login(acteurs.agent)

    html = client.post(
        reverse("tiers_payant:preparer"),
        saisie_du_formulaire(acteurs, rsa="", commune_famille=acteurs.autre_commune.pk, apercu="1"),
    ).content.decode()

    assert "Non éligible" in html
    assert "Les ressources annuelles du foyer (36 000,00 €) dépassent le plafond de 13 277 €" in html
    assert "Ailleurs-sur-Mer, n&#x27;est pas dans le territoire du RPE des Garrigues" in html


def test_l_agent_enregistre_le_brouillon_et_arrive_sur_la_convention(client, acteurs):
    client.force_login(acteurs.agent)

    response = client.post(reverse("tiers_payant:preparer"), saisie_du_formulaire(acteurs))

    convention = Convention.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tiers_payant:convention", args=[convention.pk])
    assert convention.created_by == acteurs.agent
    assert convention.cmg_estime == Decimal("374.13")
    assert convention.salaire_horaire == Decimal("4.85")


def test_les_erreurs_de_saisie_sont_expliquees_en_francais(client, acteurs):
    client.force_login(acteurs.animatrice)

    html = client.post(
        reverse("tiers_payant:preparer"),
        saisie_du_formulaire(
            acteurs, parent_email="inconnu@exemple.fr", heures_mensuelles="400", enfant_naissance="2026-05-01"
        ),
    ).content.decode()

    assert "Le formulaire contient 3 erreurs" in html
    assert "Aucun compte « Parent » n&#x27;existe avec cette adresse" in html
    assert "Indiquez au plus 300 heures par mois." in html
    assert "L&#x27;enfant doit être né au plus tard à la date de début." in html
    assert not Convention.objects.exists()


def test_un_compte_parent_desactive_ne_peut_pas_etre_partie_a_une_convention(client, acteurs):
    """Deactivated (or deleted, hence anonymised) accounts cannot log in: they could never sign."""
    acteurs.parent.is_active = False
    acteurs.parent.save(update_fields=["is_active"])
    client.force_login(acteurs.animatrice)

    html = client.post(reverse("tiers_payant:preparer"), saisie_du_formulaire(acteurs)).content.decode()

    assert "Aucun compte « Parent » n&#x27;existe avec cette adresse" in html
    assert not Convention.objects.exists()


def test_l_agent_caf_modifie_les_termes_sans_lire_ni_retaper_l_enfant(client, acteurs):
    convention = preparer(acteurs)
    client.force_login(acteurs.agent)

    formulaire = client.get(reverse("tiers_payant:modifier", args=[convention.pk])).content.decode()
    saisie = saisie_du_formulaire(acteurs, heures_mensuelles="100")
    del saisie["enfant_prenom"], saisie["enfant_naissance"]
    reponse = client.post(reverse("tiers_payant:modifier", args=[convention.pk]), saisie)

    assert "Lina" not in formulaire
    assert reponse.status_code == 302
    convention.refresh_from_db()
    assert (convention.heures_mensuelles, convention.enfant_prenom) == (Decimal(100), "Lina")
    assert convention.enfant_naissance == date(2025, 3, 15)


def test_une_adresse_plus_longue_que_la_colonne_est_refusee_en_francais(client, acteurs):
    client.force_login(acteurs.animatrice)

    html = client.post(
        reverse("tiers_payant:preparer"), saisie_du_formulaire(acteurs, parent2_email="a" * 250 + "@exemple.fr")
    )

    assert "au plus 254 caractères" in html.content.decode()
    assert not Convention.objects.exists()


def test_l_animatrice_ne_choisit_que_les_assmats_et_relais_de_son_perimetre(client, acteurs):
    ailleurs = assmat_agreee(commune=acteurs.autre_commune)
    client.force_login(acteurs.animatrice)

    response = client.post(
        reverse("tiers_payant:preparer"), saisie_du_formulaire(acteurs, assistant_maternel=ailleurs.pk)
    )

    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Convention.objects.exists()


def test_envoyer_une_convention_ineligible_affiche_chaque_motif(client, acteurs):
    convention = preparer(acteurs, rsa=False, commune_famille=acteurs.autre_commune)
    client.force_login(acteurs.animatrice)

    response = client.post(reverse("tiers_payant:envoyer", args=[convention.pk]), follow=True)

    html = response.content.decode()
    assert "La famille n&#x27;est pas éligible au tiers payant" in html
    assert "Les ressources annuelles du foyer" in html
    assert "n&#x27;est pas dans le territoire" in html
    convention.refresh_from_db()
    assert convention.statut == Statut.BROUILLON


def test_le_parent_signe_depuis_la_page_de_la_convention(client, acteurs):
    convention = envoyer(acteurs)
    client.force_login(acteurs.parent)
    page = client.get(reverse("tiers_payant:convention", args=[convention.pk])).content.decode()
    empreinte = selectors.document_a_signer(convention).sha256
    assert "Signer la convention" in page
    assert f'name="empreinte" value="{empreinte}"' in page

    response = client.post(reverse("tiers_payant:signer", args=[convention.pk]), {"empreinte": empreinte}, follow=True)

    assert "Votre signature est enregistrée." in response.content.decode()
    assert "Signer la convention" not in response.content.decode()
    assert "parent" in selectors.signatures_en_vigueur(convention)


def test_modifier_apres_signature_previent_puis_ramene_au_brouillon(client, acteurs):
    convention = envoyer(acteurs)
    signer_tous(acteurs, convention)
    client.force_login(acteurs.animatrice)

    page = client.get(reverse("tiers_payant:modifier", args=[convention.pk])).content.decode()
    assert "modifier un terme annule les signatures déjà recueillies" in page
    client.post(
        reverse("tiers_payant:modifier", args=[convention.pk]),
        saisie_du_formulaire(acteurs, date_debut=convention.date_debut.isoformat(), heures_mensuelles="100"),
    )

    convention.refresh_from_db()
    assert convention.statut == Statut.BROUILLON
    assert convention.heures_mensuelles == Decimal(100)


def test_un_parent_ne_voit_que_ses_conventions(client, acteurs):
    mienne = ConventionFactory(parent=acteurs.parent, relais=acteurs.relais)
    autre = ConventionFactory(relais=acteurs.relais)
    client.force_login(acteurs.parent)

    html = client.get(reverse("tiers_payant:conventions")).content.decode()

    assert mienne.reference in html
    assert autre.reference not in html
    assert client.get(reverse("tiers_payant:convention", args=[autre.pk])).status_code == 404


def test_le_second_parent_voit_et_signe_avec_son_propre_compte(client, acteurs):
    convention = envoyer(acteurs, parent2=acteurs.parent2)
    client.force_login(acteurs.parent2)

    client.post(
        reverse("tiers_payant:signer", args=[convention.pk]),
        {"empreinte": selectors.document_a_signer(convention).sha256},
    )

    assert selectors.signatures_en_vigueur(convention)["parent2"].user == acteurs.parent2


def test_la_liste_fait_un_nombre_constant_de_requetes(client, acteurs, django_assert_max_num_queries):
    for _ in range(2):
        ConventionFactory(relais=acteurs.relais)
    client.force_login(acteurs.agent)
    with django_assert_max_num_queries(8) as requetes:
        client.get(reverse("tiers_payant:conventions"))
    avant = len(requetes)
    for _ in range(5):
        ConventionFactory(relais=acteurs.relais, parent2=UserFactory())

    with django_assert_max_num_queries(avant):
        client.get(reverse("tiers_payant:conventions"))


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_l_assmat_declare_et_le_parent_confirme_par_les_pages(client, acteurs):
    convention = signer_tous(acteurs, envoyer(acteurs, date_debut=date(2026, 1, 1)))
    services.activer_convention(convention_id=convention.pk, par=acteurs.agent)
    url = reverse("tiers_payant:releves", args=[convention.pk])

    client.force_login(acteurs.assmat.user)
    response = client.post(
        url, {"mois": "2026-02", "heures": "125", "salaire_horaire": "4,85", "indemnites": ""}, follow=True
    )
    assert "Relevé de 02/2026 enregistré" in response.content.decode()
    assert "374,13 €" in response.content.decode()

    client.force_login(acteurs.parent)
    releve = convention.releves.get()
    html = client.post(reverse("tiers_payant:confirmer_releve", args=[releve.pk]), follow=True).content.decode()
    assert "Relevé de 02/2026 confirmé." in html
    assert "Confirmé le 10/03/2026" in html


def _lignes_csv(response):
    texte = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(texte), delimiter=";"))


def test_le_csv_des_paiements_ne_contient_que_les_releves_confirmes_du_mois_et_du_departement(client, acteurs):
    convention = ConventionFactory(active=True, relais=acteurs.relais, date_debut=date(2026, 1, 1))
    confirme = releve(convention, mois=date(2026, 2, 1))
    confirme.confirme_par, confirme.confirme_le = convention.parent, confirme.saisi_le
    confirme.save()
    releve(convention, mois=date(2026, 3, 1))  # not confirmed: not payable yet
    ailleurs = ConventionFactory(active=True, relais__departement=DepartementFactory(code="30", nom="Gard"))
    autre = releve(ailleurs, mois=date(2026, 2, 1))
    autre.confirme_par, autre.confirme_le = ailleurs.parent, autre.saisi_le
    autre.save()
    client.force_login(acteurs.agent)

    response = client.get(reverse("tiers_payant:export_paiements"), {"mois": "2026-02"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lignes = _lignes_csv(response)
    assert [ligne["Référence de la convention"] for ligne in lignes] == [convention.reference]
    assert lignes[0]["CMG à verser (€)"] == str(confirme.cmg).replace(".", ",")
    assert lignes[0]["Reste à charge de la famille (€)"] == str(confirme.reste_a_charge).replace(".", ",")
    assert lignes[0]["Heures"] == "120,00"
    assert lignes[0]["Mois"] == "02/2026"
    assert "_" not in response.content.decode("utf-8-sig").splitlines()[0]  # headers a person reads


def test_le_csv_des_paiements_ne_nomme_pas_l_enfant(client, acteurs):
    convention = ConventionFactory(
        active=True, relais=acteurs.relais, date_debut=date(2026, 1, 1), enfant_prenom="Zélie"
    )
    confirme = releve(convention, mois=date(2026, 2, 1))
    confirme.confirme_par, confirme.confirme_le = convention.parent, confirme.saisi_le
    confirme.save()
    client.force_login(acteurs.agent)

    contenu = client.get(reverse("tiers_payant:export_paiements"), {"mois": "2026-02"}).content.decode("utf-8-sig")

    assert convention.reference in contenu
    assert "Zélie" not in contenu
    assert "Enfant" not in contenu.splitlines()[0]


def test_l_export_sans_mois_affiche_le_formulaire(client, acteurs):
    client.force_login(acteurs.agent)

    assert "Télécharger le fichier CSV" in client.get(reverse("tiers_payant:export_paiements")).content.decode()


def test_les_resultats_comptent_signees_rsa_et_reprise_d_activite(client, acteurs):
    debut = date(2026, 1, 1)
    # A childminder with no child before her first convention: regained activity.
    ConventionFactory(active=True, relais=acteurs.relais, rsa=True, date_debut=debut)
    # One who already had a child in care on the eve of the start: not counted.
    occupee = assmat_agreee(commune=acteurs.relais.commune_siege)
    AccueilFactory(assistant_maternel=occupee, date_debut=debut - timedelta(days=200))
    ConventionFactory(active=True, relais=acteurs.relais, rsa=False, date_debut=debut, assistant_maternel=occupee)
    # Her second convention does not turn her into "regained activity".
    ConventionFactory(
        active=True, relais=acteurs.relais, date_debut=debut + timedelta(days=60), assistant_maternel=occupee
    )
    ConventionFactory(relais=acteurs.relais)  # a draft is not signed
    ConventionFactory(active=True, relais__departement=DepartementFactory(code="30", nom="Gard"))  # not the agent's

    resultats = selectors.resultats(Convention.objects.filter(relais=acteurs.relais))
    client.force_login(acteurs.agent)
    html = client.get(reverse("tiers_payant:resultats")).content.decode()

    assert (resultats.signees, resultats.avec_rsa, resultats.assmats, resultats.reprise_activite) == (3, 2, 2, 1)
    assert "2 / 3" in html
    assert "1 / 2" in html


def test_un_agent_d_un_autre_departement_ne_voit_rien(client, acteurs):
    convention = ConventionFactory(active=True, relais=acteurs.relais)
    client.force_login(AgentCafFactory(departement=DepartementFactory(code="30", nom="Gard")).user)

    assert client.get(reverse("tiers_payant:convention", args=[convention.pk])).status_code == 404
    assert convention.reference not in client.get(reverse("tiers_payant:conventions")).content.decode()


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_un_mois_refuse_s_affiche_a_cote_du_champ_avec_la_saisie_gardee(client, acteurs):
    convention = ConventionFactory(active=True, relais=acteurs.relais, date_debut=date(2026, 1, 1))
    client.force_login(convention.assistant_maternel.user)

    response = client.post(
        reverse("tiers_payant:releves", args=[convention.pk]),
        {"mois": "2026-03", "heures": "117", "salaire_horaire": "4,85", "indemnites": ""},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["mois"] == [
        "Choisissez un mois terminé et couvert par la convention : entre janvier 2026 et février 2026."
    ]
    assert 'value="117"' in response.content.decode()
    assert not convention.releves.exists()


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_la_page_propose_le_dernier_mois_termine(client, acteurs):
    convention = ConventionFactory(active=True, relais=acteurs.relais, date_debut=date(2026, 1, 1))
    client.force_login(convention.assistant_maternel.user)

    html = client.get(reverse("tiers_payant:releves", args=[convention.pk])).content.decode()

    assert 'value="2026-02"' in html


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_un_salaire_sous_le_minimum_s_affiche_a_cote_du_salaire(client, acteurs):
    convention = ConventionFactory(active=True, relais=acteurs.relais, date_debut=date(2026, 1, 1))
    client.force_login(convention.assistant_maternel.user)

    response = client.post(
        reverse("tiers_payant:releves", args=[convention.pk]),
        {"mois": "2026-02", "heures": "125", "salaire_horaire": "2", "indemnites": "0"},
    )

    (erreur,) = response.context["form"].errors["salaire_horaire"]
    assert "2,64 € net par heure et par enfant en février 2026" in erreur
    assert not convention.releves.exists()


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_des_indemnites_laissees_vides_comptent_zero_et_la_page_le_dit(client, acteurs):
    convention = ConventionFactory(active=True, relais=acteurs.relais, date_debut=date(2026, 1, 1))
    client.force_login(convention.assistant_maternel.user)

    page = client.get(reverse("tiers_payant:releves", args=[convention.pk])).content.decode()
    assert "vide compte pour 0 €" in page
    client.post(
        reverse("tiers_payant:releves", args=[convention.pk]),
        {"mois": "2026-02", "heures": "125", "salaire_horaire": "4,85", "indemnites": ""},
    )

    assert convention.releves.get().indemnites == Decimal(0)


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_un_mois_non_confirme_est_estime(client, acteurs):
    convention = ConventionFactory(active=True, relais=acteurs.relais, date_debut=date(2026, 1, 1))
    releve(convention, mois=date(2026, 2, 1))
    client.force_login(convention.parent)

    html = client.get(reverse("tiers_payant:releves", args=[convention.pk])).content.decode()

    assert "Estimé" in html
    assert "(estimé)" in html


@time_machine.travel("2026-03-10 09:00 +01:00")
def test_le_parent_conteste_par_la_page_et_le_relais_voit_le_motif(client, acteurs):
    acteurs.relais.email = ""
    acteurs.relais.save()
    convention = ConventionFactory(active=True, relais=acteurs.relais, date_debut=date(2026, 1, 1))
    fevrier = releve(convention, mois=date(2026, 2, 1))
    url = reverse("tiers_payant:contester_releve", args=[fevrier.pk])
    client.force_login(convention.parent)

    refus = client.post(url, {"motif": ""})
    assert refus.context["form"].errors["motif"] == ["Indiquez ce qui est inexact dans le relevé."]
    html = client.post(url, {"motif": "Absente la semaine du 9 février"}, follow=True).content.decode()

    assert "Relevé de 02/2026 contesté : l&#x27;assistant·e maternel·le peut le corriger." in html
    client.force_login(acteurs.animatrice)
    page = client.get(reverse("tiers_payant:releves", args=[convention.pk])).content.decode()
    assert "Contesté" in page
    assert "Absente la semaine du 9 février" in page


def test_l_envoi_pour_signature_envoie_a_chaque_partie_le_lien_de_sa_page(
    client, acteurs, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://guichet.exemple.fr"
    acteurs.relais.email = "rpe@garrigues.fr"
    acteurs.relais.save()
    convention = preparer(acteurs, parent2=acteurs.parent2)
    client.force_login(acteurs.animatrice)

    with django_capture_on_commit_callbacks() as taches:
        html = client.post(reverse("tiers_payant:envoyer", args=[convention.pk]), follow=True).content.decode()
    assert len(taches) == 1
    document = selectors.document_a_signer(convention)
    assert emails.inviter_a_signer(document_id=document.pk) == 3

    lien = "https://guichet.exemple.fr" + reverse("tiers_payant:convention", args=[convention.pk])
    envoyer_en_attente()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [acteurs.parent.email, acteurs.parent2.email, acteurs.assmat.user.email]
    )
    assert all(lien in m.body and m.reply_to == ["rpe@garrigues.fr"] for m in mail.outbox)
    assert "Non prévenu" not in html
    # A retried task sends nothing more.
    assert emails.inviter_a_signer(document_id=document.pk) == 0
    assert len(mail.outbox) == 3


def test_une_partie_sans_adresse_est_nommee_comme_non_prevenue(client, acteurs, django_capture_on_commit_callbacks):
    acteurs.assmat.user.email = ""
    acteurs.assmat.user.save()
    convention = preparer(acteurs)
    client.force_login(acteurs.animatrice)

    with django_capture_on_commit_callbacks():
        html = client.post(reverse("tiers_payant:envoyer", args=[convention.pk]), follow=True).content.decode()
    emails.inviter_a_signer(document_id=selectors.document_a_signer(convention).pk)
    envoyer_en_attente()

    assert [m.to for m in mail.outbox] == [[acteurs.parent.email]]
    assert "faute d&#x27;adresse sur le portail : assistant·e maternel·le Sylvie Nounou" in html


def test_la_liste_des_assistantes_maternelles_dit_leur_commune_et_leur_agrement(client, acteurs):
    client.force_login(acteurs.agent)

    html = client.get(reverse("tiers_payant:preparer")).content.decode()

    assmat = acteurs.assmat
    attendu = f"{assmat.prenom} {assmat.nom} – {assmat.commune.nom} (agrément {assmat.agrement.numero})"
    assert f'<option value="{assmat.pk}">{escape(attendu)}</option>' in html
