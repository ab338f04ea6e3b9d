"""The queue's content is cached under the versions of the animatrice's relais: what she does, and every committed
write of a request of her relais, shows on her next load; nothing changed, the rows are not read again.

Real commits (transaction=True): the versions are written by deferred database triggers, at commit."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demandes import services
from demandes.models import Demande, Statut, VersionDeLaFile
from relais.models import MembreRelais
from tests.demandes.factories import DemandeFactory
from tests.factories import MembreRelaisFactory, RelaisFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def cache_de_la_file(settings):
    settings.FILE_D_ATTENTE_CACHE_SECONDES = 60


def _file(client) -> tuple[str, list[str]]:
    """The page's HTML and the SQL it ran."""
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(reverse("demandes:file"))
    assert reponse.status_code == 200
    return reponse.content.decode(), [q["sql"] for q in requetes.captured_queries]


def _lit_les_demandes(sql: list[str]) -> bool:
    return any('FROM "demandes_demande"' in q for q in sql)


def test_recharger_la_file_sans_changement_ne_relit_pas_les_demandes(client, relais, animatrice):
    demande = DemandeFactory(relais=relais)
    client.force_login(animatrice)

    premiere, sql_premiere = _file(client)
    seconde, sql_seconde = _file(client)

    assert demande.reference in premiere
    assert _lit_les_demandes(sql_premiere)
    assert not _lit_les_demandes(sql_seconde)
    assert seconde.count(demande.reference) == premiere.count(demande.reference)


def test_une_demande_prise_en_charge_change_de_statut_au_chargement_suivant(relais, animatrice):
    demande = DemandeFactory(relais=relais)
    client = Client(enforce_csrf_checks=True)
    client.force_login(animatrice)
    _file(client)
    page, _ = _file(client)  # served from the cache

    # The cached rows carry no token: the button submits the page's form, whose token is this session's.
    jeton = client.cookies["csrftoken"].value
    reponse = client.post(reverse("demandes:prendre", args=[demande.pk]), HTTP_X_CSRFTOKEN=jeton)
    apres, _ = _file(client)

    assert 'form="prendre-en-charge"' in page
    assert reponse.status_code == 302
    assert Demande.objects.get(pk=demande.pk).statut == Statut.PRISE_EN_CHARGE
    assert f'formaction="{reverse("demandes:prendre", args=[demande.pk])}"' not in apres
    assert "par Camille Martin" in apres


def test_une_demande_deposee_entre_deux_chargements_apparait_aussitot(client, relais, animatrice):
    client.force_login(animatrice)
    _file(client)

    nouvelle = DemandeFactory(relais=relais)
    page, _ = _file(client)

    assert nouvelle.reference in page


def test_la_demande_d_un_autre_relais_ne_vide_pas_le_cache(client, relais, animatrice):
    client.force_login(animatrice)
    _file(client)

    DemandeFactory(relais=RelaisFactory())
    _, sql = _file(client)

    assert not _lit_les_demandes(sql)


def test_changer_les_poids_du_relais_change_les_scores_aussitot(client, relais, animatrice):
    DemandeFactory(relais=relais, urgente=True)
    client.force_login(animatrice)
    avant, _ = _file(client)

    parametres = relais.parametres_classement
    parametres.poids_urgence = 7
    parametres.save()
    apres, _ = _file(client)

    assert "+50" in avant
    assert "+7" in apres
    assert "+50" not in apres


def test_une_animatrice_retiree_du_relais_ne_voit_plus_ses_demandes(relais, animatrice):
    demande = DemandeFactory(relais=relais)
    MembreRelaisFactory(user=animatrice)  # she also belongs to a second relais
    client = Client()
    client.force_login(animatrice)
    assert demande.reference in _file(client)[0]

    MembreRelais.objects.filter(user=animatrice, relais=relais).delete()

    assert demande.reference not in _file(client)[0]


def test_deux_animatrices_du_relais_ont_chacune_leur_page(relais, animatrice):
    demande = DemandeFactory(relais=relais)
    collegue = MembreRelaisFactory(relais=relais, user__first_name="Inès", user__last_name="Roux").user
    services.prendre_en_charge(demande_id=demande.pk, par=collegue)
    pour_elle, pour_la_collegue = Client(), Client()
    pour_elle.force_login(animatrice)
    pour_la_collegue.force_login(collegue)

    sienne, _ = _file(pour_elle)
    mienne = pour_la_collegue.get(reverse("demandes:file"), {"mes_demandes": "on"}).content.decode()
    sienne_filtree = pour_elle.get(reverse("demandes:file"), {"mes_demandes": "on"}).content.decode()

    assert demande.reference in sienne
    assert demande.reference in mienne
    assert demande.reference not in sienne_filtree


def test_une_transaction_annulee_ne_change_pas_la_version(relais):
    DemandeFactory(relais=relais)
    version = VersionDeLaFile.objects.get(relais=relais).version

    def deposer_puis_echouer():
        with transaction.atomic():
            DemandeFactory(relais=relais)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        deposer_puis_echouer()

    assert VersionDeLaFile.objects.get(relais=relais).version == version


def test_chaque_transaction_validee_change_la_version(relais):
    DemandeFactory(relais=relais)
    versions = {VersionDeLaFile.objects.get(relais=relais).version}

    for _ in range(3):
        Demande.objects.filter(relais=relais).update(telephone="06 00 00 00 00")
        versions.add(VersionDeLaFile.objects.get(relais=relais).version)

    assert len(versions) == 4


def test_supprimer_un_relais_sans_demande_reste_possible():
    relais = RelaisFactory()
    relais.parametres_classement.save()

    relais.delete()

    assert not VersionDeLaFile.objects.filter(relais_id=relais.pk).exists()


def test_sans_redis_la_file_s_affiche_depuis_la_base(client, settings, relais, animatrice):
    demande = DemandeFactory(relais=relais)
    client.force_login(animatrice)
    settings.CACHES = {"default": {"BACKEND": "comptes.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}

    page, sql = _file(client)

    assert demande.reference in page
    assert _lit_les_demandes(sql)
