"""Pages through the client: rendering with data, forms, and what each role sees."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from formation.models import Inscription, OrganismeFormation, SessionFormation
from tests.assmats.factories import AccueilFactory, AssistantMaternelFactory
from tests.factories import CommuneFactory, MembreRelaisFactory, RelaisFactory
from tests.formation.factories import (
    DemandeAlternativeFactory,
    InscriptionFactory,
    OrganismeFactory,
    PropositionFactory,
    SessionFactory,
    SouhaitFactory,
    ThemeFactory,
    au_debut_de,
)

pytestmark = pytest.mark.django_db


def test_l_assmat_exprime_un_souhait_puis_le_retire(client):
    assmat = AssistantMaternelFactory(commune=RelaisFactory().commune_siege)
    theme = ThemeFactory(handicap=True)
    client.force_login(assmat.user)

    client.post(
        reverse("formation:mes_souhaits"),
        {"theme": theme.pk, "jours_preferes": "samedi", "commune": assmat.commune_id, "precisions": "Autisme"},
    )
    souhait = assmat.souhaits_formation.get()
    page = client.get(reverse("formation:mes_souhaits")).content.decode()
    client.post(reverse("formation:retirer_souhait", args=[souhait.pk]))

    assert (souhait.theme, souhait.jours_preferes, souhait.precisions) == (theme, "samedi", "Autisme")
    assert "Accueil d&#x27;un enfant en situation de handicap" in page
    souhait.refresh_from_db()
    assert souhait.retire_le is not None
    assert "pas encore exprimé de souhait." in client.get(reverse("formation:mes_souhaits")).content.decode()


def test_un_deuxieme_souhait_sur_le_meme_theme_est_refuse_avec_un_message(client):
    souhait = SouhaitFactory(assistant_maternel__commune=RelaisFactory().commune_siege)
    client.force_login(souhait.assistant_maternel.user)

    reponse = client.post(
        reverse("formation:mes_souhaits"),
        {"theme": souhait.theme_id, "jours_preferes": "semaine", "commune": souhait.commune_id},
    )

    assert "Vous avez déjà exprimé un souhait" in reponse.content.decode()


def test_les_sessions_proches_sont_celles_de_sa_commune_ou_du_rayon_avec_des_places(client):
    ici = CommuneFactory(nom="Clapiers", latitude=Decimal("43.6580"), longitude=Decimal("3.8880"))
    voisine = CommuneFactory(nom="Jacou", latitude=Decimal("43.6610"), longitude=Decimal("3.9130"))
    loin = CommuneFactory(nom="Béziers", latitude=Decimal("43.3442"), longitude=Decimal("3.2158"))
    assmat = AssistantMaternelFactory(commune=ici)
    SessionFactory(commune=ici, intitule="Session d'ici")
    SessionFactory(commune=voisine, intitule="Session voisine")
    SessionFactory(commune=loin, intitule="Session lointaine")
    SessionFactory(commune=ici, intitule="Session passée", passee=True)
    complete = SessionFactory(commune=ici, intitule="Session complète", capacite=1)
    InscriptionFactory(session=complete)
    client.force_login(assmat.user)

    html = client.get(reverse("formation:sessions_proches")).content.decode()

    assert "Session d&#x27;ici" in html
    assert "Session voisine" in html
    assert "(2,0 km)" in html
    for absente in ["Session lointaine", "Session passée", "Session complète"]:
        assert absente not in html


def test_l_assmat_s_inscrit_depuis_la_liste_et_retrouve_sa_formation(client):
    session = SessionFactory(intitule="Langage et communication")
    assmat = AssistantMaternelFactory(commune=session.commune)
    client.force_login(assmat.user)

    client.post(reverse("formation:demander_inscription", args=[session.pk]))
    html = client.get(reverse("formation:mes_formations")).content.decode()

    assert Inscription.objects.get().assistant_maternel == assmat
    assert "Langage et communication" in html
    assert "Statut : <strong>inscrite</strong>" in html


def test_l_assmat_declare_un_enfant_concerne_et_son_parent_est_invite(client, django_capture_on_commit_callbacks):
    inscription = InscriptionFactory()
    accueil = AccueilFactory(assistant_maternel=inscription.assistant_maternel, prenom_enfant="Adam")
    client.force_login(inscription.assistant_maternel.user)

    page = client.get(reverse("formation:enfants_concernes", args=[inscription.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("formation:enfants_concernes", args=[inscription.pk]),
            {f"enfant_{accueil.pk}": "on", f"email_{accueil.pk}": "papa.adam@exemple.fr"},
        )

    assert "Adam est concerné·e" in page
    assert inscription.enfants_concernes.get().email_parent == "papa.adam@exemple.fr"
    assert len(callbacks) == 1


def test_l_assmat_ne_voit_pas_l_inscription_d_une_collegue(client):
    inscription = InscriptionFactory()
    client.force_login(AssistantMaternelFactory().user)

    assert client.get(reverse("formation:enfants_concernes", args=[inscription.pk])).status_code == 404


def test_un_organisme_est_enregistre_avec_un_siret_saisi_avec_des_espaces(client):
    client.force_login(MembreRelaisFactory().user)

    client.post(reverse("formation:organismes"), {"nom": "IPERIA", "siret": "732 829 320 00074"})

    assert OrganismeFormation.objects.get().siret == "73282932000074"


def test_un_siret_invalide_est_signale_dans_le_resume_des_erreurs(client):
    client.force_login(MembreRelaisFactory().user)

    html = client.post(reverse("formation:organismes"), {"nom": "Faux", "siret": "73282932000075"}).content.decode()

    assert 'id="resume-erreurs"' in html
    assert "clé de contrôle incorrecte" in html
    assert not OrganismeFormation.objects.exists()


def test_l_animatrice_cree_une_session_qui_repond_a_des_souhaits(client):
    relais = RelaisFactory()
    souhait = SouhaitFactory(assistant_maternel__commune=relais.commune_siege)
    organisme = OrganismeFactory()
    client.force_login(MembreRelaisFactory(relais=relais).user)
    debut = timezone.localdate() + timedelta(days=20)

    reponse = client.post(
        reverse("formation:session_creer"),
        {
            "relais": relais.pk,
            "organisme": organisme.pk,
            "intitule": "SST initial",
            "theme": souhait.theme_id,
            "date_debut": debut.isoformat(),
            "date_fin": (debut + timedelta(days=1)).isoformat(),
            "heure_debut": "09:00",
            "heure_fin": "17:00",
            "lieu": "Maison de la petite enfance",
            "commune": relais.commune_siege_id,
            "capacite": 8,
            "souhaits": [souhait.pk],
        },
    )

    session = SessionFormation.objects.get()
    assert reponse.url == reverse("formation:session", args=[session.pk])
    assert list(session.souhaits.all()) == [souhait]
    html = client.get(reponse.url).content.decode()
    assert "SST initial" in html
    assert "0 prises sur 8" in html


def test_une_session_dont_la_fin_precede_le_debut_est_refusee(client):
    relais = RelaisFactory()
    client.force_login(MembreRelaisFactory(relais=relais).user)

    html = client.post(
        reverse("formation:session_creer"),
        {
            "relais": relais.pk,
            "organisme": OrganismeFactory().pk,
            "intitule": "X",
            "theme": ThemeFactory().pk,
            "date_debut": "2027-03-10",
            "date_fin": "2027-03-09",
            "heure_debut": "09:00",
            "heure_fin": "17:00",
            "lieu": "Salle",
            "commune": relais.commune_siege_id,
            "capacite": 8,
        },
    ).content.decode()

    assert "La date de fin doit être après la date de début." in html


def test_l_animatrice_inscrit_puis_fait_partir_une_assmat_depuis_la_page_de_session(client):
    session = SessionFactory()
    assmat = AssistantMaternelFactory(commune=session.relais.commune_siege)
    SouhaitFactory(assistant_maternel=assmat, theme=session.theme)
    animatrice = MembreRelaisFactory(relais=session.relais).user
    client.force_login(animatrice)

    client.post(reverse("formation:inscrire", args=[session.pk]), {"assmat": assmat.pk})
    inscription = Inscription.objects.get()
    with au_debut_de(session):
        client.force_login(animatrice)  # days later: a new working session
        reponse = client.post(reverse("formation:marquer_partie", args=[inscription.pk]), follow=True)

    assert "grâce à l&#x27;action du relais (souhait recueilli par le relais)" in reponse.content.decode()


def test_la_liste_des_sessions_fait_un_nombre_de_requetes_constant(client, django_assert_max_num_queries):
    relais = RelaisFactory()
    for _ in range(8):
        InscriptionFactory(session__relais=relais)
    client.force_login(MembreRelaisFactory(relais=relais).user)

    with django_assert_max_num_queries(8):
        client.get(reverse("formation:sessions"))


def test_le_calendrier_du_mois_montre_les_sessions_et_navigue_de_mois_en_mois(client):
    session = SessionFactory(intitule="Éveil musical", date_debut=date(2027, 2, 26), date_fin=date(2027, 3, 1))
    client.force_login(MembreRelaisFactory(relais=session.relais).user)

    html = client.get(reverse("formation:calendrier"), {"annee": 2027, "mois": 2}).content.decode()
    mars = client.get(reverse("formation:calendrier"), {"annee": 2027, "mois": 3}).content.decode()

    assert "février 2027" in html
    assert "Éveil musical" in html
    assert "annee=2027&amp;mois=1" in html
    assert "annee=2027&amp;mois=3" in html
    assert "Éveil musical" in mars  # the session runs into March
    assert client.get(reverse("formation:calendrier"), {"annee": 2027, "mois": 13}).status_code == 404


def test_le_parent_voit_la_proposition_et_l_accepte(client):
    proposition = PropositionFactory(description="Halte-garderie Les Galopins, mardi 8 h – 17 h")
    client.force_login(proposition.demande.parent)

    html = client.get(reverse("formation:mes_demandes")).content.decode()
    client.post(reverse("formation:repondre_proposition", args=[proposition.pk]), {"reponse": "acceptee"})

    assert "Halte-garderie Les Galopins" in html
    proposition.refresh_from_db()
    assert proposition.reponse == "acceptee"


def test_le_relais_voit_les_demandes_de_son_territoire_seulement(client):
    demande = DemandeAlternativeFactory(prenom_enfant="Gabin")
    DemandeAlternativeFactory(prenom_enfant="Sacha")
    client.force_login(MembreRelaisFactory(relais=demande.relais).user)

    html = client.get(reverse("formation:demandes")).content.decode()

    assert "Gabin" in html
    assert "Sacha" not in html


def test_le_relais_enregistre_une_demande_telephonique_depuis_le_formulaire(client):
    inscription = InscriptionFactory()
    client.force_login(MembreRelaisFactory(relais=inscription.session.relais).user)

    reponse = client.post(
        reverse("formation:demande_telephone"),
        {
            "inscription": inscription.pk,
            "prenom_enfant": "Mia",
            "nom_parent": "Paul Girard",
            "telephone_parent": "0611223344",
            "date_debut": inscription.session.date_debut.isoformat(),
            "date_fin": inscription.session.date_fin.isoformat(),
        },
    )

    demande = inscription.demandes_accueil_alternatif.get()
    assert reponse.url == reverse("formation:demande_alternative", args=[demande.pk])
    assert (demande.canal, demande.prenom_enfant) == ("telephone", "Mia")


@pytest.mark.parametrize("annee", ["2147483648", "1" * 5000, "0", "-1"])
def test_un_mois_hors_du_calendrier_repond_introuvable(client, annee):
    session = SessionFactory()
    client.force_login(MembreRelaisFactory(relais=session.relais).user)

    assert client.get(reverse("formation:calendrier"), {"annee": annee, "mois": 2}).status_code == 404


def test_le_calendrier_d_un_relais_forge_repond_introuvable(client):
    session = SessionFactory()
    client.force_login(MembreRelaisFactory(relais=session.relais).user)

    reponse = client.get(reverse("formation:calendrier"), {"relais": "1" * 5000})

    assert reponse.status_code == 404


def test_une_adresse_de_parent_trop_longue_est_refusee_et_rien_n_est_declare(client):
    inscription = InscriptionFactory()
    accueil = AccueilFactory(assistant_maternel=inscription.assistant_maternel, prenom_enfant="Adam")
    client.force_login(inscription.assistant_maternel.user)

    reponse = client.post(
        reverse("formation:enfants_concernes", args=[inscription.pk]),
        {f"enfant_{accueil.pk}": "on", f"email_{accueil.pk}": "a" * 250 + "@exemple.fr"},
    )

    assert reponse.status_code == 200
    assert "au plus 254 caractères" in reponse.content.decode()
    assert not inscription.enfants_concernes.exists()


def test_avant_le_debut_de_la_session_la_page_ne_propose_pas_le_depart_et_le_refuse_sur_sa_ligne(client):
    inscription = InscriptionFactory()
    client.force_login(MembreRelaisFactory(relais=inscription.session.relais).user)

    page = client.get(reverse("formation:session", args=[inscription.session_id])).content.decode()
    reponse = client.post(reverse("formation:marquer_partie", args=[inscription.pk]))

    assert "Départ à enregistrer dès le début de la session" in page
    assert reverse("formation:marquer_partie", args=[inscription.pk]) not in page
    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert f'id="inscription-{inscription.pk}-erreur" role="alert">La session commence le' in html
    inscription.refresh_from_db()
    assert inscription.statut == "inscrite"
