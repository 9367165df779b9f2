"""URLs of sessions, registrations, feedback, calendars and deliveries."""

from django.urls import path

from datacircle.programme import views_sessions as views

urlpatterns = [
    path("programme/sessions/", views.session_list, name="programme-sessions"),
    path("programme/sessions/<int:pk>/", views.session_detail, name="programme-session"),
    path("programme/calendar/<str:token>.ics", views.programme_calendar, name="programme-calendar"),
    path("programme/me/<str:token>.ics", views.my_calendar, name="programme-my-calendar"),
    path("programme/deliveries/", views.delivery_list, name="programme-deliveries"),
    path("programme/deliveries/add/", views.delivery_add, name="programme-delivery-add"),
]
