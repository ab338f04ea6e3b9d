"""An appointment's life: proposed, moved, cancelled, held or missed; the family's calendar follows one event, and the
family confirms it or asks to move it from its page."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from courriels.models import Email
from courriels.services import envoyer_en_attente
from demandes import services
from demandes.anonymisation import anonymiser_demande
from demandes.models import Demande, HistoriqueDemande, RendezVous, Statut, sujet_des_emails
from indicateurs import calculs
from tests.demandes.factories import DemandeFactory, RendezVousFactory

pytestmark = pytest.mark.django_db


def _ics(email: Email) -> dict[str, str]:
    """The calendar file's properties, unfolded (RFC 5545 3.1), by name."""
    lignes = email.piece_jointe.replace("\r\n ", "").split("\r\n")
    return {ligne.split(":", 1)[0].split(";", 1)[0]: ligne for ligne in lignes if ":" in ligne}


def _dernier_email(demande) -> Email:
    return Email.objects.filter(sujet_de=sujet_des_emails(demande.pk)).order_by("pk").last()


@pytest.fixture
def demande(relais, animatrice, parent):
    return DemandeFactory(relais=relais, parent=parent, prise_par=animatrice, statut=Statut.PRISE_EN_CHARGE)


def _proposer(demande, animatrice, dans=timedelta(days=3)):
    return services.proposer_rendez_vous(
        demande_id=demande.pk,
        par=animatrice,
        debut=timezone.now() + dans,
        modalite="sur_place",
        lieu="Relais, 1 place de la Mairie",
    )


# --- The family's calendar: one event -------------------------------------------------------------------------


def test_deplacer_le_rendez_vous_met_a_jour_le_meme_evenement_dans_l_agenda_de_la_famille(demande, animatrice):
    rendez_vous = _proposer(demande, animatrice)
    invitation = _ics(_dernier_email(demande))
    nouveau_debut = timezone.now() + timedelta(days=5)

    services.deplacer_rendez_vous(
        demande_id=demande.pk, par=animatrice, debut=nouveau_debut, modalite="telephone", duree_minutes=30
    )

    mise_a_jour = _ics(_dernier_email(demande))
    assert RendezVous.objects.filter(demande=demande).count() == 1
    assert mise_a_jour["UID"] == invitation["UID"] == f"UID:rdv-{rendez_vous.pk}@127.0.0.1"
    assert (invitation["SEQUENCE"], mise_a_jour["SEQUENCE"]) == ("SEQUENCE:0", "SEQUENCE:1")
    assert mise_a_jour["METHOD"] == "METHOD:REQUEST"
    assert mise_a_jour["STATUS"] == "STATUS:CONFIRMED"
    assert mise_a_jour["DTSTART"] != invitation["DTSTART"]
    assert "Par téléphone" in mise_a_jour["LOCATION"]
    demande.refresh_from_db()
    assert demande.statut == Statut.RDV_PROPOSE
    assert "déplacé au" in demande.historique.last().note


def test_annuler_le_rendez_vous_le_retire_de_l_agenda_et_rouvre_la_demande(demande, animatrice):
    rendez_vous = _proposer(demande, animatrice)
    invitation = _ics(_dernier_email(demande))

    services.annuler_rendez_vous(demande_id=demande.pk, par=animatrice, motif="Animatrice en arrêt maladie")

    annulation = _ics(_dernier_email(demande))
    assert annulation["METHOD"] == "METHOD:CANCEL"
    assert annulation["STATUS"] == "STATUS:CANCELLED"
    assert annulation["UID"] == invitation["UID"]
    assert annulation["SEQUENCE"] == "SEQUENCE:1"
    assert "Animatrice en arrêt maladie" in _dernier_email(demande).corps
    rendez_vous.refresh_from_db()
    assert (rendez_vous.statut, rendez_vous.motif_annulation) == (
        RendezVous.Statut.ANNULE,
        "Animatrice en arrêt maladie",
    )
    demande.refresh_from_db()
    assert demande.statut == Statut.PRISE_EN_CHARGE
    assert "annulé : Animatrice en arrêt maladie" in demande.historique.last().note


def test_l_invitation_vient_du_relais_et_son_uid_du_site_configure(demande, animatrice, relais, settings):
    settings.SITE_URL = "https://guichet.exemple.fr"
    relais.email = "rpe.garrigues@exemple.fr"
    relais.save()

    rendez_vous = _proposer(demande, animatrice)

    proprietes = _ics(_dernier_email(demande))
    assert proprietes["UID"] == f"UID:rdv-{rendez_vous.pk}@guichet.exemple.fr"
    assert proprietes["ORGANIZER"] == 'ORGANIZER;CN="RPE des Garrigues":mailto:rpe.garrigues@exemple.fr'
    assert proprietes["ATTENDEE"].endswith(f"mailto:{demande.parent.email}")


def test_aucune_ligne_du_fichier_agenda_ne_depasse_75_octets(demande, animatrice):
    services.proposer_rendez_vous(
        demande_id=demande.pk,
        par=animatrice,
        debut=timezone.now() + timedelta(days=3),
        modalite="sur_place",
        lieu="Salle polyvalente Émile-Zola, deuxième étage, porte au fond du couloir à gauche après l'accueil",
    )

    contenu = _dernier_email(demande).piece_jointe
    assert all(len(ligne.encode()) <= 75 for ligne in contenu.split("\r\n"))
    assert "deuxième étage\\, porte au fond du couloir" in contenu.replace("\r\n ", "")


def test_la_famille_recoit_l_invitation_puis_sa_mise_a_jour_en_pieces_jointes(demande, animatrice):
    _proposer(demande, animatrice)
    services.deplacer_rendez_vous(
        demande_id=demande.pk, par=animatrice, debut=timezone.now() + timedelta(days=6), modalite="telephone"
    )

    envoyer_en_attente()

    sujets = [m.subject for m in mail.outbox]
    assert any("Votre rendez-vous est déplacé" in sujet for sujet in sujets)
    deplace = next(m for m in mail.outbox if "déplacé" in m.subject)
    assert deplace.attachments[0][0] == "rendez-vous.ics"


def test_un_second_rendez_vous_n_est_pas_propose_tant_qu_un_autre_est_prevu(demande, animatrice):
    _proposer(demande, animatrice)

    with pytest.raises(services.TransitionInterdite, match="déjà prévu"):
        _proposer(demande, animatrice, dans=timedelta(days=9))

    assert RendezVous.objects.filter(demande=demande).count() == 1


def test_la_base_refuse_deux_rendez_vous_prevus_pour_une_demande(demande, animatrice):
    RendezVousFactory(demande=demande)

    with pytest.raises(IntegrityError):
        RendezVousFactory(demande=demande)


# --- Outcomes --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("noter", [services.noter_rendez_vous_realise, services.noter_famille_absente])
def test_l_issue_d_un_rendez_vous_a_venir_est_refusee_et_rien_ne_change(noter, animatrice, relais):
    rendez_vous = RendezVousFactory(demande__relais=relais, demande__prise_par=animatrice)
    demande = rendez_vous.demande

    with pytest.raises(services.TransitionInterdite, match="Le rendez-vous n'a pas encore eu lieu"):
        noter(demande_id=demande.pk, par=animatrice)

    rendez_vous.refresh_from_db()
    demande.refresh_from_db()
    assert (rendez_vous.statut, rendez_vous.issue_le) == (RendezVous.Statut.PREVU, None)
    assert demande.statut == Statut.RDV_PROPOSE
    assert not HistoriqueDemande.objects.filter(demande=demande).exists()


def test_la_page_refuse_l_issue_d_un_rendez_vous_a_venir_avec_un_message(client, animatrice, relais):
    rendez_vous = RendezVousFactory(demande__relais=relais, demande__prise_par=animatrice)
    client.force_login(animatrice)

    reponse = client.post(
        reverse("demandes:constater", args=[rendez_vous.demande_id]), {"issue": "realise"}, follow=True
    )

    assert "Le rendez-vous n&#x27;a pas encore eu lieu" in reponse.content.decode()
    rendez_vous.refresh_from_db()
    assert rendez_vous.statut == RendezVous.Statut.PREVU


def test_la_base_refuse_une_issue_notee_avant_le_debut_du_rendez_vous(animatrice, relais):
    rendez_vous = RendezVousFactory(demande__relais=relais)

    with pytest.raises(IntegrityError):
        RendezVous.objects.filter(pk=rendez_vous.pk).update(statut=RendezVous.Statut.REALISE, issue_le=timezone.now())


def test_le_rendez_vous_realise_ouvre_les_propositions(client, animatrice, relais):
    rendez_vous = RendezVousFactory(
        demande__relais=relais, demande__prise_par=animatrice, debut=timezone.now() - timedelta(hours=1)
    )
    client.force_login(animatrice)

    client.post(reverse("demandes:constater", args=[rendez_vous.demande_id]), {"issue": "realise", "note": "Reçue"})

    rendez_vous.refresh_from_db()
    assert rendez_vous.statut == RendezVous.Statut.REALISE
    assert rendez_vous.demande.statut == Statut.RDV_REALISE


def test_la_famille_absente_garde_sa_demande_ouverte_pour_un_autre_rendez_vous(client, animatrice, relais):
    rendez_vous = RendezVousFactory(
        demande__relais=relais, demande__prise_par=animatrice, debut=timezone.now() - timedelta(hours=1)
    )
    demande = rendez_vous.demande
    client.force_login(animatrice)

    reponse = client.post(reverse("demandes:constater", args=[demande.pk]), {"issue": "famille_absente"}, follow=True)

    rendez_vous.refresh_from_db()
    demande.refresh_from_db()
    assert rendez_vous.statut == RendezVous.Statut.FAMILLE_ABSENTE
    assert demande.statut == Statut.PRISE_EN_CHARGE
    assert demande.historique.last().note.startswith("Famille absente au rendez-vous du ")
    assert "Proposer un rendez-vous" in reponse.content.decode()
    _proposer(demande, animatrice)
    assert RendezVous.objects.filter(demande=demande, statut=RendezVous.Statut.PREVU).count() == 1


def test_un_rendez_vous_annule_ou_manque_n_est_pas_un_premier_rendez_vous_pour_l_indicateur(relais):
    tenu = RendezVousFactory(demande__relais=relais, debut=timezone.now() - timedelta(days=1))
    tenu.demande.date_depot = timezone.now() - timedelta(days=3)
    tenu.demande.save(update_fields=["date_depot"])
    RendezVous.objects.filter(pk=tenu.pk).update(statut=RendezVous.Statut.REALISE, issue_le=timezone.now())
    for issue in (RendezVous.Statut.ANNULE, RendezVous.Statut.FAMILLE_ABSENTE):
        manque = RendezVousFactory(demande__relais=relais, debut=timezone.now() - timedelta(days=1))
        RendezVous.objects.filter(pk=manque.pk).update(
            statut=issue, issue_le=timezone.now(), motif_annulation="Empêchement" if issue == "annule" else ""
        )

    resultat = calculs.delai_premier_rendez_vous([relais.pk], timezone.localdate().year)[relais.pk]

    assert resultat.ids_numerateur == [tenu.demande_id]


# --- A request that closes takes its appointment to come with it -------------------------------------------------


def _emails_de_la_famille(demande) -> list[Email]:
    return list(Email.objects.filter(sujet_de=sujet_des_emails(demande.pk), destinataire=demande.parent.email))


def test_la_famille_qui_retire_sa_demande_voit_le_rendez_vous_retire_de_son_agenda(demande, animatrice):
    rendez_vous = _proposer(demande, animatrice)
    invitation = _ics(_dernier_email(demande))

    services.retirer(demande_id=demande.pk, par=demande.parent, motif="Place trouvée en crèche")

    rendez_vous.refresh_from_db()
    assert rendez_vous.statut == RendezVous.Statut.ANNULE
    assert rendez_vous.motif_annulation == "Demande retirée par la famille : Place trouvée en crèche"
    annulation = _emails_de_la_famille(demande)[-1]
    proprietes = _ics(annulation)
    assert (proprietes["METHOD"], proprietes["STATUS"]) == ("METHOD:CANCEL", "STATUS:CANCELLED")
    assert (proprietes["UID"], proprietes["SEQUENCE"]) == (invitation["UID"], "SEQUENCE:1")
    assert "le fichier joint le retire de votre agenda" in annulation.corps


def test_sans_solution_la_famille_recoit_un_seul_e_mail_qui_annule_aussi_le_rendez_vous(demande, animatrice):
    rendez_vous = _proposer(demande, animatrice)
    avant = len(_emails_de_la_famille(demande))

    services.declarer_sans_solution(demande_id=demande.pk, par=animatrice, motif="Aucune place sur la commune")

    rendez_vous.refresh_from_db()
    assert (rendez_vous.statut, rendez_vous.motif_annulation) == (
        RendezVous.Statut.ANNULE,
        "Sans solution : Aucune place sur la commune",
    )
    nouveaux = _emails_de_la_famille(demande)[avant:]
    assert len(nouveaux) == 1
    assert "Pas de solution d'accueil" in nouveaux[0].sujet
    assert "Aucune place sur la commune" in nouveaux[0].corps
    assert _ics(nouveaux[0])["METHOD"] == "METHOD:CANCEL"


def test_la_cloture_sans_reponse_annule_le_rendez_vous_encore_a_venir(demande, animatrice):
    rendez_vous = _proposer(demande, animatrice, dans=timedelta(days=90))

    with time_machine.travel(timezone.now() + timedelta(days=61)):  # the relais' delay: 60 days
        services.cloturer(demande_id=demande.pk)

    rendez_vous.refresh_from_db()
    assert rendez_vous.statut == RendezVous.Statut.ANNULE
    assert "Demande clôturée" in rendez_vous.motif_annulation
    assert _ics(_emails_de_la_famille(demande)[-1])["METHOD"] == "METHOD:CANCEL"


def test_la_page_d_une_demande_close_ne_montre_plus_le_rendez_vous_comme_prevu(client, demande, animatrice):
    _proposer(demande, animatrice)
    services.retirer(demande_id=demande.pk, par=demande.parent, motif="Déménagement")
    client.force_login(animatrice)

    contenu = client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()

    assert "<strong>annulé</strong> (Demande retirée par la famille : Déménagement)" in contenu
    assert "pas encore confirmé par la famille" not in contenu


def test_un_rendez_vous_passe_dont_l_issue_n_est_pas_notee_reste_prevu_a_la_fermeture(demande, animatrice, relais):
    Demande.objects.filter(pk=demande.pk).update(date_depot=timezone.now() - timedelta(days=3))
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        rendez_vous = _proposer(demande, animatrice, dans=timedelta(days=1))
    avant = len(_emails_de_la_famille(demande))

    services.declarer_sans_solution(demande_id=demande.pk, par=animatrice, motif="Aucune place")

    rendez_vous.refresh_from_db()
    assert rendez_vous.statut == RendezVous.Statut.PREVU
    nouveaux = _emails_de_la_famille(demande)[avant:]
    assert [email.piece_jointe for email in nouveaux] == [""]
    resultat = calculs.delai_premier_rendez_vous([relais.pk], timezone.localdate().year)[relais.pk]
    assert demande.pk in resultat.ids_numerateur


# --- The family's side ----------------------------------------------------------------------------------------


@pytest.fixture
def rendez_vous_a_venir(relais, animatrice, parent):
    relais.adresse, relais.telephone = "3 rue des Écoles", "04 67 00 11 22"
    relais.save()
    return RendezVousFactory(demande__relais=relais, demande__parent=parent, demande__prise_par=animatrice)


def test_la_famille_voit_son_rendez_vous_avec_l_adresse_et_le_telephone_du_relais(client, rendez_vous_a_venir):
    demande = rendez_vous_a_venir.demande
    client.force_login(demande.parent)

    contenu = client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()

    assert "Mon rendez-vous" in contenu
    assert f"{timezone.localtime(rendez_vous_a_venir.debut):%H:%M}" in contenu
    assert "Par téléphone : le relais vous appelle" in contenu
    assert "3 rue des Écoles, Saint-Clément" in contenu
    assert 'href="tel:0467001122"' in contenu
    assert reverse("demandes:agenda", args=[demande.pk]) in contenu
    assert "Je confirme" in contenu


def test_la_famille_telecharge_son_rendez_vous_pour_son_agenda(client, rendez_vous_a_venir):
    demande = rendez_vous_a_venir.demande
    client.force_login(demande.parent)

    reponse = client.get(reverse("demandes:agenda", args=[demande.pk]))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    assert reponse["Content-Disposition"] == f'attachment; filename="rendez-vous-{demande.reference}.ics"'
    contenu = reponse.content.decode()
    assert "METHOD:PUBLISH\r\n" in contenu
    assert f"UID:rdv-{rendez_vous_a_venir.pk}@127.0.0.1\r\n" in contenu


def test_une_autre_famille_ne_telecharge_pas_le_rendez_vous(client, rendez_vous_a_venir):
    client.force_login(DemandeFactory().parent)

    assert client.get(reverse("demandes:agenda", args=[rendez_vous_a_venir.demande_id])).status_code == 404


def test_la_famille_confirme_et_l_animatrice_le_voit(client, rendez_vous_a_venir, animatrice):
    demande = rendez_vous_a_venir.demande
    client.force_login(demande.parent)

    client.post(reverse("demandes:confirmer_rendez_vous", args=[demande.pk]))

    rendez_vous_a_venir.refresh_from_db()
    assert rendez_vous_a_venir.reponse_famille == RendezVous.ReponseFamille.CONFIRME
    assert demande.historique.last().note.startswith("La famille confirme le rendez-vous du ")
    client.force_login(animatrice)
    assert "Confirmé par la famille" in client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()


def test_la_famille_demande_a_deplacer_et_l_animatrice_est_prevenue(client, rendez_vous_a_venir, animatrice):
    demande = rendez_vous_a_venir.demande
    client.force_login(demande.parent)

    client.post(reverse("demandes:deplacement_souhaite", args=[demande.pk]), {"message": "Plutôt mardi matin."})

    rendez_vous_a_venir.refresh_from_db()
    assert rendez_vous_a_venir.reponse_famille == RendezVous.ReponseFamille.A_DEPLACER
    email = Email.objects.get(sujet_de=sujet_des_emails(demande.pk), destinataire=animatrice.email)
    assert "rendez-vous à déplacer" in email.sujet
    assert "Plutôt mardi matin." in email.corps
    client.force_login(animatrice)
    contenu = client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()
    assert "La famille souhaite le déplacer" in contenu
    assert "« Plutôt mardi matin. »" in contenu


def test_un_rendez_vous_deplace_redemande_la_confirmation_de_la_famille(rendez_vous_a_venir, animatrice):
    demande = rendez_vous_a_venir.demande
    services.demander_deplacement(demande_id=demande.pk, par=demande.parent, message="Plutôt mardi matin.")

    services.deplacer_rendez_vous(
        demande_id=demande.pk, par=animatrice, debut=timezone.now() + timedelta(days=8), modalite="telephone"
    )

    rendez_vous_a_venir.refresh_from_db()
    assert (rendez_vous_a_venir.reponse_famille, rendez_vous_a_venir.message_famille) == ("", "")


def test_une_demande_de_deplacement_sans_message_revient_avec_l_erreur_a_cote_du_champ(client, rendez_vous_a_venir):
    demande = rendez_vous_a_venir.demande
    client.force_login(demande.parent)

    reponse = client.post(reverse("demandes:deplacement_souhaite", args=[demande.pk]), {"message": "  "})

    assert reponse.status_code == 200
    assert re.search(r'id="error_\d+_id_message"', reponse.content.decode())
    rendez_vous_a_venir.refresh_from_db()
    assert rendez_vous_a_venir.reponse_famille == ""
    assert not Email.objects.filter(sujet_de=sujet_des_emails(demande.pk)).exists()


def test_l_animatrice_deplace_le_rendez_vous_depuis_la_page_de_la_demande(client, rendez_vous_a_venir, animatrice):
    demande = rendez_vous_a_venir.demande
    client.force_login(animatrice)
    jour = timezone.localdate() + timedelta(days=10)

    client.post(
        reverse("demandes:deplacer_rendez_vous", args=[demande.pk]),
        {
            "deplacer-date": jour.isoformat(),
            "deplacer-heure": "14:30",
            "deplacer-duree_minutes": "45",
            "deplacer-modalite": "sur_place",
            "deplacer-lieu": "Au relais",
        },
    )

    rendez_vous_a_venir.refresh_from_db()
    assert timezone.localtime(rendez_vous_a_venir.debut).date() == jour
    assert (rendez_vous_a_venir.lieu, rendez_vous_a_venir.sequence) == ("Au relais", 1)


def test_l_anonymisation_efface_le_message_de_la_famille_et_le_motif_d_annulation(rendez_vous_a_venir, animatrice):
    demande = rendez_vous_a_venir.demande
    services.demander_deplacement(demande_id=demande.pk, par=demande.parent, message="Mon fils Jules est malade.")
    services.annuler_rendez_vous(demande_id=demande.pk, par=animatrice, motif="Jules malade, vu avec sa mère.")
    services.declarer_sans_solution(demande_id=demande.pk, par=animatrice, motif="Aucune place.")

    anonymiser_demande(demande_id=demande.pk, maintenant=timezone.now())

    rendez_vous_a_venir.refresh_from_db()
    assert (rendez_vous_a_venir.message_famille, rendez_vous_a_venir.motif_annulation) == ("", "[anonymisé]")
