from django.db.models.signals import post_save
from django.dispatch import receiver

from relais.models import Relais


@receiver(post_save, sender=Relais, dispatch_uid="demandes_parametres_du_nouveau_relais")
def creer_parametres_classement(sender, instance, created, raw=False, **kwargs):
    """Each new relais publishes the default ranking weights until an admin changes them."""
    if created and not raw:
        from demandes.models import ParametresClassement

        ParametresClassement.objects.get_or_create(relais=instance)
