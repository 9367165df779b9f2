"""Email notices in the Django admin: what was sent to whom, and what waits for a digest."""

from django.contrib import admin

from datacircle.notices.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["subject", "person", "created_at", "sent_at"]
    raw_id_fields = ["person"]
