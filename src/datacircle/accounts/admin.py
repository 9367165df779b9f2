"""Django admin for organisations, units and people (network admins use it for bulk fixes)."""

from django.contrib import admin

from datacircle.accounts.models import Organisation, Person, Unit


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "organisation", "unit", "kind", "role"]
    list_filter = ["role", "kind", "organisation"]
    search_fields = ["given_name", "family_name", "email"]
    raw_id_fields = ["user", "unit"]
