"""`crispy_vierge`: a blank form's HTML is rendered once per state and kept; any difference a person would see
(a value, a help text, a choice) gets its own rendering; a refused form always shows what was typed and why."""

from datetime import date

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.test.signals import template_rendered

from assmats.models import Structure
from comptes.templatetags import formulaires
from comptes.templatetags.formulaires import crispy_vierge
from demandes.forms import MotifForm, NotePriveeForm, RendezVousForm
from insertion.forms import AttribuerAvipForm
from tests.assmats.factories import StructureFactory


@pytest.fixture(autouse=True)
def rendus_oublies():
    formulaires._rendus.clear()
    yield
    formulaires._rendus.clear()


def _gabarits_lus(rendre) -> tuple[str, list[str]]:
    lus = []

    def noter(sender, template, **kwargs):
        lus.append(template.name)

    template_rendered.connect(noter)
    try:
        return rendre(), lus
    finally:
        template_rendered.disconnect(noter)


def test_un_formulaire_vierge_se_rend_une_fois_puis_sans_relire_ses_gabarits():
    premier, lus_la_premiere_fois = _gabarits_lus(lambda: crispy_vierge(NotePriveeForm()))
    second, lus_la_seconde_fois = _gabarits_lus(lambda: crispy_vierge(NotePriveeForm()))

    assert lus_la_premiere_fois
    assert lus_la_seconde_fois == []
    assert second == premier == as_crispy_form(NotePriveeForm())
    assert "Note privée (visible du relais seulement)" in second


def test_chaque_valeur_initiale_a_son_propre_rendu():
    crispy_vierge(RendezVousForm(prefix="deplacer", initial={"date": date(2026, 12, 8)}))

    html = crispy_vierge(RendezVousForm(prefix="deplacer", initial={"date": date(2026, 12, 9)}))

    assert 'value="2026-12-09"' in html
    assert 'value="2026-12-08"' not in html


def test_un_texte_d_aide_different_n_est_pas_confondu():
    crispy_vierge(MotifForm(visible_par_la_famille=True))

    html = crispy_vierge(MotifForm())

    assert html == as_crispy_form(MotifForm())
    assert str(MotifForm(visible_par_la_famille=True).fields["motif"].help_text) not in html


class _Choix(forms.Form):
    proposition = forms.ChoiceField(label="Proposition")

    def __init__(self, *args, choix, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposition"].choices = choix


def test_des_choix_differents_donnent_des_listes_differentes():
    crispy_vierge(_Choix(choix=[("1", "Mme Martin, Sète")]))

    html = crispy_vierge(_Choix(choix=[("1", "Mme Durand, Agde")]))

    assert "Mme Durand, Agde" in html
    assert "Mme Martin" not in html


@pytest.mark.django_db
def test_une_liste_de_creches_lue_une_fois_est_reutilisee_tant_qu_elle_ne_change_pas():
    creche = StructureFactory(nom="Crèche des Capucins", places_avip=2)
    structures = Structure.objects.filter(pk=creche.pk).select_related("commune")

    def formulaire():
        form = AttribuerAvipForm(prefix="avip", structures=structures)
        form.lire_les_creches()
        return form

    premier = crispy_vierge(formulaire())
    second, lus = _gabarits_lus(lambda: crispy_vierge(formulaire()))

    assert lus == []
    assert second == premier
    assert "Crèche des Capucins" in second


def test_un_formulaire_refuse_montre_ce_qui_a_ete_saisi_et_son_erreur():
    crispy_vierge(RendezVousForm())

    html = crispy_vierge(RendezVousForm({"date": "2026-12-08", "heure": "pas une heure"}))

    assert 'value="pas une heure"' in html
    assert "invalid-feedback" in html
    assert len(formulaires._rendus) == 1


def test_un_attribut_qui_n_est_pas_une_valeur_simple_n_est_jamais_reutilise():
    form = NotePriveeForm()
    form.fields["texte"].widget.attrs["data-objet"] = object()

    crispy_vierge(form)
    crispy_vierge(form)

    assert len(formulaires._rendus) == 2
