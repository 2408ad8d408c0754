"""Régions, départements and communes (INSEE COG), and the QPV and FRR/ZRR lists.

Loaded by management commands from versioned files, never typed by hand; the QPV and FRR/ZRR lists
also from the staff console (`ZoningImport`), through the same import functions.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Zone(models.TextChoices):
    METRO = "metro", _("métropole")
    DROM = "drom", _("département ou région d'outre-mer")
    # Collectivités d'outre-mer: the COG lists each as its own "région" and "département".
    COM = "com", _("collectivité d'outre-mer")


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    zone = models.CharField(_("zone"), max_length=5, choices=Zone.choices, default=Zone.METRO)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    zone = models.CharField(_("zone"), max_length=5, choices=Zone.choices, default=Zone.METRO)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class CommuneQuerySet(models.QuerySet):
    def current(self):
        """Communes a person can live in today: current communes and municipal arrondissements."""
        return self.filter(kind__in=[Commune.Kind.CURRENT, Commune.Kind.ARRONDISSEMENT], is_active=True)


class Commune(models.Model):
    """A row of the COG. A delegated commune may share its INSEE code with its new commune."""

    class Kind(models.TextChoices):
        CURRENT = "commune-actuelle", _("commune")
        DELEGATED = "commune-deleguee", _("commune déléguée")
        ASSOCIATED = "commune-associee", _("commune associée")
        ARRONDISSEMENT = "arrondissement-municipal", _("arrondissement municipal")

    code = models.CharField(_("code INSEE"), max_length=5)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.CURRENT)
    name = models.CharField(_("nom"), max_length=100)
    # Lower-case, accents removed, hyphens as spaces: what the autocomplete searches.
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    postal_codes = models.CharField(
        _("codes postaux"), max_length=200, blank=True, help_text=_("Séparés par des espaces.")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # The commune an arrondissement belongs to, or the commune a delegated/associated one joined.
    parent_code = models.CharField(_("code INSEE du rattachement"), max_length=5, blank=True)
    # False once a new COG version no longer lists the row (kept: other tables may point to it).
    is_active = models.BooleanField(_("dans le COG en vigueur"), default=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["code", "kind"], name="commune_code_kind_unique")]
        indexes = [models.Index(fields=["code"], name="commune_code_idx")]

    def __str__(self):
        first_postal_code = self.postal_codes.split(" ", 1)[0]
        return f"{self.name} ({first_postal_code or self.departement_id})"

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()


class CommunePostalCode(models.Model):
    """One postal code of a commune: an indexed copy of `Commune.postal_codes` for the search."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_code_rows")
    code = models.CharField(_("code postal"), max_length=5, db_index=True)

    class Meta:
        verbose_name = _("code postal")
        verbose_name_plural = _("codes postaux")
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="commune_postal_code_unique")]

    def __str__(self):
        return self.code


class ReferenceDataVersion(models.Model):
    """The checksum of the vendored files last loaded, so `load_territories` can skip an unchanged load."""

    name = models.CharField(max_length=50, primary_key=True)
    checksum = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("version des données de référence")
        verbose_name_plural = _("versions des données de référence")

    def __str__(self):
        return f"{self.name} ({self.checksum[:12]})"


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class QPV(models.Model):
    """A quartier prioritaire de la politique de la ville (official list, e.g. the 2024 one)."""

    code = models.CharField(_("code QPV"), max_length=20)
    name = models.CharField(_("nom"), max_length=200)
    communes = models.ManyToManyField(Commune, related_name="qpvs", verbose_name=_("communes"))
    valid_from = models.DateField(_("valable à partir du"))
    valid_to = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    is_sample = models.BooleanField(
        _("exemple"), default=False, help_text=_("Ligne d'un fichier d'exemple, pas de la liste officielle.")
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("quartier prioritaire (QPV)")
        verbose_name_plural = _("quartiers prioritaires (QPV)")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="qpv_code_valid_from_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="qpv_validity_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class RuralZone(models.Model):
    """A commune classified as a rural revitalisation zone: ZRR, then FRR (France Ruralités
    Revitalisation) since 1 July 2024, for a period and from an official source."""

    class Classification(models.TextChoices):
        ZRR = "ZRR", _("ZRR")
        FRR = "FRR", _("FRR")
        FRR_PLUS = "FRR+", _("FRR+")

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="rural_zones")
    classification = models.CharField(_("classement"), max_length=5, choices=Classification.choices)
    valid_from = models.DateField(_("valable à partir du"))
    valid_to = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    is_sample = models.BooleanField(_("exemple"), default=False)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune FRR/ZRR")
        verbose_name_plural = _("communes FRR/ZRR")
        ordering = ["commune__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "classification", "valid_from"], name="rural_zone_unique_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="rural_zone_validity_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.commune} – {self.classification}"


class ZoningImport(models.Model):
    """An official QPV or FRR/ZRR file uploaded by the staff, imported by a task, with its report.

    The file is kept in the row (no shared file storage between web and worker containers); the
    import itself is `services.import_qpvs` / `import_rural_zones`, the commands' very functions.
    """

    class Kind(models.TextChoices):
        QPV = "qpv", _("quartiers prioritaires (QPV)")
        RURAL = "rural", _("communes FRR/ZRR")

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("importé")
        FAILED = "failed", _("refusé")

    kind = models.CharField(_("liste"), max_length=10, choices=Kind.choices)
    classification = models.CharField(
        _("classement"), max_length=5, choices=RuralZone.Classification.choices, blank=True
    )
    valid_from = models.DateField(_("valable à partir du"))
    valid_to = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    filename = models.CharField(_("fichier"), max_length=255)
    content = models.BinaryField()
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # The report: rows read, rows created / updated / unchanged, rows refused with their reason.
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    superseded = models.PositiveIntegerField(default=0)
    refused = models.JSONField(default=list, blank=True)  # [{"line": 12, "reason": "…"}]
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import d'une liste officielle")
        verbose_name_plural = _("imports des listes officielles")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.filename} ({self.valid_from})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
