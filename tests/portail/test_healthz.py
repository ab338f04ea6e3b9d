import pytest
from django.urls import reverse

from config.celery import app as celery_app
from portail.services import enregistrer_battement

pytestmark = pytest.mark.django_db


def test_le_bilan_de_sante_repond_200_quand_base_et_broker_repondent(client):
    response = client.get(reverse("portail:healthz"))

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "last_worker_heartbeat": None,
    }


def test_le_bilan_de_sante_montre_le_dernier_battement_du_worker(client):
    enregistrer_battement(worker="celery@test")

    assert client.get(reverse("portail:healthz")).json()["last_worker_heartbeat"] is not None


def test_le_bilan_de_sante_repond_503_quand_le_broker_est_injoignable(client, monkeypatch):
    # A real connection attempt to a port where nothing listens (discard port on loopback).
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:9/0")

    response = client.get(reverse("portail:healthz"))

    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] != "ok"
