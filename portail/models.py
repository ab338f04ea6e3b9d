from django.db import models


class BattementWorker(models.Model):
    """Written by a Celery task: proves that a worker consumes the queue (shown by /healthz)."""

    worker = models.CharField("worker", max_length=200)
    recu_at = models.DateTimeField("reçu le", auto_now=True)

    class Meta:
        verbose_name = "battement de worker"
        verbose_name_plural = "battements de workers"
        ordering = ["-recu_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                name="battement_un_par_worker",
                violation_error_message="Ce service d'arrière-plan a déjà signalé son activité.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.recu_at:%Y-%m-%d %H:%M:%S}"
