"""Security headers Django 5.2 does not send by itself, Secure cookies over https, and the
language of a signed-in person."""

from django.conf import settings
from django.utils import translation

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure():
            # Served over https (directly or via a trusted proxy): never let a cookie leak to http.
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response

    return middleware


def profile_language(get_response):
    """A signed-in person reads pages in the first of their languages that Data Circle speaks,
    unless they chose one with the switcher (its cookie wins); people who are not signed in get
    their browser's language (LocaleMiddleware)."""
    supported = {code for code, _name in settings.LANGUAGES}

    def middleware(request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and request.user.is_authenticated:
            person = getattr(request.user, "person", None)
            spoken = [code for code in (person.languages if person else []) if code in supported]
            if spoken:
                translation.activate(spoken[0])
                request.LANGUAGE_CODE = spoken[0]
        return get_response(request)

    return middleware
