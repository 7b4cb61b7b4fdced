from django.contrib import admin

from .models import HealthSignal, Membership, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    filter_horizontal = ("managers",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "team", "joined_on", "left_on")
    list_filter = ("team",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "team__name")
    autocomplete_fields = ("user", "team")
    list_select_related = ("user", "team")


@admin.register(HealthSignal)
class HealthSignalAdmin(admin.ModelAdmin):
    list_display = ("message", "team", "kind", "period_start", "raised_at")
    list_filter = ("kind", "team")
    list_select_related = ("team",)
