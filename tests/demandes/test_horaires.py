"""Real schedules: night care across midnight, long days questioned, contradictions said beside their field."""

from datetime import time, timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from demandes import matching
from demandes.besoins import besoins_non_satisfaits
from demandes.forms import BesoinForm, EnfantForm, SituationForm, saisie_du_relais
from demandes.models import Demande, Statut, horaires_atypiques
from tests.demandes.factories import DemandeFactory

pytestmark = pytest.mark.django_db

NUIT_DU_VENDREDI = {"jour": 4, "debut": "21:00", "fin": "06:00"}


def _jour(jours):
    return (timezone.localdate() + timedelta(days=jours)).isoformat()


def _besoin(**horaires):
    return BesoinForm(data={"date_debut_souhaitee": _jour(60), "mode_1": "assmat", **horaires})


def test_une_nuit_du_vendredi_21_h_au_samedi_6_h_se_saisit_et_compte_9_heures():
    form = _besoin(jour_4_debut="21:00", jour_4_fin="06:00")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["creneaux"] == [NUIT_DU_VENDREDI]


def test_la_nuit_du_vendredi_est_tardive_de_nuit_matinale_et_du_samedi():
    assert horaires_atypiques([NUIT_DU_VENDREDI]) == ["tot", "tard", "samedi", "nuit"]


def test_une_nuit_du_dimanche_au_lundi_n_est_pas_du_samedi():
    assert horaires_atypiques([{"jour": 6, "debut": "22:00", "fin": "07:00"}]) == ["tot", "tard", "dimanche", "nuit"]


def test_une_fin_a_minuit_ne_deborde_pas_sur_le_lendemain():
    assert horaires_atypiques([{"jour": 4, "debut": "18:00", "fin": "00:00"}]) == ["tard", "nuit"]


def test_les_heures_de_nuit_comptent_dans_le_plafond_hebdomadaire():
    # Five nights of 13 h (65 h) plus one of 9 h: over the weekly ceiling, although each night is confirmed.
    nuits = {f"jour_{j}_{b}": h for j in range(5) for b, h in (("debut", "19:00"), ("fin", "08:00"))}
    form = _besoin(**nuits, jour_5_debut="21:00", jour_5_fin="06:00", longues_journees_confirmees="on")

    assert not form.is_valid()
    assert "dépasse 65 heures" in " ".join(form.errors["__all__"])


def test_une_journee_de_24_heures_est_questionnee_puis_acceptee_une_fois_confirmee():
    douteuse = _besoin(jour_2_debut="08:00", jour_2_fin="08:00")
    confirmee = _besoin(jour_2_debut="08:00", jour_2_fin="08:00", longues_journees_confirmees="on")

    assert not douteuse.is_valid()
    message = "Mercredi : 24 h d'accueil d'affilée (l'arrivée et le départ sont à la même heure)"
    assert message in " ".join(douteuse.errors["jour_2_fin"])
    assert "longues_journees_confirmees" in douteuse.errors
    assert confirmee.is_valid(), confirmee.errors


def test_une_journee_de_12_heures_passe_sans_question():
    assert _besoin(jour_0_debut="07:00", jour_0_fin="19:00").is_valid()


def test_un_depart_tape_avant_l_arrivee_par_megarde_est_questionne():
    form = _besoin(jour_0_debut="08:30", jour_0_fin="07:00")

    assert not form.is_valid()
    assert "Lundi : 22 h 30 d'accueil d'affilée" in " ".join(form.errors["jour_0_fin"])


def test_le_recapitulatif_et_le_suivi_disent_le_lendemain():
    demande = DemandeFactory(creneaux=[NUIT_DU_VENDREDI])

    assert demande.creneaux_lisibles == ["Vendredi 21:00 – samedi 06:00"]


def test_une_nuit_sans_solution_compte_dans_les_besoins_atypiques():
    demande = DemandeFactory(
        creneaux=[NUIT_DU_VENDREDI], horaires_atypiques=horaires_atypiques([NUIT_DU_VENDREDI]), sans_solution=True
    )
    assert demande.statut == Statut.SANS_SOLUTION

    lignes = besoins_non_satisfaits(Demande.objects.all(), timezone.now().year, timezone.localdate())

    assert [ligne.horaires for ligne in lignes] == ["atypiques"]


def test_la_mise_en_relation_compare_la_partie_de_jour_d_une_nuit_aux_heures_declarees():
    demande = DemandeFactory(creneaux=[NUIT_DU_VENDREDI])

    class Disponibilite:
        jours = [4]

        def __init__(self, debut, fin):
            self.heure_debut, self.heure_fin = debut, fin

    class Assmat:
        def __init__(self, disponibilite):
            self.disponibilite = disponibilite

    jusqu_a_22_h = Assmat(Disponibilite(time(8), time(22)))
    jusqu_a_18_h = Assmat(Disponibilite(time(8), time(18)))

    # Friday 21:00–22:00 is the evening part; 22:00 → 6:00 is the night flag's; Saturday holds no day part.
    assert matching._horaires(demande, jusqu_a_22_h)[0] is True
    assert matching._horaires(demande, jusqu_a_18_h)[0] is False


# --- Contradictions -------------------------------------------------------------------------------------------


def test_une_date_prevue_passee_demande_si_l_enfant_est_ne():
    form = EnfantForm(data={"enfant_prenom": "Bébé", "enfant_a_naitre": "on", "enfant_date": _jour(-3)})

    assert not form.is_valid()
    assert "La date est passée : l'enfant est-il né ?" in " ".join(form.errors["enfant_date"])


def _situation(famille=None, **valeurs):
    return SituationForm(data={"situation_parent1": "emploi", **valeurs}, famille=famille)


def test_une_famille_monoparentale_qui_invite_un_second_parent_est_interrogee():
    form = _situation({"second_responsable_email": "papa@exemple.fr"}, parent_isole="on")

    assert not form.is_valid()
    assert "famille monoparentale" in " ".join(form.errors["parent_isole"])
    assert "papa@exemple.fr" in " ".join(form.errors["parent_isole"])


def test_un_quotient_familial_qui_contredit_sa_tranche_est_signale():
    contradictoire = _situation(quotient_familial="650", tranche_qf="plus_1200")
    coherent = _situation(quotient_familial="1200", tranche_qf="700_1200")

    assert not contradictoire.is_valid()
    assert "Un quotient familial de 650 € est dans la tranche « Moins de 700 € », pas « Plus de 1 200 € »" in " ".join(
        contradictoire.errors["tranche_qf"]
    )
    assert coherent.is_valid(), coherent.errors


def test_un_motif_d_urgence_sans_la_case_urgence_est_signale_et_non_efface():
    form = _situation(urgence_motif="entretien")

    assert not form.is_valid()
    assert "motif d'urgence sans cocher" in " ".join(form.errors["urgence_motif"])


def test_la_saisie_du_relais_applique_les_memes_contradictions(relais):
    commune = relais.commune_siege
    data = {
        "famille-telephone": "0612345678",
        "famille-code_postal": commune.codes_postaux[0],
        "famille-commune": commune.nom,
        "famille-second_responsable_nom": "Durand",
        "famille-second_responsable_email": "papa@exemple.fr",
        "situation-situation_parent1": "emploi",
        "situation-parent_isole": "on",
    }
    donnees = QueryDict(mutable=True)
    donnees.update(data)

    formulaires, _ = saisie_du_relais(donnees)

    assert "famille monoparentale" in str(formulaires["situation"].errors["parent_isole"])
