"""URLs of the network view: the reach map, one organisation's reach, one module's."""

from django.urls import path

from datacircle.network import views

urlpatterns = [
    path("network/", views.area, name="area-network"),
    path("network/<slug:table>.csv", views.network_csv, name="network-csv"),
    path("network/organisations/<slug:slug>/", views.organisation, name="network-organisation"),
    path("network/modules/<slug:organisation>/<slug:slug>/", views.module, name="network-module"),
]
