"""The pilotage in the Wagtail admin: pilote roles (given by staff) and the runs."""

from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from pilotage.models import AggregationRun, PiloteRole


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


class PilotageGroup(SnippetViewSetGroup):
    items = (PiloteRoleViewSet, AggregationRunViewSet)
    menu_icon = "view"
    menu_label = "Pilotage"


register_snippet(PilotageGroup)


@hooks.register("after_create_snippet")
def record_who_granted(request, instance):
    if isinstance(instance, PiloteRole) and instance.granted_by_id is None:
        PiloteRole.objects.filter(pk=instance.pk).update(granted_by=request.user)
