"""URLs of the partners and allies registry, under the network area."""

from django.urls import path

from datacircle.partners import views

urlpatterns = [
    path("network/partners/", views.partner_list, name="partners"),
    path("network/partners/export.csv", views.partner_export, name="partners-export"),
    path("network/partners/add/", views.partner_add, name="partner-add"),
    path("network/partners/<int:pk>/", views.partner_detail, name="partner"),
    path("network/partners/<int:pk>/edit/", views.partner_edit, name="partner-edit"),
    path(
        "network/partners/<int:pk>/contacts/add/",
        views.contact_form,
        name="partner-contact-add",
    ),
    path(
        "network/partners/<int:pk>/contacts/<int:contact>/edit/",
        views.contact_form,
        name="partner-contact-edit",
    ),
    path(
        "network/partners/<int:pk>/contacts/<int:contact>/delete/",
        views.contact_delete,
        name="partner-contact-delete",
    ),
    path(
        "network/partners/<int:pk>/engagements/add/",
        views.engagement_form,
        name="partner-engagement-add",
    ),
    path(
        "network/partners/<int:pk>/engagements/<int:engagement>/edit/",
        views.engagement_form,
        name="partner-engagement-edit",
    ),
    path(
        "network/partners/<int:pk>/engagements/<int:engagement>/delete/",
        views.engagement_delete,
        name="partner-engagement-delete",
    ),
]
