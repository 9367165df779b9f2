"""The partners registry in the Django admin."""

from django.contrib import admin

from datacircle.partners.models import Contact, Engagement, Partner


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    raw_id_fields = ["recorded_by"]


class EngagementInline(admin.TabularInline):
    model = Engagement
    extra = 0
    raw_id_fields = ["session", "module", "recorded_by"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "country", "relationship"]
    list_filter = ["kind", "relationship", "organisation"]
    search_fields = ["name"]
    inlines = [ContactInline, EngagementInline]
