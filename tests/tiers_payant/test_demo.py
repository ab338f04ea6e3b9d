"""Demo conventions: made through the services, idempotent, and the demo parent and childminder share an
active convention with statements."""

import pytest

from portail.demo import DEMO_DOMAIN
from portail.demo.offre import seed_offre
from portail.demo.socle import seed_socle
from portail.demo.tiers_payant import seed_tiers_payant
from tiers_payant import selectors
from tiers_payant.models import Convention, ReleveMensuel, SignatureConvention, Statut

pytestmark = pytest.mark.django_db


def _etat():
    return {
        "conventions": sorted(Convention.objects.values_list("reference", "parent__email", "statut", "cmg_estime")),
        "signatures": SignatureConvention.objects.count(),
        "releves": sorted(ReleveMensuel.objects.values_list("convention__reference", "mois", "cmg", "confirme_le")),
    }


def test_la_demo_du_tiers_payant_est_idempotente_et_complete():
    seed_socle()
    seed_offre()
    assert seed_tiers_payant() == 2
    premier = _etat()

    assert seed_tiers_payant() == 0
    assert _etat() == premier

    demo = Convention.objects.get(parent__email=f"parent@{DEMO_DOMAIN}")
    assert demo.assistant_maternel.user.email == f"assmat@{DEMO_DOMAIN}"
    assert demo.statut == Statut.ACTIVE
    assert demo.rsa
    assert selectors.document_signe(demo) is not None
    releves = list(demo.releves.order_by("mois"))
    assert len(releves) == 3
    assert [releve.confirme for releve in releves] == [True, True, False]
    assert all(releve.cmg > 0 for releve in releves)
    en_attente = Convention.objects.get(parent__email=f"parent.2@{DEMO_DOMAIN}")
    assert en_attente.statut == Statut.ENVOYEE
    assert list(selectors.signatures_en_vigueur(en_attente)) == ["caf"]
