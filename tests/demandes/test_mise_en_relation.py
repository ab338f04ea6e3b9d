"""Matching a request with the childminders and structures of its relais."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assmats.models import DisponibiliteStructure
from courriels.models import Email
from demandes import matching, services
from demandes.models import Proposition, Statut, sujet_des_emails
from relais.models import Epci
from tests.assmats.factories import (
    AccueilFactory,
    AgrementFactory,
    AssistantMaternelFactory,
    DisponibiliteFactory,
    LabelAvipFactory,
    StructureFactory,
)
from tests.demandes.factories import DemandeFactory
from tests.factories import CommuneFactory, MembreRelaisFactory, RelaisFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def relais():
    ici = CommuneFactory(nom="Clapiers", latitude=43.6578, longitude=3.8889)
    proche = CommuneFactory(nom="Jacou", latitude=43.6611, longitude=3.9125)
    loin = CommuneFactory(nom="Prades-le-Lez", latitude=43.6978, longitude=3.8644)
    return RelaisFactory(commune_siege=ici, communes=[ici, proche, loin])


def _assmat(commune, nom, *, capacite_moins_3=2, dispo=True, **agrement):
    assmat = AssistantMaternelFactory(nom=nom, commune=commune, email=f"{nom.lower()}@exemple.fr")
    AgrementFactory(assistant_maternel=assmat, capacite_totale=4, capacite_moins_3_ans=capacite_moins_3, **agrement)
    if dispo:
        DisponibiliteFactory(
            assistant_maternel=assmat, jours=[0, 1, 2, 3, 4], heure_debut=time(7, 30), heure_fin=time(18, 30)
        )
    return assmat


def _demande(relais, **kwargs):
    return DemandeFactory(relais=relais, commune=relais.commune_siege, **kwargs)


def _noms(demande):
    return [candidat.assmat.nom for candidat in matching.candidats(demande)]


def test_les_candidates_sont_classees_par_distance(relais):
    communes = {c.nom: c for c in relais.communes.all()}
    _assmat(communes["Prades-le-Lez"], "Loin")
    _assmat(communes["Jacou"], "Proche")
    _assmat(communes["Clapiers"], "Ici")

    assert _noms(_demande(relais)) == ["Ici", "Proche", "Loin"]


def test_sans_coordonnees_la_meme_epci_passe_avant_le_reste_du_territoire():
    epci = Epci.objects.create(code="200000001", nom="CC du Pic")
    ici, voisine, ailleurs = CommuneFactory(epci=epci), CommuneFactory(epci=epci), CommuneFactory()
    relais = RelaisFactory(commune_siege=ici, communes=[ici, voisine, ailleurs])
    _assmat(ailleurs, "Ailleurs")
    _assmat(voisine, "Voisine")

    candidats = matching.candidats(_demande(relais))

    assert [c.assmat.nom for c in candidats] == ["Voisine", "Ailleurs"]
    assert "même EPCI" in candidats[0].raisons


def test_une_assmat_sans_place_pour_un_bebe_n_est_pas_proposee(relais):
    complete = _assmat(relais.commune_siege, "Complete", capacite_moins_3=1)
    AccueilFactory(assistant_maternel=complete, date_naissance=timezone.localdate() - timedelta(days=300))
    _assmat(relais.commune_siege, "Libre")

    assert _noms(_demande(relais)) == ["Libre"]


def test_l_age_est_celui_de_l_enfant_a_la_date_de_debut(relais):
    complete_bebes = _assmat(relais.commune_siege, "PlusDeBebe", capacite_moins_3=1)
    AccueilFactory(assistant_maternel=complete_bebes, date_naissance=timezone.localdate() - timedelta(days=300))
    debut = timezone.localdate() + timedelta(days=90)
    grand = _demande(relais, enfant_date=debut - timedelta(days=3 * 366), date_debut_souhaitee=debut)

    assert "PlusDeBebe" in _noms(grand)


def test_un_agrement_expire_a_la_date_de_debut_exclut_l_assmat(relais):
    _assmat(relais.commune_siege, "Expiree", date_fin_validite=timezone.localdate() + timedelta(days=10))

    assert _noms(_demande(relais)) == []


def test_les_assmats_d_un_autre_relais_ne_sont_jamais_proposees(relais):
    _assmat(RelaisFactory().commune_siege, "Autre")

    assert _noms(_demande(relais)) == []


def test_les_horaires_atypiques_demandes_doivent_etre_acceptes(relais):
    _assmat(relais.commune_siege, "Semaine")
    _assmat(relais.commune_siege, "Samedi", samedi=True)
    samedi = [
        *[{"jour": j, "debut": "08:30", "fin": "17:30"} for j in range(5)],
        {"jour": 5, "debut": "09:00", "fin": "12:00"},
    ]

    assert _noms(_demande(relais, creneaux=samedi, horaires_atypiques=["samedi"])) == ["Samedi"]


def test_des_horaires_hors_de_la_plage_declaree_passent_apres_et_sont_signales(relais):
    _assmat(relais.commune_siege, "Courte")
    _assmat(relais.commune_siege, "SansDeclaration", dispo=False)
    tot = [{"jour": j, "debut": "07:45", "fin": "18:00"} for j in range(5)]
    _assmat(relais.commune_siege, "Compatible")

    candidats = matching.candidats(_demande(relais, creneaux=tot))

    assert [c.horaires_compatibles for c in candidats] == [True, True, None]
    assert "horaires à vérifier : pas de disponibilités déclarées" in candidats[-1].raisons


def test_les_assmats_avip_passent_en_premier_pour_une_famille_en_insertion(relais):
    communes = {c.nom: c for c in relais.communes.all()}
    _assmat(relais.commune_siege, "Ici")
    avip = _assmat(communes["Prades-le-Lez"], "Avip")
    LabelAvipFactory(assistant_maternel=avip, date_debut=date(2025, 1, 1))

    assert _noms(_demande(relais, situation_parent1="recherche_emploi")) == ["Avip", "Ici"]
    assert _noms(_demande(relais)) == ["Ici", "Avip"]


def test_chaque_candidate_vient_avec_ses_raisons(relais):
    _assmat(relais.commune_siege, "Ici")

    raisons = matching.candidats(_demande(relais))[0].raisons

    assert raisons[0].startswith("2 place(s) libre(s) pour cet âge")
    assert "même commune" in raisons
    assert any(raison.startswith("horaires compatibles") for raison in raisons)


def test_une_structure_avec_des_places_est_listee(relais):
    structure = StructureFactory(commune=relais.commune_siege, nom="Les Lucioles")
    DisponibiliteStructure.objects.create(
        structure=structure,
        a_partir_du=timezone.localdate(),
        places_moins_3_ans=1,
        declaree_par=UserFactory(animateur=True),
    )

    assert [s.nom for s in matching.structures(_demande(relais))] == ["Les Lucioles"]


def test_proposer_une_assmat_previent_la_famille_et_l_assmat(relais):
    assmat = _assmat(relais.commune_siege, "Durand")
    demande = _demande(relais, rdv_realise=True)

    proposition = services.enregistrer_proposition(
        demande_id=demande.pk, par=demande.prise_par, mode="", assistant_maternel_id=assmat.pk
    )

    assert (proposition.assistant_maternel, proposition.mode) == (assmat, "assmat")
    demande.refresh_from_db()
    assert demande.statut == Statut.PROPOSITIONS_FAITES
    destinataires = set(Email.objects.values_list("destinataire", flat=True))
    assert {"durand@exemple.fr", demande.parent.email} <= destinataires


def test_on_ne_propose_pas_deux_fois_la_meme_assmat(relais):
    assmat = _assmat(relais.commune_siege, "Durand")
    demande = _demande(relais, rdv_realise=True)
    services.enregistrer_proposition(
        demande_id=demande.pk, par=demande.prise_par, mode="", assistant_maternel_id=assmat.pk
    )

    with pytest.raises(services.TransitionInterdite, match="déjà été proposé"):
        services.enregistrer_proposition(
            demande_id=demande.pk, par=demande.prise_par, mode="", assistant_maternel_id=assmat.pk
        )


def test_une_animatrice_ne_peut_pas_proposer_l_assmat_d_un_autre_territoire(relais):
    autre = _assmat(RelaisFactory().commune_siege, "Autre")
    demande = _demande(relais, rdv_realise=True)

    with pytest.raises(Exception, match="No AssistantMaternel matches"):
        services.enregistrer_proposition(
            demande_id=demande.pk, par=demande.prise_par, mode="", assistant_maternel_id=autre.pk
        )
    assert not Proposition.objects.exists()


def test_l_assmat_voit_la_proposition_sans_l_identite_de_la_famille(client, relais):
    assmat = _assmat(relais.commune_siege, "Durand")
    demande = _demande(relais, rdv_realise=True, parent__last_name="Zidane")
    services.enregistrer_proposition(
        demande_id=demande.pk, par=demande.prise_par, mode="", assistant_maternel_id=assmat.pk
    )
    client.force_login(assmat.user)

    html = client.get(reverse("demandes:propositions_assmat")).content.decode()

    assert "J'accepte d'être contactée" in html
    assert "Zidane" not in html
    assert demande.telephone not in html


def test_l_assmat_accepte_d_etre_contactee_et_la_famille_recoit_ses_coordonnees(client, relais):
    assmat = _assmat(relais.commune_siege, "Durand")
    demande = _demande(relais, rdv_realise=True)
    proposition = services.enregistrer_proposition(
        demande_id=demande.pk, par=demande.prise_par, mode="", assistant_maternel_id=assmat.pk
    )
    client.force_login(assmat.user)

    client.post(reverse("demandes:repondre_proposition", args=[proposition.pk]), {"reponse": "oui"})

    proposition.refresh_from_db()
    assert proposition.reponse_assmat == "accepte"
    assert proposition.repondu_le is not None
    dernier = Email.objects.filter(destinataire=demande.parent.email).order_by("-pk").first()
    assert assmat.telephone in dernier.corps
    client.force_login(demande.parent)
    assert (
        "accepte d&#x27;être contactée" in client.get(reverse("demandes:detail", args=[demande.pk])).content.decode()
    )


def test_une_autre_assmat_ne_peut_pas_repondre_a_sa_place(client, relais):
    assmat = _assmat(relais.commune_siege, "Durand")
    demande = _demande(relais, rdv_realise=True)
    proposition = services.enregistrer_proposition(
        demande_id=demande.pk, par=demande.prise_par, mode="", assistant_maternel_id=assmat.pk
    )
    client.force_login(_assmat(relais.commune_siege, "Intruse").user)

    assert (
        client.post(reverse("demandes:repondre_proposition", args=[proposition.pk]), {"reponse": "oui"}).status_code
        == 404
    )
    proposition.refresh_from_db()
    assert proposition.reponse_assmat == ""


def test_la_page_de_mise_en_relation_montre_les_candidates_et_leurs_raisons(client, relais):
    _assmat(relais.commune_siege, "Durand")
    demande = _demande(relais, rdv_realise=True)
    client.force_login(demande.prise_par)

    html = client.get(reverse("demandes:mise_en_relation", args=[demande.pk])).content.decode()

    assert "Durand" in html
    assert "même commune" in html
    assert "Proposer" in html


def test_proposer_depuis_la_page_de_mise_en_relation(client, relais):
    assmat = _assmat(relais.commune_siege, "Durand")
    demande = _demande(relais, rdv_realise=True)
    client.force_login(demande.prise_par)

    client.post(reverse("demandes:proposer_offre", args=[demande.pk]), {"assistant_maternel_id": assmat.pk})

    assert Proposition.objects.get().assistant_maternel == assmat
    assert len(mail.outbox) == 0  # the outbox is drained by the worker, not in the request


@pytest.mark.parametrize(
    ("email", "annonce", "courriels"),
    [
        ("durand@exemple.fr", "la famille et l&#x27;assistant·e maternel·le sont prévenues par e-mail", 2),
        ("", "Durand n&#x27;a pas d&#x27;adresse e-mail : appelez-la au 04 67 00 00 01", 1),
    ],
)
def test_la_page_dit_qui_a_ete_prevenu_par_e_mail(client, relais, email, annonce, courriels):
    assmat = _assmat(relais.commune_siege, "Durand")
    assmat.email, assmat.telephone = email, "04 67 00 00 01"
    assmat.save()
    demande = _demande(relais, rdv_realise=True)
    client.force_login(demande.prise_par)

    reponse = client.post(
        reverse("demandes:proposer_offre", args=[demande.pk]), {"assistant_maternel_id": assmat.pk}, follow=True
    )

    assert annonce in reponse.content.decode()
    assert Email.objects.filter(sujet_de=sujet_des_emails(demande.pk)).count() == courriels


def test_la_mise_en_relation_fait_un_nombre_de_requetes_constant(client, relais, django_assert_max_num_queries):
    for numero in range(12):
        _assmat(relais.commune_siege, f"Assmat{numero}")
    demande = _demande(relais, rdv_realise=True)
    client.force_login(demande.prise_par)

    with django_assert_max_num_queries(12):
        client.get(reverse("demandes:mise_en_relation", args=[demande.pk]))


def test_pour_une_urgence_les_places_sont_cherchees_des_aujourd_hui(relais):
    aujourd_hui = timezone.localdate()
    # Her only place for a baby frees in six weeks: an answer for the start date typed, none for an urgency.
    libre_plus_tard = _assmat(relais.commune_siege, "Plustard", capacite_moins_3=1)
    AccueilFactory(
        assistant_maternel=libre_plus_tard,
        date_naissance=aujourd_hui - timedelta(days=300),
        date_fin=aujourd_hui + timedelta(days=40),
    )
    _assmat(relais.commune_siege, "Libre")
    debut = aujourd_hui + timedelta(days=60)

    assert sorted(_noms(_demande(relais, date_debut_souhaitee=debut))) == ["Libre", "Plustard"]
    assert _noms(_demande(relais, date_debut_souhaitee=debut, urgente=True)) == ["Libre"]


def test_une_urgence_qui_contredit_sa_date_de_debut_est_signalee_a_l_animatrice(client, relais):
    aujourd_hui = timezone.localdate()
    animatrice = MembreRelaisFactory(relais=relais).user
    contredite = _demande(relais, urgente=True, date_debut_souhaitee=aujourd_hui + timedelta(days=45))
    coherente = _demande(relais, urgente=True, date_debut_souhaitee=aujourd_hui + timedelta(days=2))
    client.force_login(animatrice)

    def alerte(demande, page):
        contenu = client.get(reverse(page, args=[demande.pk])).content.decode()
        return "Besoin déclaré urgent (réponse sous 24 h), mais début souhaité le" in contenu

    assert alerte(contredite, "demandes:detail")
    assert alerte(contredite, "demandes:mise_en_relation")
    assert not alerte(coherente, "demandes:detail")
    assert "Urgence à vérifier" in client.get(reverse("demandes:file")).content.decode()


def test_la_famille_ne_voit_pas_l_alerte_reservee_a_l_animatrice(client, relais):
    contredite = _demande(relais, urgente=True, date_debut_souhaitee=timezone.localdate() + timedelta(days=45))
    client.force_login(contredite.parent)

    contenu = client.get(reverse("demandes:detail", args=[contredite.pk])).content.decode()

    assert "vérifiez avec la famille" not in contenu
