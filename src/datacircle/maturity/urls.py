"""URLs of the maturity quick scan."""

from django.urls import path

from datacircle.maturity import views

urlpatterns = [
    path("maturity/", views.scans, name="area-maturity"),
    path("maturity/questionnaire/", views.questionnaire, name="maturity-questionnaire"),
    path("maturity/scans/<int:pk>/", views.results, name="maturity-results"),
    path("maturity/scans/<int:pk>/respond/", views.respond, name="maturity-respond"),
    path("maturity/scans/<int:pk>/status/", views.scan_status, name="maturity-status"),
    path(
        "maturity/scans/<int:pk>/results.<str:fmt>",
        views.results_export,
        name="maturity-results-export",
    ),
]
