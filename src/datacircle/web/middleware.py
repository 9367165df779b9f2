"""Security headers Django 5.2 does not send by itself, and Secure cookies over https."""

from django.conf import settings

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
