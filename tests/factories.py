import factory
from allauth.account.models import EmailAddress

from portal.people.models import Operator, Territory, User

DEFAULT_PASSWORD = "Motdepasse-solide-2026"


def territory(slug: str) -> Territory:
    """A territory of the reference data (loaded by migration)."""
    return Territory.objects.get(slug=slug)


def operator(slug: str) -> Operator:
    return Operator.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"membre{n}@exemple.fr")
    display_name = factory.Sequence(lambda n: f"Membre {n}")
    password = factory.django.Password(DEFAULT_PASSWORD)
    operator = factory.LazyFunction(lambda: operator("france-travail"))
    structure_name = "Agence de Lille Centre"
    job_title = "Conseillère emploi"

    class Params:
        bare = factory.Trait(operator=None, structure_name="", job_title="", display_name="")

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [territory("nord")]
        self.territories.set(extracted)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        """allauth's address row; pass verified_email=False for an unverified account."""
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )
