"""The portal's settings as they are, except the rate limits of our own forms, raised out of reach.

The public search allows 120 requests a minute per IP (GUICHET_RATE_LIMITS): a benchmark from one address would
measure the « Trop de tentatives » page. The limits stay on (each request still counts in Redis, as in
production); only their ceiling moves. Used by bench/run.py in process and by its portal gunicorn; never by the
portal itself.
"""

from config.settings import *  # noqa: F403

GUICHET_RATE_LIMITS = {
    nom: dict.fromkeys(taux, "1000000/m")
    for nom, taux in GUICHET_RATE_LIMITS.items()  # noqa: F405
}
