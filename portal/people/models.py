"""Users, the operators they work for, and the territories they work in."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from wagtail.search import index


class Operator(models.Model):
    """An organisation type of the employment network (France Travail, Mission locale…)."""

    slug = models.SlugField("identifiant", max_length=60, unique=True)
    name = models.CharField("nom", max_length=120, unique=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "opérateur"
        verbose_name_plural = "opérateurs"

    def __str__(self):
        return self.name


class Territory(index.Indexed, models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", "National"
        REGION = "region", "Région"
        DEPARTEMENT = "departement", "Département"
        LOCAL = "local", "Comité local pour l'emploi"

    # Which level a parent must have, for each level.
    PARENT_LEVEL = {
        Level.NATIONAL: None,
        Level.REGION: Level.NATIONAL,
        Level.DEPARTEMENT: Level.REGION,
        Level.LOCAL: Level.DEPARTEMENT,
    }

    level = models.CharField("niveau", max_length=12, choices=Level.choices)
    name = models.CharField("nom", max_length=120)
    slug = models.SlugField(
        "identifiant d'URL",
        max_length=80,
        unique=True,
        help_text="Stable : il sert dans les adresses (par exemple « hauts-de-france »).",
    )
    insee_code = models.CharField(
        "code INSEE", max_length=5, blank=True, help_text="Vide pour le national et le local."
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="territoire parent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["level", "name"]
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        constraints = [
            models.UniqueConstraint(
                fields=["level", "insee_code"],
                condition=~models.Q(insee_code=""),
                name="territory_unique_insee_code_per_level",
            ),
            models.CheckConstraint(
                condition=models.Q(level="national", parent__isnull=True)
                | (~models.Q(level="national") & models.Q(parent__isnull=False)),
                name="territory_parent_unless_national",
            ),
        ]

    def __str__(self):
        if self.level == self.Level.DEPARTEMENT and self.insee_code:
            return f"{self.name} ({self.insee_code})"
        return self.name

    def clean(self):
        expected = self.PARENT_LEVEL.get(self.level)
        if expected is None:
            if self.parent_id:
                raise ValidationError({"parent": "Le niveau national n'a pas de parent."})
            return
        if self.parent is None:
            raise ValidationError(
                {"parent": f"Choisissez un territoire parent de niveau « {expected.label} »."}
            )
        if self.parent.level != expected:
            raise ValidationError(
                {
                    "parent": f"Un territoire de niveau « {self.get_level_display()} » doit "
                    f"dépendre d'un territoire de niveau « {expected.label} »."
                }
            )


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person with an account. E-mail is the login; the profile lives here too."""

    username = None
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    email = models.EmailField("adresse électronique", unique=True)

    display_name = models.CharField(
        "nom affiché",
        max_length=80,
        blank=True,
        help_text="Le nom que les autres membres voient (par exemple « Camille D. »).",
    )
    operator = models.ForeignKey(
        Operator,
        verbose_name="opérateur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    structure_name = models.CharField(
        "structure",
        max_length=160,
        blank=True,
        help_text="Par exemple « Agence France Travail Lille Centre ».",
    )
    job_title = models.CharField("fonction", max_length=120, blank=True)
    siret = models.CharField(
        "SIRET de la structure",
        max_length=14,
        blank=True,
        help_text="Transmis par ProConnect à la connexion.",
    )
    territories = models.ManyToManyField(
        Territory, verbose_name="territoires", blank=True, related_name="members"
    )
    bio = models.TextField("présentation", max_length=600, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        """What other members see: never the e-mail address."""
        if self.display_name:
            return self.display_name
        full = f"{self.first_name} {self.last_name[:1]}.".strip() if self.last_name else ""
        return full or self.first_name or "Membre"

    def get_full_name(self):
        return self.public_name

    def get_short_name(self):
        return self.public_name

    def get_absolute_url(self):
        return reverse("people:profile")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What record_operator_period compares with at the next save.
        instance._operator_id_at_load = instance.__dict__.get("operator_id")
        return instance

    @property
    def profile_missing(self) -> list[str]:
        """What the community requires and this profile still lacks (French labels)."""
        missing = []
        if not self.operator_id:
            missing.append("votre opérateur")
        if not self.territories.exists():
            missing.append("au moins un territoire")
        return missing


class OperatorPeriod(models.Model):
    """Since when a person works for an operator: the pilotage counts each act for the
    operator its author had when it happened (pilotage/indicators.py).

    Written whenever a person's operator is set or changes (the User post_save receiver
    in portal/people/apps.py); an act before a person's first period counts for that
    first operator (they had it from their arrival)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="operator_periods")
    operator = models.ForeignKey(
        Operator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateTimeField("depuis")

    class Meta:
        verbose_name = "période chez un opérateur"
        verbose_name_plural = "périodes chez un opérateur"
        ordering = ["user", "since", "pk"]
        indexes = [models.Index(fields=["user", "since"])]

    def __str__(self):
        return f"{self.user} : {self.operator or 'sans opérateur'} depuis le {self.since:%d/%m/%Y}"
