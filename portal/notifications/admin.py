from django.contrib import admin

from portal.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """For diagnosis only: notifications are written by the service, never by hand."""

    list_display = ["title", "kind", "recipient", "created", "read_at", "email_state"]
    list_filter = ["kind", "email_state"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created"
    raw_id_fields = ["recipient", "actor", "email_batch"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
