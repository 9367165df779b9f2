"""Django admin for the help desk: questions with their replies and history, FAQ entries."""

from django.contrib import admin

from datacircle.helpdesk.models import FaqEntry, Question, QuestionEvent, Reply


class ReplyInline(admin.TabularInline):
    model = Reply
    extra = 0
    raw_id_fields = ["author"]


class EventInline(admin.TabularInline):
    model = QuestionEvent
    extra = 0
    readonly_fields = ["at", "actor", "actor_label", "before", "after", "assigned_to", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "skill", "language", "status", "assigned_to", "due_on"]
    list_filter = ["status", "language", "organisation"]
    search_fields = ["title", "body", "asker_name", "asker_email"]
    raw_id_fields = ["asker", "assigned_to", "answer"]
    readonly_fields = ["token"]
    inlines = [ReplyInline, EventInline]


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "skill", "language", "organisation", "original", "updated_at"]
    list_filter = ["language", "skill"]
    search_fields = ["title", "body"]
    raw_id_fields = ["original", "source"]
