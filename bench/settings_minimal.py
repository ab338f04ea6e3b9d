"""The portal's settings (same middleware, database, cache) with the one-view URLconf of bench/minimal_urls.py.

Only the benchmark's second gunicorn uses it (DJANGO_SETTINGS_MODULE=bench.settings_minimal); the portal never does.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.minimal_urls"
