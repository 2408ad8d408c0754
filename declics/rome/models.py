from django.db import models
from django.utils.translation import gettext_lazy as _

from declics.translated_data import in_page_language


class RomeJobQuerySet(models.QuerySet):
    def digital(self):
        return self.filter(is_digital=True)


class RomeJob(models.Model):
    """A job sheet of France Travail's ROME 4.0 (e.g. M1805 Études et développement informatique)."""

    code = models.CharField(_("code ROME"), max_length=5, primary_key=True)
    label = models.CharField(_("intitulé"), max_length=200)
    is_digital = models.BooleanField(_("métier du numérique"), default=False, db_index=True)
    # Written for the platform, in plain French, for a job seeker (empty until written).
    description = models.TextField(_("description"), blank=True)
    # The English versions (programs/role_models/data/digital_jobs_en.json); empty: French is shown.
    label_en = models.CharField(_("intitulé en anglais"), max_length=200, blank=True)
    description_en = models.TextField(_("description en anglais"), blank=True)

    objects = RomeJobQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when the model lived in the jobs app (moved without a copy).
        db_table = "jobs_romejob"
        verbose_name = _("métier (ROME)")
        verbose_name_plural = _("métiers (ROME)")
        ordering = ["code"]

    def __str__(self):
        return f"{self.label} ({self.code})"

    @property
    def display_label(self) -> str:
        """The job's name in the page's language (French when no English name is written)."""
        return in_page_language(self.label, self.label_en)

    @property
    def display_description(self) -> str:
        return in_page_language(self.description, self.description_en)


class RomeLoad(models.Model):
    """One load of the vendored ROME file: when, which file (its checksum) and what it changed."""

    loaded_at = models.DateTimeField(_("chargé le"), auto_now_add=True)
    checksum = models.CharField(_("empreinte du fichier"), max_length=64)
    codes = models.PositiveIntegerField(_("codes du fichier"))
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("chargement du ROME")
        verbose_name_plural = _("chargements du ROME")
        ordering = ["-loaded_at", "-pk"]

    def __str__(self):
        return f"ROME {self.loaded_at:%Y-%m-%d} ({self.checksum[:12]})"
