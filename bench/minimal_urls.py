"""A single trivial view: the baseline the portal's pages are compared with under gunicorn."""

from django.http import HttpResponse
from django.urls import path


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", ok, name="ok")]
