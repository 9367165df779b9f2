"""The Django project: settings, URLs, WSGI entry point and the shared page shell."""
