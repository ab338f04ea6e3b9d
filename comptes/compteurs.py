"""Yearly references without gaps (`RPE-2026-000042`, `TP-2026-000007`): one counter row per year.

A counter is a model with `annee` (primary key) and `dernier`. Taking numbers is one upsert that increments
the row and returns its new value: the row stays locked until the caller's transaction ends, so two
concurrent transactions never take the same number, and a rolled-back one gives its numbers back.
"""

from django.db import connection, models


def prendre_numeros(compteur: type[models.Model], annee: int, combien: int = 1) -> int:
    """Takes the year's next `combien` numbers and returns the last one (the first is `last - combien + 1`)."""
    if combien < 1:
        raise ValueError("At least one number is taken.")
    table = connection.ops.quote_name(compteur._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (annee, dernier) VALUES (%s, %s) "  # noqa: S608 - table name from _meta
            f"ON CONFLICT (annee) DO UPDATE SET dernier = {table}.dernier + EXCLUDED.dernier RETURNING dernier",
            [annee, combien],
        )
        (dernier,) = cursor.fetchone()
    return dernier


def reference(prefixe: str, annee: int, numero: int) -> str:
    return f"{prefixe}-{annee}-{numero:06d}"


def prochaine_reference(compteur: type[models.Model], prefixe: str, annee: int) -> str:
    """The year's next reference, e.g. `RPE-2026-000042`."""
    return reference(prefixe, annee, prendre_numeros(compteur, annee))
