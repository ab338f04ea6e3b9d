import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A web process: short statement timeouts (config/settings.py), whatever the shared environment says.
os.environ["DJANGO_PROCESS"] = "web"
application = get_wsgi_application()
