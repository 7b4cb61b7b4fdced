from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    search_fields = ("username", "email", "first_name", "last_name")
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")
    list_filter = ("groups", "is_staff", "is_active")
    readonly_fields = ("oidc_subject",)
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Single sign-on", {"fields": ("oidc_subject",)}),
    )
