"""URL map of the whole site."""

from django.contrib import admin
from django.urls import include, path

from datacircle.web import views
from datacircle.web.navigation import AREAS

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/<str:language>/", views.javascript_catalogue, name="javascript-catalogue"),
    path("admin/", admin.site.urls),
    path("", include("datacircle.accounts.urls")),
    path("", include("datacircle.jobs.urls")),
    path("", include("datacircle.scoping.urls")),
    path("", include("datacircle.peers.urls")),
    path("", include("datacircle.helpdesk.urls")),
    path("", include("datacircle.library.urls")),
    path("", include("datacircle.programme.urls")),
    path("", include("datacircle.network.urls")),
    path("", include("datacircle.partners.urls")),
    path("", include("datacircle.catalogue.urls")),
    path("", include("datacircle.federation.urls")),
    path("", include("datacircle.maturity.urls")),
    # Areas not built yet get a landing page that says so.
    *[
        path(f"{area.slug}/", views.area, {"slug": area.slug}, name=area.url_name)
        for area in AREAS
        if not area.built
    ],
]
