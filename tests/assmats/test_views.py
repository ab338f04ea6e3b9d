from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assmats import services, tasks
from assmats.models import (
    Accueil,
    AssistantMaternel,
    Disponibilite,
    LabelAvip,
    RelanceAffichage,
    SignalementSousActivite,
)
from courriels.services import envoyer_en_attente
from tests.assmats.factories import (
    AccueilFactory,
    AgrementFactory,
    AssistantMaternelFactory,
    SignalementFactory,
    assmat_complete,
)
from tests.factories import AgentCafFactory, MembreRelaisFactory, RelaisFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def relais():
    return RelaisFactory()


@pytest.fixture
def assmat(relais):
    assmat = AssistantMaternelFactory(commune=relais.commune_siege)
    AgrementFactory(assistant_maternel=assmat, capacite_totale=4, capacite_moins_3_ans=3)
    return assmat


def test_une_assmat_cree_son_profil_a_sa_premiere_visite(client, relais):
    user = UserFactory(assmat=True, first_name="Sylvie", last_name="Martin")
    client.force_login(user)

    client.post(
        reverse("assmats:profil"),
        {"prenom": "Sylvie", "nom": "Martin", "telephone": "04 67 11 22 33", "commune": relais.commune_siege.pk},
    )

    fiche = AssistantMaternel.objects.get(user=user)
    assert (fiche.telephone, fiche.commune) == ("0467112233", relais.commune_siege)


def test_le_telephone_n_est_affiche_qu_avec_les_disponibilites(client, assmat):
    client.force_login(assmat.user)

    response = client.post(
        reverse("assmats:profil"),
        {
            "prenom": "S",
            "nom": "M",
            "telephone": "0467112233",
            "commune": assmat.commune.pk,
            "afficher_telephone": "on",
        },
    )

    assert "Le téléphone n&#x27;est affiché qu&#x27;avec vos disponibilités" in response.content.decode()
    assmat.refresh_from_db()
    assert not assmat.afficher_telephone


def test_un_agrement_au_dela_de_la_loi_est_refuse_en_francais(client, assmat):
    client.force_login(assmat.user)

    response = client.post(
        reverse("assmats:agrement"),
        {
            "numero": "AGR-9",
            "date_delivrance": "2025-01-01",
            "date_fin_validite": "2030-01-01",
            "capacite_totale": 7,
            "capacite_moins_3_ans": 5,
            "capacite_periscolaire": 0,
        },
    )

    html = response.content.decode()
    assert "Un agrément autorise de 1 à 6 enfants" in html
    assert "Au plus 4 enfants de moins de 3 ans" in html
    assmat.agrement.refresh_from_db()
    assert assmat.agrement.capacite_totale == 4


def test_le_tableau_de_bord_montre_les_places_derivees(client, assmat):
    AccueilFactory(assistant_maternel=assmat)
    client.force_login(assmat.user)

    html = client.get(reverse("assmats:tableau")).content.decode()

    assert "3 places libres : 2 pour un enfant de tout âge, 1 pour un enfant de 3 ans ou plus seulement" in html


def test_une_assmat_ajoute_un_enfant_accueilli(client, assmat):
    client.force_login(assmat.user)

    client.post(
        reverse("assmats:accueils"),
        {
            "prenom_enfant": "Lina",
            "date_naissance": (timezone.localdate() - timedelta(days=400)).isoformat(),
            "jours": ["0", "1", "3"],
            "heure_debut": "08:00",
            "heure_fin": "17:30",
            "date_debut": timezone.localdate().isoformat(),
        },
    )

    accueil = Accueil.objects.get(assistant_maternel=assmat)
    assert (accueil.prenom_enfant, accueil.jours) == ("Lina", [0, 1, 3])


def test_un_accueil_au_dela_de_l_agrement_est_refuse_dans_le_formulaire(client, assmat):
    AccueilFactory.create_batch(
        4, assistant_maternel=assmat, date_naissance=timezone.localdate() - timedelta(days=2000)
    )
    client.force_login(assmat.user)

    response = client.post(
        reverse("assmats:accueils"),
        {
            "prenom_enfant": "Noé",
            "date_naissance": (timezone.localdate() - timedelta(days=400)).isoformat(),
            "jours": ["0"],
            "heure_debut": "08:00",
            "heure_fin": "17:30",
            "date_debut": timezone.localdate().isoformat(),
        },
    )

    assert "au-delà des 4 de votre agrément" in response.content.decode()
    assert assmat.accueils.count() == 4


def test_une_assmat_ne_voit_pas_les_enfants_d_une_autre(client, assmat):
    autre = AssistantMaternelFactory()
    accueil = AccueilFactory(assistant_maternel=autre)
    client.force_login(assmat.user)

    assert client.get(reverse("assmats:accueil_modifier", args=[accueil.pk])).status_code == 404
    assert client.post(reverse("assmats:accueil_supprimer", args=[accueil.pk])).status_code == 404
    assert Accueil.objects.filter(pk=accueil.pk).exists()


def test_une_assmat_declare_ses_disponibilites_et_elles_sont_confirmees(client, assmat):
    client.force_login(assmat.user)

    client.post(
        reverse("assmats:disponibilites"),
        {
            "a_partir_du": timezone.localdate().isoformat(),
            "places_moins_3_ans": 1,
            "places_plus_3_ans": 2,
            "jours": ["0", "1", "2", "3", "4"],
            "heure_debut": "07:30",
            "heure_fin": "18:30",
            "samedi": "on",
        },
    )

    disponibilite = Disponibilite.objects.get(assistant_maternel=assmat)
    assert (disponibilite.places_moins_3_ans, disponibilite.places_plus_3_ans, disponibilite.samedi) == (1, 2, True)
    assert timezone.now() - disponibilite.confirmee_le < timedelta(minutes=1)


def test_des_disponibilites_sans_aucune_place_sont_refusees(client, assmat):
    client.force_login(assmat.user)

    response = client.post(
        reverse("assmats:disponibilites"),
        {
            "a_partir_du": timezone.localdate().isoformat(),
            "places_moins_3_ans": 0,
            "places_plus_3_ans": 0,
            "jours": ["0"],
            "heure_debut": "08:00",
            "heure_fin": "17:00",
        },
    )

    assert "Indiquez au moins une place disponible" in response.content.decode()
    assert not Disponibilite.objects.exists()


def test_un_clic_confirme_les_disponibilites(client):
    assmat = assmat_complete()
    assmat.disponibilite.confirmee_le = timezone.now() - timedelta(days=100)
    assmat.disponibilite.save()
    client.force_login(assmat.user)

    client.post(reverse("assmats:confirmer_disponibilites"))

    assmat.disponibilite.refresh_from_db()
    assert timezone.now() - assmat.disponibilite.confirmee_le < timedelta(minutes=1)


def test_le_signalement_de_sous_activite_previent_le_relais(
    client, assmat, relais, django_capture_on_commit_callbacks
):
    client.force_login(assmat.user)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("assmats:sous_activite"),
            {"depuis": (timezone.localdate() - timedelta(days=30)).isoformat(), "places_inoccupees": 2},
        )
    tasks.notifier_relais_sous_activite(SignalementSousActivite.objects.get().pk)

    assert len(callbacks) == 1
    envoyer_en_attente()
    assert mail.outbox[-1].to == [relais.email]
    assert "sous-activité" in mail.outbox[-1].body


def test_la_liste_du_relais_filtre_les_assmats_qui_n_affichent_pas(client, relais):
    affichee = assmat_complete(nom="Affichée", commune=relais.commune_siege)
    cachee = AssistantMaternelFactory(nom="Cachée", commune=relais.commune_siege)
    AgrementFactory(assistant_maternel=cachee)
    client.force_login(MembreRelaisFactory(relais=relais).user)

    html = client.get(reverse("assmats:liste"), {"filtre": "non_affichee"}).content.decode()

    assert "Cachée" in html
    assert affichee.nom not in html


def test_la_liste_du_relais_ne_montre_pas_les_assmats_d_un_autre_territoire(client, relais):
    AssistantMaternelFactory(nom="Voisine")
    client.force_login(MembreRelaisFactory(relais=relais).user)

    assert "Voisine" not in client.get(reverse("assmats:liste")).content.decode()


def test_la_liste_fait_un_nombre_de_requetes_constant(client, relais, django_assert_max_num_queries):
    for _ in range(10):
        assmat_complete(commune=relais.commune_siege)
    client.force_login(MembreRelaisFactory(relais=relais).user)

    with django_assert_max_num_queries(9):
        client.get(reverse("assmats:liste"))


def test_la_relance_envoie_un_e_mail_a_chaque_assmat_qui_n_affiche_pas(
    client, relais, django_capture_on_commit_callbacks
):
    for numero in range(3):
        assmat = AssistantMaternelFactory(commune=relais.commune_siege, email=f"am{numero}@exemple.fr")
        AgrementFactory(assistant_maternel=assmat)
    assmat_complete(commune=relais.commune_siege)
    client.force_login(MembreRelaisFactory(relais=relais).user)

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("assmats:relancer"), {"relais": relais.pk, "confirmer": "1"})
    relance = RelanceAffichage.objects.get()
    # The view enqueued the job on commit; run it as the worker would.
    tasks.envoyer_relance_affichage(relance.pk)
    response = client.get(reverse("assmats:relance", args=[relance.pk]))

    assert len(callbacks) == 1
    relance.refresh_from_db()
    assert (relance.destinataires, relance.envoyes) == (3, 3)
    assert relance.terminee_le is not None
    envoyer_en_attente()
    assert sorted(m.to[0] for m in mail.outbox) == ["am0@exemple.fr", "am1@exemple.fr", "am2@exemple.fr"]
    assert "3 e-mails envoyés sur 3" in response.content.decode()


def test_la_relance_montre_ses_destinataires_avant_de_partir(client, relais):
    for prenom in ("Odile", "Rose"):
        AgrementFactory(assistant_maternel=AssistantMaternelFactory(commune=relais.commune_siege, prenom=prenom))
    assmat_complete(commune=relais.commune_siege, prenom="Affichee")
    client.force_login(MembreRelaisFactory(relais=relais).user)

    page = client.post(reverse("assmats:relancer"), {"relais": relais.pk}).content.decode()

    assert "Odile" in page
    assert "Rose" in page
    assert "Affichee" not in page
    assert "Envoyer la relance à ces 2 destinataires" in page
    assert not RelanceAffichage.objects.exists()
    envoyer_en_attente()
    assert mail.outbox == []


def test_une_seconde_relance_dans_le_delai_de_peremption_est_refusee(
    client, relais, django_capture_on_commit_callbacks
):
    AgrementFactory(assistant_maternel=AssistantMaternelFactory(commune=relais.commune_siege))
    client.force_login(MembreRelaisFactory(relais=relais).user)
    confirmee = {"relais": relais.pk, "confirmer": "1"}

    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("assmats:relancer"), confirmee)
        reponse = client.post(reverse("assmats:relancer"), confirmee, follow=True)  # a double click
        apercu = client.post(reverse("assmats:relancer"), {"relais": relais.pk}).content.decode()

    assert RelanceAffichage.objects.count() == 1
    assert "Une relance a déjà été envoyée le" in reponse.content.decode()
    assert "Une relance a déjà été envoyée le" in apercu
    assert "Envoyer la relance" not in apercu


def test_une_relance_est_possible_apres_le_delai_de_peremption(relais):
    AgrementFactory(assistant_maternel=AssistantMaternelFactory(commune=relais.commune_siege))
    animatrice = MembreRelaisFactory(relais=relais).user
    ancienne = RelanceAffichage.objects.create(relais=relais, lancee_par=animatrice, destinataires=1)
    RelanceAffichage.objects.filter(pk=ancienne.pk).update(created_at=timezone.now() - timedelta(days=100))

    services.lancer_relance_affichage(relais=relais, par=animatrice)

    assert RelanceAffichage.objects.count() == 2


def test_la_relance_ne_repart_pas_une_seconde_fois(relais):
    assmat = AssistantMaternelFactory(commune=relais.commune_siege)
    AgrementFactory(assistant_maternel=assmat)
    relance = RelanceAffichage.objects.create(
        relais=relais, lancee_par=MembreRelaisFactory(relais=relais).user, destinataires=1
    )

    tasks.envoyer_relance_affichage(relance.pk)
    tasks.envoyer_relance_affichage(relance.pk)
    envoyer_en_attente()

    assert len(mail.outbox) == 1


def test_un_agent_caf_accorde_le_label_avip(client, relais, assmat):
    client.force_login(AgentCafFactory(departement=relais.departement).user)

    client.post(reverse("assmats:avip", args=[assmat.pk]), {"date": "2026-10-01", "action": "accorder"})

    assert LabelAvip.objects.get(assistant_maternel=assmat).date_debut.isoformat() == "2026-10-01"


def test_une_animatrice_propose_un_entretien_depuis_le_suivi(client, relais, assmat):
    signalement = SignalementFactory(assistant_maternel=assmat)
    client.force_login(MembreRelaisFactory(relais=relais).user)
    quand = (timezone.localtime() + timedelta(days=5)).replace(second=0, microsecond=0)

    client.post(
        reverse("assmats:proposer_entretien", args=[signalement.pk]),
        {"type": "collectif", "date_entretien": quand.strftime("%Y-%m-%dT%H:%M")},
    )

    entretien = signalement.entretiens.get()
    assert (entretien.type, entretien.date_entretien) == ("collectif", quand)


def test_une_structure_sans_places_d_insertion_suffisantes_est_refusee(client, relais):
    client.force_login(MembreRelaisFactory(relais=relais).user)

    response = client.post(
        reverse("assmats:structures"),
        {"type": "creche", "nom": "Les Lucioles", "adresse": "1 rue", "commune": relais.commune_siege.pk,
         "places_moins_3_ans": 30, "places_plus_3_ans": 10, "places_insertion": 1, "places_avip": 0},
    )  # fmt: skip

    assert "Au moins 2 place(s) réservée(s) à l&#x27;insertion pour 40 places" in response.content.decode()


@pytest.mark.parametrize("relais_saisi", ["abc", "1.5", "1" * 5000])
def test_une_relance_pour_un_relais_forge_repond_introuvable(client, relais, relais_saisi):
    client.force_login(MembreRelaisFactory(relais=relais).user)

    reponse = client.post(reverse("assmats:relancer"), {"relais": relais_saisi})

    assert reponse.status_code == 404
    assert not RelanceAffichage.objects.exists()
