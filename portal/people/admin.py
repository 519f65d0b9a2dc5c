from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from portal.people.models import Operator, Territory, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "operator", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "operator"]
    search_fields = ["email", "display_name", "structure_name"]
    list_select_related = ["operator"]
    filter_horizontal = ["territories", "groups", "user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Profil",
            {
                "fields": [
                    "display_name",
                    "first_name",
                    "last_name",
                    "operator",
                    "structure_name",
                    "job_title",
                    "territories",
                    "bio",
                ]
            },
        ),
        (
            "Droits",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "insee_code", "slug", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "slug", "insee_code"]
    list_select_related = ["parent"]


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
