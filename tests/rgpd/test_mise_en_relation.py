"""The relais' comment on sending wishes to a training body may name a childminder: it goes with her file."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from formation.models import MiseEnRelation
from rgpd import services
from tests.assmats.factories import AgrementFactory
from tests.formation.factories import MiseEnRelationFactory, SouhaitFactory

pytestmark = pytest.mark.django_db

COMMENTAIRE = "Mme Garcia ne peut se libérer que le samedi, à Sète."


def _mise_en_relation_de(*assistants_maternels, commentaire=COMMENTAIRE):
    souhaits = [SouhaitFactory(assistant_maternel=assmat) for assmat in assistants_maternels]
    return MiseEnRelationFactory(souhaits=souhaits, commentaire=commentaire)


def test_la_suppression_du_compte_efface_le_commentaire_du_relais_et_garde_l_envoi():
    assmat = AgrementFactory().assistant_maternel
    mise = _mise_en_relation_de(assmat)

    services.supprimer_compte(user=assmat.user)

    mise.refresh_from_db()
    assert mise.commentaire == ""
    # « grâce au relais » (mission 3) counts the sending: it stays, with its wishes.
    assert list(mise.souhaits.values_list("assistant_maternel", flat=True)) == [assmat.pk]


def test_la_retention_efface_le_commentaire_avec_la_fiche():
    maintenant = timezone.now()
    fin = timezone.localdate() - relativedelta(months=37)
    assmat = AgrementFactory(date_delivrance=date(2015, 1, 1), date_fin_validite=fin).assistant_maternel
    mise = _mise_en_relation_de(assmat)

    rapport = services.appliquer_retention(maintenant=maintenant, dry_run=False)

    assert rapport.assistants_maternels == [assmat.pk]
    assert MiseEnRelation.objects.get(pk=mise.pk).commentaire == ""


def test_le_commentaire_d_un_envoi_qui_ne_la_concerne_pas_reste():
    partie, restee = (AgrementFactory().assistant_maternel for _ in range(2))
    commune = _mise_en_relation_de(partie, restee)
    # Sent again later, with her colleague's wish only.
    autre = MiseEnRelationFactory(
        souhaits=list(restee.souhaits_formation.order_by("pk")), commentaire="Groupe du mardi."
    )

    services.supprimer_compte(user=partie.user)

    assert MiseEnRelation.objects.get(pk=commune.pk).commentaire == ""
    assert MiseEnRelation.objects.get(pk=autre.pk).commentaire == "Groupe du mardi."
