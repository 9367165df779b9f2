"""URLs of the working group programme: planning pages here, sessions in urls_sessions."""

from django.urls import include, path

from datacircle.programme import views_plan

urlpatterns = [
    path("programme/", views_plan.area, name="area-programme"),
    path("programme/group/", views_plan.group, name="programme-group"),
    path("programme/milestones/", views_plan.milestones, name="programme-milestones"),
    path("programme/plans/", views_plan.programmes, name="programme-plans"),
    path("programme/plans/<int:pk>/", views_plan.programme_detail, name="programme-plan"),
    path(
        "programme/plans/<int:pk>/action/",
        views_plan.programme_action,
        name="programme-plan-action",
    ),
    path(
        "programme/plans/<int:pk>/sessions/<int:session>/",
        views_plan.session_edit,
        name="programme-session-edit",
    ),
    path(
        "programme/plans/<int:pk>/versions/<int:number>/",
        views_plan.programme_version,
        name="programme-version",
    ),
    path("", include("datacircle.programme.urls_sessions")),
]
