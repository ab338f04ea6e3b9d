"""SIRET check: 14 digits whose Luhn checksum holds (INSEE rule), with La Poste's documented exception."""

from django.core.exceptions import ValidationError

# La Poste's establishments are too many for the Luhn key: INSEE numbers them so that the sum of the
# SIRET's digits is a multiple of 5 instead (its head office keeps a Luhn-valid SIRET).
SIREN_LA_POSTE = "356000000"


def luhn_valide(chiffres: str) -> bool:
    total = 0
    for rang, caractere in enumerate(reversed(chiffres)):
        chiffre = int(caractere)
        if rang % 2:
            chiffre *= 2
            if chiffre > 9:
                chiffre -= 9
        total += chiffre
    return total % 10 == 0


def siret_valide(siret: str) -> bool:
    if len(siret) != 14 or not siret.isascii() or not siret.isdigit():
        return False
    if siret.startswith(SIREN_LA_POSTE) and sum(map(int, siret)) % 5 == 0:
        return True
    return luhn_valide(siret)


def valider_siret(valeur: str) -> None:
    if len(valeur) != 14 or not valeur.isascii() or not valeur.isdigit():
        raise ValidationError("Le SIRET compte exactement 14 chiffres, sans lettre.", code="siret_format")
    if not siret_valide(valeur):
        raise ValidationError(
            "Ce SIRET n'est pas valide (clé de contrôle incorrecte) : vérifiez-le sur l'avis de situation INSEE.",
            code="siret_cle",
        )
