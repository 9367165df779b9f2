"""URLs of the session library."""

from django.urls import path

from datacircle.library import views

urlpatterns = [
    path("library/", views.browse, name="area-library"),
    path("library/new/", views.edit, name="library-new"),
    path("library/new/preview/", views.live_preview, name="library-new-preview"),
    path("library/import/", views.import_page, name="library-import"),
    path("library/modules.zip", views.bundle, name="library-bundle"),
    path("library/<int:pk>/", views.module_detail, name="library-module"),
    path("library/<int:pk>/edit/", views.edit, name="library-edit"),
    path("library/<int:pk>/edit/preview/", views.live_preview, name="library-edit-preview"),
    path("library/<int:pk>/action/", views.action, name="library-action"),
    path("library/<int:pk>/adapt/", views.adapt, name="library-adapt"),
    path("library/<int:pk>/translate/", views.translate, name="library-translate"),
    path("library/<int:pk>/changes/", views.diff, name="library-diff"),
    path("library/<int:pk>/module.md", views.export, name="library-export"),
    path("library/<int:pk>/sheet.pdf", views.sheet, name="library-sheet"),
]
