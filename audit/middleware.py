"""Records every change made through the portal, in one place rather than in each view."""

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
