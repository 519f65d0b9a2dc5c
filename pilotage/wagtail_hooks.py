"""The pilotage in the Wagtail admin: pilote roles (given by staff), the runs, and the
API keys (made by their owners; staff see them and delete one to revoke it)."""

from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from pilotage.models import AggregationRun, ApiToken, PiloteRole


class PiloteRoleViewSet(SnippetViewSet):
    model = PiloteRole
    icon = "user"
    menu_label = "Pilotes"
    list_display = ["user", "territory", "granted_by", "granted_at"]
    search_fields = []
    ordering = ["territory__name"]
    panels = [FieldPanel("user"), FieldPanel("territory")]

    def get_queryset(self, request):
        return PiloteRole.objects.select_related("user", "territory", "granted_by")


class AggregationRunViewSet(SnippetViewSet):
    model = AggregationRun
    icon = "time"
    menu_label = "Calculs des indicateurs"
    list_display = ["__str__", "status", "finished_at", "rows", "requested_by"]
    inspect_view_enabled = True
    list_export = []

    def get_queryset(self, request):
        return AggregationRun.objects.select_related("requested_by")


class _SeeAndDeleteOnly(ModelPermissionPolicy):
    """Keys are made by their owners (/pilotage/cles/) and never edited: the admin lists,
    inspects and deletes them (deleting revokes at once)."""

    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)


register_permission_policy(ApiToken, _SeeAndDeleteOnly(ApiToken))


# What staff see of a key, in the list and on its page (never its digest).
TOKEN_FIELDS = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]


class ApiTokenViewSet(SnippetViewSet):
    model = ApiToken
    icon = "key"
    menu_label = "Clés d'API"
    list_display = TOKEN_FIELDS
    inspect_view_enabled = True
    inspect_view_fields = TOKEN_FIELDS
    list_export = []
    search_fields = []

    def get_queryset(self, request):
        return ApiToken.objects.select_related("user")


class PilotageGroup(SnippetViewSetGroup):
    items = (PiloteRoleViewSet, AggregationRunViewSet, ApiTokenViewSet)
    menu_icon = "view"
    menu_label = "Pilotage"


register_snippet(PilotageGroup)


@hooks.register("after_create_snippet")
def record_who_granted(request, instance):
    if isinstance(instance, PiloteRole) and instance.granted_by_id is None:
        PiloteRole.objects.filter(pk=instance.pk).update(granted_by=request.user)
