"""URLs for organisations and people."""

from django.urls import path

from datacircle.accounts import views

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.person_edit, name="person-add"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
]
