from portail.models import BattementWorker


def enregistrer_battement(*, worker: str) -> BattementWorker:
    battement, _ = BattementWorker.objects.update_or_create(worker=worker[:200])
    return battement
