"""Records every change made through the portal, in one place rather than in each view; finds the client's
address behind the reverse proxy."""

import ipaddress

from django.conf import settings

from audit.services import journaliser_ecriture

METHODES_D_ECRITURE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Recorded by the auth signals already, as a login or a logout.
VUES_DEJA_JOURNALISEES = frozenset({"account_login", "account_logout"})


def journaliser_ecritures(get_response):
    """Every successful (status < 400) write request by a signed-in user: who, when, which view and object
    ids, from which address and browser. A form shown again with its errors answers 200 and is recorded too;
    the status in the description tells it from a redirect after success."""

    def middleware(request):
        response = get_response(request)
        if request.method in METHODES_D_ECRITURE and response.status_code < 400:
            match = request.resolver_match
            user = getattr(request, "user", None)
            if (
                match is not None
                and match.view_name not in VUES_DEJA_JOURNALISEES
                and user is not None
                and user.is_authenticated
            ):
                journaliser_ecriture(
                    request, vue=match.view_name, parametres=match.kwargs, statut=response.status_code
                )
        return response

    return middleware


def _adresse(valeur: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(valeur.strip())
    except ValueError:
        return None


def _de_confiance(adresse, reseaux) -> bool:
    return any(adresse in reseau for reseau in reseaux)


def adresse_du_client(get_response):
    """Behind the reverse proxy REMOTE_ADDR is the proxy's address: replace it with the client's, read from
    X-Forwarded-For, but only when the request comes from a trusted proxy (`TRUSTED_PROXIES`). Anyone else's
    X-Forwarded-For is ignored, since a client can write whatever it likes there.

    Rewriting REMOTE_ADDR itself (first in MIDDLEWARE) gives every reader the same address: django-ratelimit
    (`key="ip"`), django-axes (`AXES_IPWARE_META_PRECEDENCE_ORDER`) and the audit trail.
    """

    def middleware(request):
        reseaux = settings.TRUSTED_PROXIES
        pair = _adresse(request.META.get("REMOTE_ADDR", ""))
        transmis = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if reseaux and pair is not None and transmis and _de_confiance(pair, reseaux):
            # Each proxy appends the address it received the request from: read from the right, skip our
            # own proxies; the first other address is the client. Anything further left is the client's word.
            client = pair
            for valeur in reversed(transmis.split(",")):
                adresse = _adresse(valeur)
                if adresse is None:
                    break
                client = adresse
                if not _de_confiance(adresse, reseaux):
                    break
            request.META["REMOTE_ADDR"] = str(client)
        return get_response(request)

    return middleware
