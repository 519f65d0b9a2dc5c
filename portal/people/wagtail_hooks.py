from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.people.models import Operator, Territory


class TerritoryViewSet(SnippetViewSet):
    model = Territory
    icon = "site"
    menu_label = "Territoires"
    list_display = ["name", "level", "insee_code", "slug", "parent"]
    list_filter = ["level"]
    search_fields = ["name"]
    ordering = ["level", "name"]
    list_per_page = 50
    panels = [
        FieldPanel("level"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("insee_code"),
        FieldPanel("parent"),
    ]

    def get_queryset(self, request):
        return Territory.objects.select_related("parent")


class OperatorViewSet(SnippetViewSet):
    model = Operator
    icon = "group"
    menu_label = "Opérateurs"
    list_display = ["name", "slug", "position"]
    ordering = ["position", "name"]


class ReferenceDataGroup(SnippetViewSetGroup):
    items = (TerritoryViewSet, OperatorViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Référentiels"
    menu_name = "reference-data"


register_snippet(ReferenceDataGroup)
