"""The working group's records in the Django admin."""

from django.contrib import admin

from datacircle.programme.models import (
    Delivery,
    Feedback,
    Member,
    Milestone,
    Programme,
    ProgrammeVersion,
    Registration,
    Session,
)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "starts_at", "status", "capacity"]
    list_filter = ["status", "organisation"]
    raw_id_fields = ["module_version", "facilitators", "programme"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "version", "starts_on"]


admin.site.register(Member)
admin.site.register(Milestone)
admin.site.register(ProgrammeVersion)
admin.site.register(Registration)
admin.site.register(Feedback)
admin.site.register(Delivery)
