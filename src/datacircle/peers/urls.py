"""URLs of peer learning."""

from django.urls import path

from datacircle.peers import views

urlpatterns = [
    path("peers/", views.mine, name="peers-mine"),
    path("peers/profile/", views.profile, name="peers-profile"),
    path("peers/rounds/", views.rounds, name="peers-rounds"),
    path("peers/rounds/<int:pk>/", views.round_detail, name="peers-round"),
    path("peers/rounds/<int:pk>/action/", views.round_action, name="peers-round-action"),
    path("peers/rounds/<int:pk>/matches.csv", views.round_csv, name="peers-round-csv"),
    path("peers/rounds/<int:pk>/learners/<int:learner>/", views.assign, name="peers-round-assign"),
    path("peers/matches/<int:pk>/", views.match_detail, name="peers-match"),
    path("peers/m/<str:token>/", views.match_link, name="peers-match-link"),
]
