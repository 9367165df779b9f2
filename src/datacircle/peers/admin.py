"""Peer learning in the Django admin, for operators who need to look underneath."""

from django.contrib import admin

from datacircle.peers.models import Match, MatchEvent, MatchingRound, Profile, Unmatched


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["person", "capacity", "status", "source", "updated_at"]
    list_filter = ["status", "source"]
    search_fields = ["person__given_name", "person__family_name", "person__email"]
    raw_id_fields = ["person"]


class MatchInline(admin.TabularInline):
    model = Match
    fields = ["learner", "sharer", "skill", "benefit", "status"]
    raw_id_fields = ["learner", "sharer"]
    extra = 0


@admin.register(MatchingRound)
class MatchingRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "created_at", "published_at"]
    list_filter = ["status"]
    inlines = [MatchInline]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["learner", "sharer", "skill", "status", "round"]
    list_filter = ["status"]
    raw_id_fields = ["learner", "sharer", "round"]


admin.site.register(Unmatched)
admin.site.register(MatchEvent)
