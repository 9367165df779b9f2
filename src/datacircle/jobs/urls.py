"""URLs of background jobs."""

from django.urls import path

from datacircle.jobs import views

urlpatterns = [path("jobs/<int:pk>/", views.job_detail, name="job")]
