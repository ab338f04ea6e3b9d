"""A parent or a childminder deletes their account: what is blanked, what is kept, and the way out."""

from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from dateutil.relativedelta import relativedelta
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assmats.models import Accueil, Disponibilite, TrancheAge
from assmats.selectors import candidats_du_relais
from audit.models import AuditLog
from courriels.models import Email
from demandes.models import HistoriqueDemande, NotePrivee, Proposition, RendezVous, Statut, sujet_des_emails
from formation.models import SouhaitFormation
from rgpd import services
from tests.assmats.factories import AccueilFactory, AgrementFactory, DisponibiliteFactory, SignalementFactory
from tests.demandes.factories import DemandeFactory, RendezVousFactory
from tests.factories import PASSWORD, RelaisFactory, UserFactory
from tests.formation.factories import PropositionFactory, SouhaitFactory
from tests.tiers_payant.factories import ConventionFactory
from tiers_payant.models import DocumentConvention
from tiers_payant.models import Statut as StatutConvention

pytestmark = pytest.mark.django_db

URL = reverse("rgpd:supprimer_compte")


def _supprimer(client, user, **donnees):
    client.force_login(user)
    return client.post(URL, donnees or {"mot_de_passe": PASSWORD})


def _demande_close_complete(parent):
    """A request closed « sans solution » with every kind of personal data the family and the relais typed."""
    demande = DemandeFactory(
        parent=parent,
        sans_solution=True,
        telephone="06 11 22 33 44",
        enfant_prenom="Léonie",
        enfant_date=date(2025, 3, 17),
        date_debut_souhaitee=date(2025, 9, 1),
        second_responsable_prenom="Paul",
        second_responsable_nom="Martin",
        second_responsable_email="paul.martin@exemple.fr",
        numero_caf="1234567",
        quotient_familial=650,
        commentaire="Notre fils est allergique aux arachides.",
        motif_fin="Aucune place près de chez nous.",
    )
    HistoriqueDemande.objects.create(demande=demande, de="prise_en_charge", vers="sans_solution", note="Vu Mme X.")
    NotePrivee.objects.create(demande=demande, auteur=demande.prise_par, texte="Situation familiale difficile.")
    RendezVous.objects.create(
        demande=demande,
        debut=timezone.now(),
        modalite=RendezVous.Modalite.SUR_PLACE,
        lieu="Chez la famille, 4 rue des Lilas",
        auteur=demande.prise_par,
    )
    Proposition.objects.create(
        demande=demande, mode="creche", description="Crèche des Lilas", auteur=demande.prise_par
    )
    Email.objects.create(
        destinataire=parent.email,
        sujet="Votre demande",
        corps="Bonjour Léonie",
        sujet_de=sujet_des_emails(demande.pk),
    )
    return demande


def test_la_page_explique_ce_qui_est_efface_et_ce_qui_est_conserve(client):
    client.force_login(UserFactory())

    page = client.get(URL).content.decode()

    assert "Ce qui est effacé" in page
    assert "Ce qui est conservé, et pourquoi" in page
    assert 'name="mot_de_passe"' in page


def test_un_parent_supprime_son_compte_le_compte_est_vide_et_inutilisable(client):
    parent = UserFactory(first_name="Claire", last_name="Dubois", telephone="0611223344")

    reponse = _supprimer(client, parent)

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("portail:accueil")
    parent.refresh_from_db()
    assert parent.email == f"compte-supprime-{parent.pk}@anonyme.invalid"
    assert (parent.first_name, parent.last_name, parent.telephone) == ("", "", "")
    assert not parent.has_usable_password()
    assert not parent.is_active
    assert parent.anonymise_le is not None
    assert not EmailAddress.objects.filter(user=parent).exists()


def test_apres_la_suppression_la_personne_est_deconnectee_avec_un_message(client):
    parent = UserFactory()

    reponse = _supprimer(client, parent)

    messages = [str(m) for m in get_messages(reponse.wsgi_request)]
    assert any("Votre compte est supprimé" in m for m in messages)
    assert client.get(reverse("portail:espace_parent")).status_code == 302


def test_les_autres_sessions_de_la_personne_sont_fermees(client):
    parent = UserFactory()
    autre_appareil = Client()
    autre_appareil.force_login(parent)

    _supprimer(client, parent)

    assert autre_appareil.get(reverse("portail:espace_parent")).status_code == 302


def test_l_adresse_redevient_libre_pour_une_nouvelle_inscription(client):
    parent = UserFactory(email="claire@exemple.fr")

    _supprimer(client, parent)

    assert UserFactory(email="claire@exemple.fr").pk != parent.pk


def test_un_mauvais_mot_de_passe_ne_supprime_rien(client):
    parent = UserFactory(first_name="Claire")
    demande = DemandeFactory(parent=parent)

    reponse = _supprimer(client, parent, mot_de_passe="pas le bon")

    assert reponse.status_code == 200
    assert "Ce mot de passe n&#x27;est pas le bon." in reponse.content.decode()
    parent.refresh_from_db()
    demande.refresh_from_db()
    assert parent.first_name == "Claire"
    assert parent.is_active
    assert demande.statut == Statut.NOUVELLE


def test_sans_mot_de_passe_il_faut_taper_le_mot_de_confirmation(client):
    parent = UserFactory()
    parent.set_unusable_password()
    parent.save()

    refus = _supprimer(client, parent, confirmation="oui")
    accord = client.post(URL, {"confirmation": "supprimer"})

    assert refus.status_code == 200
    assert accord.status_code == 302
    parent.refresh_from_db()
    assert parent.anonymise_le is not None


def test_les_donnees_d_une_demande_close_sont_effacees_les_chiffres_gardes(client):
    parent = UserFactory()
    demande = _demande_close_complete(parent)
    historique = demande.historique.count()

    _supprimer(client, parent)

    demande.refresh_from_db()
    assert demande.anonymise_le is not None
    assert demande.enfant_prenom == "[anonymisé]"
    assert demande.enfant_date == date(2025, 3, 1)
    assert (demande.telephone, demande.numero_caf, demande.commentaire, demande.motif_fin) == ("", "", "", "")
    assert (demande.second_responsable_prenom, demande.second_responsable_nom) == ("", "")
    assert demande.second_responsable_email == ""
    assert demande.quotient_familial is None
    assert demande.tranche_qf == "moins_700"
    # What the indicators count stays.
    assert demande.statut == Statut.SANS_SOLUTION
    assert demande.commune_id is not None
    assert demande.historique.count() == historique
    assert set(demande.historique.values_list("note", flat=True)) == {""}
    assert list(NotePrivee.objects.filter(demande=demande).values_list("texte", flat=True)) == [""]
    assert list(RendezVous.objects.filter(demande=demande).values_list("lieu", flat=True)) == ["[anonymisé]"]
    assert list(Proposition.objects.filter(demande=demande).values_list("description", flat=True)) == [""]
    assert not Email.objects.filter(sujet_de=sujet_des_emails(demande.pk)).exists()


def test_une_demande_en_cours_est_retiree_et_l_animatrice_prevenue_sans_nom(client):
    parent = UserFactory()
    demande = DemandeFactory(parent=parent, prise_en_charge=True, enfant_prenom="Léonie")

    _supprimer(client, parent)

    demande.refresh_from_db()
    assert demande.statut == Statut.RETIREE
    assert demande.anonymise_le is not None
    assert demande.historique.filter(vers=Statut.RETIREE).exists()
    email = Email.objects.get(destinataire=demande.prise_par.email)
    assert "compte supprimé" in email.sujet
    assert "Léonie" not in email.corps


def test_le_rendez_vous_a_venir_d_une_demande_retiree_par_la_suppression_du_compte_est_annule(client):
    parent = UserFactory()
    rendez_vous = RendezVousFactory(demande__parent=parent, debut=timezone.now() + timedelta(days=3))
    adresse = parent.email

    _supprimer(client, parent)

    rendez_vous.refresh_from_db()
    assert rendez_vous.statut == RendezVous.Statut.ANNULE
    assert rendez_vous.issue_le is not None
    assert not Email.objects.filter(destinataire=adresse).exists()  # erased with the account, never sent


def test_le_second_responsable_qui_supprime_son_compte_est_retire_de_la_demande(client):
    second = UserFactory()
    demande = DemandeFactory(
        second_responsable=second,
        second_responsable_prenom="Paul",
        second_responsable_nom="Martin",
        second_responsable_email=second.email,
        enfant_prenom="Léonie",
    )

    _supprimer(client, second)

    demande.refresh_from_db()
    assert demande.second_responsable is None
    assert (demande.second_responsable_prenom, demande.second_responsable_email) == ("", "")
    # The other parent's request is theirs: it goes on.
    assert demande.enfant_prenom == "Léonie"
    assert demande.anonymise_le is None


def test_les_demandes_d_accueil_alternatif_du_parent_sont_anonymisees(client):
    proposition = PropositionFactory(type="autre", description="Mme Durand, voisine, le mardi.")
    demande = proposition.demande
    demande.commentaire = "Il dort l'après-midi."
    demande.save()

    _supprimer(client, demande.parent)

    demande.refresh_from_db()
    proposition.refresh_from_db()
    assert demande.anonymise_le is not None
    assert (demande.prenom_enfant, demande.nom_parent) == ("[anonymisé]", "[anonymisé]")
    assert (demande.email_parent, demande.telephone_parent, demande.commentaire) == ("", "", "")
    assert proposition.description == "[anonymisé]"
    assert demande.propositions.count() == 1


def test_une_convention_active_est_conservee_et_la_page_le_dit(client):
    convention = ConventionFactory(active=True, enfant_prenom="Lina")
    DocumentConvention.objects.create(
        convention=convention, nature="signe", contenu=b"%PDF-1.7", sha256="a" * 64, taille=8
    )
    client.force_login(convention.parent)

    page = client.get(URL).content.decode()
    client.post(URL, {"mot_de_passe": PASSWORD})

    assert convention.reference in page
    assert "5 ans après sa fin" in page
    convention.refresh_from_db()
    assert convention.statut == StatutConvention.ACTIVE
    assert convention.enfant_prenom == "Lina"
    assert convention.anonymise_le is None
    assert convention.documents.count() == 1


def test_une_convention_terminee_recemment_est_conservee_jusqu_a_la_date_dite(client):
    fin = timezone.localdate() - relativedelta(years=1)
    convention = ConventionFactory(
        statut=StatutConvention.TERMINEE, signee_le=timezone.now(), date_fin_effective=fin, enfant_prenom="Lina"
    )
    client.force_login(convention.parent)

    page = client.get(URL).content.decode()
    services.supprimer_compte(user=convention.parent)

    assert f"conservée jusqu'au {fin.day} " in page
    assert f" {fin.year + 5}</li>" in page
    convention.refresh_from_db()
    assert convention.enfant_prenom == "Lina"


def test_une_convention_non_signee_est_resiliee_et_anonymisee(client):
    convention = ConventionFactory(envoyee=True, enfant_prenom="Lina")

    bilan = services.supprimer_compte(user=convention.parent)

    convention.refresh_from_db()
    assert convention.statut == StatutConvention.RESILIEE
    assert convention.date_fin_effective == timezone.localdate()
    assert convention.anonymise_le is not None
    assert convention.enfant_prenom == "[anonymisé]"
    assert convention.ressources_mensuelles == 0
    assert bilan.conventions_conservees == []


def test_une_convention_terminee_depuis_plus_que_la_duree_legale_est_anonymisee_tout_de_suite():
    fin = timezone.localdate() - relativedelta(years=5, days=1)
    convention = ConventionFactory(
        statut=StatutConvention.TERMINEE, signee_le=timezone.now(), date_fin_effective=fin, enfant_prenom="Lina"
    )

    services.supprimer_compte(user=convention.parent)

    convention.refresh_from_db()
    assert convention.anonymise_le is not None
    assert convention.enfant_prenom == "[anonymisé]"


def test_une_assistante_maternelle_supprime_son_compte(client):
    agrement = AgrementFactory(numero="AGR-34-99999")
    assmat = agrement.assistant_maternel
    assmat.presentation = "Maison avec jardin à Lunel."
    assmat.afficher_disponibilites = assmat.afficher_telephone = True
    assmat.save()
    accueil = AccueilFactory(assistant_maternel=assmat, prenom_enfant="Hugo", date_naissance=date(2024, 6, 18))
    DisponibiliteFactory(assistant_maternel=assmat, commentaire="Le mercredi seulement")
    signalement = SignalementFactory(assistant_maternel=assmat, commentaire="Deux départs à l'école.")
    souhait = SouhaitFactory(assistant_maternel=assmat, precisions="Plutôt le samedi, à Sète.")

    reponse = _supprimer(client, assmat.user)

    assert reponse.status_code == 302
    assmat.refresh_from_db()
    agrement.refresh_from_db()
    accueil.refresh_from_db()
    signalement.refresh_from_db()
    assert assmat.anonymise_le is not None
    assert (assmat.prenom, assmat.nom) == ("", "[anonymisé]")
    assert (assmat.email, assmat.telephone, assmat.adresse, assmat.presentation) == ("", "", "", "")
    assert not assmat.afficher_disponibilites
    assert not assmat.afficher_telephone
    assert not Disponibilite.objects.filter(assistant_maternel=assmat).exists()
    assert agrement.numero == f"ANONYME-{agrement.pk}"
    assert (accueil.prenom_enfant, accueil.date_naissance) == ("[anonymisé]", date(2024, 6, 1))
    assert signalement.commentaire == ""
    assert SouhaitFormation.objects.get(pk=souhait.pk).precisions == ""
    # The capacities, children in care and reports the indicators count stay.
    assert agrement.capacite_totale == 4
    assert Accueil.objects.filter(assistant_maternel=assmat).count() == 1
    assert assmat.commune_id is not None


def test_une_assistante_maternelle_qui_a_supprime_son_compte_n_est_plus_proposee_aux_familles(client):
    restee, partie = (AgrementFactory().assistant_maternel for _ in range(2))
    for assmat in (restee, partie):
        assmat.commune = restee.commune
        assmat.save()
    relais = RelaisFactory(commune_siege=restee.commune)

    _supprimer(client, partie.user)

    candidates = candidats_du_relais(relais.pk, TrancheAge.MOINS_3, timezone.localdate())
    assert list(candidates.values_list("pk", flat=True)) == [restee.pk]


@pytest.mark.parametrize("trait", ["animateur", "agent_caf", "admin"])
def test_le_personnel_ne_supprime_pas_son_compte_lui_meme(trait):
    membre = UserFactory(**{trait: True})

    with pytest.raises(services.SuppressionInterdite):
        services.supprimer_compte(user=membre)

    membre.refresh_from_db()
    assert membre.is_active


def test_un_compte_deja_supprime_ne_l_est_pas_deux_fois():
    parent = UserFactory()
    services.supprimer_compte(user=parent)

    with pytest.raises(services.SuppressionInterdite):
        services.supprimer_compte(user=parent)


def test_la_suppression_est_inscrite_au_journal(client):
    parent = UserFactory()

    _supprimer(client, parent)

    entree = AuditLog.objects.get(action=AuditLog.Action.DELETE, object_type="comptes.user")
    assert entree.object_id == str(parent.pk)
    assert entree.user_id == parent.pk


def test_les_emails_envoyes_a_la_personne_sont_effaces(client):
    parent = UserFactory()
    Email.objects.create(destinataire=parent.email.upper(), sujet="Bienvenue", corps="Bonjour Claire")
    autre = Email.objects.create(destinataire="quelquun@exemple.fr", sujet="Bienvenue", corps="Bonjour")

    _supprimer(client, parent)

    assert list(Email.objects.values_list("pk", flat=True)) == [autre.pk]


def test_les_emails_envoyes_a_l_adresse_de_la_fiche_de_l_assistante_maternelle_sont_effaces(client):
    assmat = AgrementFactory().assistant_maternel
    assmat.email = "contact.pro@exemple.fr"
    assmat.save()
    Email.objects.create(destinataire="contact.pro@exemple.fr", sujet="Une famille", corps="Famille Dubois")

    _supprimer(client, assmat.user)

    assert not Email.objects.exists()


def test_une_demande_deja_anonymisee_n_est_pas_retouchee():
    parent = UserFactory()
    demande = DemandeFactory(parent=parent, retiree=True, anonymise_le=timezone.now() - timedelta(days=3))

    services.supprimer_compte(user=parent)

    demande.refresh_from_db()
    assert demande.anonymise_le < timezone.now() - timedelta(days=2)
