"""URLs of the working group programme: planning pages here, sessions in urls_sessions."""

from django.urls import include, path

urlpatterns = [
    path("", include("datacircle.programme.urls_sessions")),
]
