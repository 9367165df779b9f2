"""URLs of federation: the peers this Data Circle pulls modules from."""

from django.urls import path

from datacircle.federation import views

urlpatterns = [
    path("network/peers/", views.peers, name="federation-peers"),
    path("network/peers/<int:pk>/", views.peer_detail, name="federation-peer"),
    path("network/peers/<int:pk>/pull/", views.pull_now, name="federation-peer-pull"),
    path("network/peers/<int:pk>/remove/", views.remove, name="federation-peer-remove"),
]
