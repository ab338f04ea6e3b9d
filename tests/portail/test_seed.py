from datetime import datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from assmats.models import Accueil, AssistantMaternel, Disponibilite, SignalementSousActivite, Structure
from assmats.selectors import disponibilites_affichees
from comptes.models import Role, User
from demandes.models import (
    STATUTS_OUVERTS,
    CompteurReference,
    Demande,
    HistoriqueDemande,
    Proposition,
    RendezVous,
    Statut,
)
from demandes.services import deposer
from indicateurs.calculs import mission_2b_disponibilites
from portail.demo import COMPTES_DEMO, DEMO_PASSWORD
from portail.demo.demandes import seed_demandes_large
from portail.demo.offre import seed_offre, seed_offre_large
from portail.demo.socle import seed_socle_large
from relais.models import CommuneDuTerritoire, MembreRelais, Relais
from tests.demandes.conftest import donnees_valides
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _etat():
    return {
        "users": sorted(User.objects.values_list("email", "role", "first_name", "last_name")),
        "relais": sorted(Relais.objects.values_list("nom", "commune_siege__code_insee")),
        "territoire": sorted(CommuneDuTerritoire.objects.values_list("relais__nom", "commune__code_insee")),
        "membres": sorted(MembreRelais.objects.values_list("relais__nom", "user__email")),
        "assmats": sorted(AssistantMaternel.objects.values_list("email", "agrement__numero", "commune__code_insee")),
        "accueils": Accueil.objects.count(),
        "disponibilites": sorted(Disponibilite.objects.values_list("assistant_maternel__email", "places_plus_3_ans")),
        "structures": sorted(Structure.objects.values_list("nom", "places_insertion")),
        "demandes": sorted(
            Demande.objects.values_list("reference", "parent__email", "enfant_prenom", "statut", "prise_par__email")
        ),
        "historique": sorted(HistoriqueDemande.objects.values_list("demande__reference", "vers", "created_at")),
        "rendez_vous": sorted(RendezVous.objects.values_list("demande__reference", "debut")),
        "propositions": sorted(Proposition.objects.values_list("demande__reference", "mode", "created_at")),
        "compteurs": sorted(CompteurReference.objects.values_list("annee", "dernier")),
    }


def test_la_demo_est_idempotente_et_deterministe():
    call_command("seed_demo")
    premier = _etat()

    call_command("seed_demo")

    assert _etat() == premier
    # The Hérault's three, and the Maine-et-Loire's of AVIP places and PEPIT parcours (portail/demo/insertion.py).
    assert len(premier["relais"]) == 4


def test_chaque_compte_de_demo_se_connecte(client):
    call_command("seed_demo")

    for role, email in COMPTES_DEMO:
        user = User.objects.get(email=email)
        assert user.role == Role(role)
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.get(user=user).verified
        client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()


def test_les_relais_de_demo_sont_sur_de_vraies_communes_et_ont_une_equipe():
    call_command("seed_demo")

    for relais in Relais.objects.order_by("nom"):
        assert relais.communes.count() >= 5
        assert relais.membres.count() == 2
    assert Relais.objects.get(nom="RPE Montpellier Nord").commune_siege.nom == "Montpellier"


def test_la_demo_a_grande_echelle_est_idempotente():
    seed_socle_large(assmats=30, relais_total=6)
    seed_offre_large()
    premier = _etat()

    seed_socle_large(assmats=30, relais_total=6)
    seed_offre_large()

    assert _etat() == premier
    assert len(premier["relais"]) == 6
    assert User.objects.filter(role=Role.ASSMAT).count() == 24 + 30
    assert AssistantMaternel.objects.count() == 24 + 30


def test_la_conseillere_de_demo_suit_deux_familles_orientees_dont_une_deja_prise_en_charge(client):
    call_command("seed_demo")
    call_command("seed_demo")

    client.force_login(User.objects.get(email="conseillere.francetravail@demo.guichet-rpe.fr"))
    page = client.get(reverse("orientations:mes_orientations")).content.decode()

    assert Demande.objects.filter(source="orientation").count() == 2
    assert "Benali" in page
    assert "Prise en charge" in page


def test_la_demo_montre_des_disponibilites_en_ligne_et_des_sous_activites():
    call_command("seed_demo")

    assert disponibilites_affichees().exists()
    assert SignalementSousActivite.objects.filter(entretiens__isnull=True).exists()
    assert AssistantMaternel.objects.get(email="assmat@demo.guichet-rpe.fr").agrement


def test_la_demo_a_des_demandes_dans_chaque_statut_avec_un_historique_date():
    call_command("seed_demo")

    # The Hérault's; the Maine-et-Loire's few (portail/demo/insertion.py) and the families France Travail referred
    # (portail/demo/orientations.py) are filed through the services.
    demandes = Demande.objects.exclude(relais__departement__code="49").exclude(source="orientation")
    assert demandes.count() == 2_000
    assert set(demandes.values_list("statut", flat=True)) == set(Statut.values)
    for demande in demandes.prefetch_related("historique").order_by("pk")[:200]:
        etapes = list(demande.historique.all())
        assert etapes[0].created_at == demande.date_depot
        assert etapes[-1].vers == demande.statut
        assert etapes[-1].created_at == demande.statut_modifie_at <= timezone.now()
        assert [e.created_at for e in etapes] == sorted(e.created_at for e in etapes)
        assert [e.de for e in etapes[1:]] == [e.vers for e in etapes[:-1]]
    parent = User.objects.get(email="parent@demo.guichet-rpe.fr")
    assert parent.demandes.filter(statut__in=STATUTS_OUVERTS).exists()
    assert RendezVous.objects.filter(demande__parent=parent, debut__gt=timezone.now()).exists()
    assert not Demande.objects.exclude(commune__territoire__relais=F("relais")).exists()


def test_un_nombre_de_demandes_sans_la_grande_echelle_est_refuse_sans_rien_charger():
    with pytest.raises(CommandError, match="--demandes va avec --size large"):
        call_command("seed_demo", "--demandes", "2000")

    assert not Relais.objects.exists()
    assert not Demande.objects.exists()


def test_les_demandes_a_grande_echelle_sont_idempotentes_et_suivent_le_compteur_de_references():
    seed_socle_large(assmats=0, relais_total=4)
    assert seed_demandes_large(nombre=300) == 300
    premier = _etat()

    assert seed_demandes_large(nombre=300) == 0

    assert _etat() == premier
    for annee, dernier in CompteurReference.objects.values_list("annee", "dernier"):
        de_l_annee = Demande.objects.filter(reference__startswith=f"RPE-{annee}-")
        assert de_l_annee.count() == dernier
        assert de_l_annee.order_by("-reference").values_list("reference", flat=True)[0] == f"RPE-{annee}-{dernier:06d}"
    assert User.objects.filter(email__endswith="@bench.guichet-rpe.fr", role=Role.PARENT).count() == 150 - 12
    assert Demande.objects.values("relais").distinct().count() == 4
    # A family submitting now gets the year's next number, not one the demo already holds.
    annee = timezone.localdate().year
    suivant = CompteurReference.objects.get(annee=annee).dernier + 1
    relais = Relais.objects.get(nom="RPE Montpellier Nord")
    demande = deposer(parent=UserFactory(), donnees=donnees_valides(relais.commune_siege))
    assert demande.reference == f"RPE-{annee}-{suivant:06d}"


def _l_historique_d_affichage_mene_a_l_etat_actuel():
    """Each childminder's display history ends on her current consent and her latest confirmation, so that the
    display indicator of the running year, read from the history, counts what the current rows show."""
    for assmat in AssistantMaternel.objects.order_by("pk"):
        evenements = list(assmat.historique_affichage.order_by("le", "pk"))
        assert evenements[-1].affiche == assmat.afficher_disponibilites, assmat.email
        confirmations = [e.le for e in evenements if e.confirmation]
        disponibilite = Disponibilite.objects.filter(assistant_maternel=assmat).first()
        assert max(confirmations, default=None) == getattr(disponibilite, "confirmee_le", None), assmat.email
    aujourd_hui = timezone.localdate()
    fin = datetime.combine(
        aujourd_hui + timedelta(days=1), datetime.min.time(), tzinfo=timezone.get_current_timezone()
    )
    relais_ids = list(Relais.objects.order_by("pk").values_list("pk", flat=True))
    resultats = mission_2b_disponibilites(relais_ids, aujourd_hui.year)
    affichees = 0
    for relais_id in relais_ids:
        attendus = (
            AssistantMaternel.objects.filter(commune__territoire__relais_id=relais_id)
            .agrement_valide(aujourd_hui)
            .filter(
                afficher_disponibilites=True,
                disponibilite__confirmee_le__gte=fin - relativedelta(months=3),
                disponibilite__confirmee_le__lt=fin,
            )
        )
        assert resultats[relais_id].ids_numerateur == sorted(attendus.values_list("pk", flat=True))
        affichees += len(resultats[relais_id].ids_numerateur)
    assert affichees > 0


def test_les_rendez_vous_et_les_solutions_de_la_demo_disent_ce_qui_s_est_passe():
    call_command("seed_demo")

    prevus = RendezVous.objects.filter(statut=RendezVous.Statut.PREVU)
    assert set(prevus.values_list("demande__statut", flat=True)) == {Statut.RDV_PROPOSE}
    assert RendezVous.objects.filter(statut=RendezVous.Statut.REALISE).exists()
    assert not RendezVous.objects.filter(
        statut=RendezVous.Statut.REALISE, demande__statut__in=[Statut.RDV_PROPOSE, Statut.PRISE_EN_CHARGE]
    ).exists()
    solutions = Demande.objects.filter(statut=Statut.SOLUTION_TROUVEE)
    assert solutions.exists()
    assert not solutions.filter(proposition_retenue__isnull=True).exists()
    assert not solutions.exclude(proposition_retenue__demande=F("pk")).exists()


def test_la_demo_a_un_historique_d_affichage_coherent_meme_apres_une_relance():
    call_command("seed_demo")
    seed_offre()  # a rerun dates the confirmations later: one more confirmation each

    _l_historique_d_affichage_mene_a_l_etat_actuel()


def test_la_demo_a_grande_echelle_a_un_historique_d_affichage_coherent():
    seed_socle_large(assmats=30, relais_total=6)
    seed_offre_large()

    _l_historique_d_affichage_mene_a_l_etat_actuel()


def test_a_grande_echelle_l_animatrice_de_demo_a_du_travail_dans_chacune_de_ses_pages():
    """The benchmark opens each staff page as the demo animatrice: her relais must hold what those pages show."""
    from assmats.models import RelanceAffichage
    from assmats.permissions import signalements_for_user
    from formation.permissions import sessions_for_user
    from portail.demo import formation, tiers_payant
    from relais.permissions import relais_for_user
    from tiers_payant.permissions import conventions_for_user

    seed_socle_large(assmats=30, relais_total=6)
    seed_offre_large()
    tiers_payant.seed_tiers_payant()
    formation.seed_formation()
    animatrice = User.objects.get(email="animateur@demo.guichet-rpe.fr")

    assert signalements_for_user(animatrice).filter(entretiens__isnull=True).exists()
    assert RelanceAffichage.objects.filter(relais__in=relais_for_user(animatrice)).exists()
    assert sessions_for_user(animatrice).exists()
    assert conventions_for_user(User.objects.get(email="animateur.3.1@demo.guichet-rpe.fr")).exists()


def test_l_agent_caf_de_demo_a_demande_les_chiffres_de_l_an_dernier(django_capture_on_commit_callbacks):
    from indicateurs.models import Calcul

    with django_capture_on_commit_callbacks():
        call_command("seed_demo")
        call_command("seed_demo")

    calcul = Calcul.objects.get()
    assert calcul.annee == timezone.localdate().year - 1
    assert calcul.demande_par.email == "agent.caf@demo.guichet-rpe.fr"
