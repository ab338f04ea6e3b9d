"""django-axes hooks: lockout is counted per account (the e-mail typed), answered in French."""

from django.shortcuts import render


def username_from_request(request, credentials) -> str:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or request.POST.get("login", "")
    return str(value).strip().lower()


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    return render(request, "comptes/verrouille.html", status=429)
