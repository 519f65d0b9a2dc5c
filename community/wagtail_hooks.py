from wagtail import hooks

from community.services import spaces_ensure
from portal.people.models import Territory


@hooks.register("after_create_snippet")
def give_new_territory_its_space(request, instance):
    # A local committee added by staff gets its space at once.
    if isinstance(instance, Territory):
        spaces_ensure()
