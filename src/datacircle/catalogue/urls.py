"""URLs of the shared catalogue: the JSON API under /api/v1/ and the token pages."""

from django.urls import include, path

from datacircle.catalogue import api, views

urlpatterns = [
    path("api/v1/", include(api.urls())),
    path("catalogue/tokens/", views.tokens, name="catalogue-tokens"),
    path("catalogue/tokens/<int:pk>/revoke/", views.revoke, name="catalogue-token-revoke"),
]
