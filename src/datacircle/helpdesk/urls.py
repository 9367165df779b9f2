"""URLs of the data help desk."""

from django.urls import path

from datacircle.helpdesk import views

urlpatterns = [
    path("helpdesk/", views.landing, name="area-helpdesk"),
    path("helpdesk/ask/", views.ask, name="helpdesk-ask"),
    path("helpdesk/ask/<slug:organisation>/", views.ask_public, name="helpdesk-ask-public"),
    path("helpdesk/questions/", views.question_list, name="helpdesk-questions"),
    path("helpdesk/questions/<int:pk>/", views.question_detail, name="helpdesk-question"),
    path("helpdesk/questions/<int:pk>/reply/", views.question_reply, name="helpdesk-reply"),
    path(
        "helpdesk/questions/<int:pk>/accept/<int:reply>/",
        views.question_accept,
        name="helpdesk-accept",
    ),
    path("helpdesk/questions/<int:pk>/assign/", views.question_assign, name="helpdesk-assign"),
    path("helpdesk/questions/<int:pk>/close/", views.question_close, name="helpdesk-close"),
    path(
        "helpdesk/questions/<int:pk>/promote/<int:reply>/",
        views.question_promote,
        name="helpdesk-promote",
    ),
    path("helpdesk/q/<str:token>/", views.track, name="helpdesk-track"),
    path("helpdesk/faq/", views.faq, name="helpdesk-faq"),
    path("helpdesk/faq/<int:pk>/", views.faq_entry, name="helpdesk-faq-entry"),
    path("helpdesk/faq/<int:pk>/edit/", views.faq_edit, name="helpdesk-faq-edit"),
    path("helpdesk/faq/<int:pk>/translate/", views.faq_translate, name="helpdesk-faq-translate"),
    path("helpdesk/suggestions/", views.suggestions, name="helpdesk-suggestions"),
]
