"""URLs of skills scoping."""

from django.urls import path

from datacircle.scoping import views

urlpatterns = [
    path("scoping/", views.rounds, name="area-scoping"),
    path("scoping/skills/", views.skills, name="scoping-skills"),
    path("scoping/rounds/new/", views.round_edit, name="scoping-round-add"),
    path("scoping/rounds/<int:pk>/", views.round_detail, name="scoping-round"),
    path("scoping/rounds/<int:pk>/edit/", views.round_edit, name="scoping-round-edit"),
    path("scoping/rounds/<int:pk>/import/", views.round_import, name="scoping-import"),
    path("scoping/rounds/<int:pk>/coding/", views.coding, name="scoping-coding"),
    path("scoping/rounds/<int:pk>/report/", views.report, name="scoping-report"),
    path(
        "scoping/rounds/<int:pk>/report.<str:fmt>",
        views.report_export,
        name="scoping-report-export",
    ),
    path("scoping/rounds/<int:pk>/form.xlsx", views.xlsform, name="scoping-xlsform"),
    path("s/<str:token>/", views.questionnaire, name="scoping-questionnaire"),
]
