"""Demo indicators: the CAF agent has asked for last year's figures of the first relais, as she would before
signing its bonus off. The worker computes them after the seed; the current year is left for her to open."""

from django.utils import timezone

from comptes.models import User
from indicateurs.selectors import dernier_calcul
from indicateurs.services import demander_calcul
from portail.demo import DEMO_DOMAIN
from relais.models import Relais


def seed_indicateurs(relais: list[Relais]) -> None:
    agent = User.objects.filter(email=f"agent.caf@{DEMO_DOMAIN}").first()
    if agent is None or not relais:
        return
    annee = timezone.localdate().year - 1
    if dernier_calcul(relais[0], annee) is None:
        demander_calcul(relais_id=relais[0].pk, annee=annee, par=agent)
