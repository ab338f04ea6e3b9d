"""Middleware tied to who is logged in."""

from django.utils.cache import add_never_cache_headers


def no_store_when_logged_in(get_response):
    """Every page a logged-in person sees is personal (a family's request, a childminder's file,
    a convention): no browser or proxy may keep a copy, so the back button on a shared computer
    shows nothing after logout."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware
