"""Step 2: a versioned skills-assessment questionnaire, the person's attempts and their kept result.

A questionnaire version is immutable once someone answered it: a new version is a new row, and a
result stores its scores as a snapshot, so neither a new version nor new scoring rules ever
change a past result.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declics.public_ids import public_id_field
from declics.translated_data import in_page_language


class Part(models.TextChoices):
    DIGITAL = "digital", _("Compétences numériques")
    SOFT = "soft", _("Savoir-être et compétences transversales")
    INTERESTS = "interests", _("Centres d'intérêt")
    CONSTRAINTS = "constraints", _("Contraintes")


class QuestionnaireQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_active=True).order_by("-version").first()


class Questionnaire(models.Model):
    """One version of the questionnaire; `scoring` holds the areas' words and the job profiles."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    # English texts (data/questionnaire-v<N>.en.json): a translation, never part of the version's
    # content; empty, the French text is shown.
    title_en = models.CharField(_("titre en anglais"), max_length=200, blank=True)
    is_active = models.BooleanField(
        _("en service"), default=False, help_text=_("La version proposée aux nouvelles personnes.")
    )
    scoring = models.JSONField(_("règles de calcul"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        app_label = "programs"
        verbose_name = _("questionnaire du bilan")
        verbose_name_plural = _("questionnaires du bilan")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="questionnaire_one_active"
            )
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def display_title(self) -> str:
        return in_page_language(self.title, self.title_en)


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("identifiant"), max_length=50)
    order = models.PositiveSmallIntegerField(_("ordre"))
    part = models.CharField(_("partie"), max_length=12, choices=Part.choices)
    area = models.SlugField(
        _("domaine"), max_length=30, help_text=_("Domaine DigComp, compétence, lettre RIASEC…")
    )
    text = models.TextField(_("question"))
    help_text = models.TextField(_("aide"), blank=True)
    text_en = models.TextField(_("question en anglais"), blank=True)
    help_text_en = models.TextField(_("aide en anglais"), blank=True)

    class Meta:
        app_label = "programs"
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "order"], name="question_order_unique"),
            models.UniqueConstraint(fields=["questionnaire", "key"], name="question_key_unique"),
        ]

    def __str__(self):
        return f"v{self.questionnaire_id}/{self.key}"

    @property
    def display_text(self) -> str:
        """The question in the page's language (French when no English text is written)."""
        return in_page_language(self.text, self.text_en)

    @property
    def display_help_text(self) -> str:
        return in_page_language(self.help_text, self.help_text_en)


class Choice(models.Model):
    """One possible answer; `score` is what it adds to its question's area."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    value = models.SlugField(_("valeur"), max_length=50)
    order = models.PositiveSmallIntegerField(_("ordre"))
    label = models.CharField(_("réponse"), max_length=300)
    label_en = models.CharField(_("réponse en anglais"), max_length=300, blank=True)
    score = models.SmallIntegerField(_("points"), default=0)

    class Meta:
        app_label = "programs"
        verbose_name = _("réponse possible")
        verbose_name_plural = _("réponses possibles")
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="choice_value_unique"),
        ]

    def __str__(self):
        return self.label

    @property
    def display_label(self) -> str:
        return in_page_language(self.label, self.label_en)


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("en cours")
    COMPLETED = "completed", _("terminé")


class AssessmentAttemptQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(status=AttemptStatus.IN_PROGRESS)

    def completed(self):
        return self.filter(status=AttemptStatus.COMPLETED)


class AssessmentAttempt(models.Model):
    """A person's pass through one questionnaire version: a draft until completed, then scored once."""

    public_id = public_id_field()  # the id in URLs: never the sequential pk
    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.CASCADE, related_name="assessment_attempts"
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="attempts")
    status = models.CharField(
        _("statut"), max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentAttemptQuerySet.as_manager()

    class Meta:
        app_label = "programs"
        verbose_name = _("passage du bilan")
        verbose_name_plural = _("passages du bilan")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=models.Q(status="in_progress"),
                name="assessment_one_draft_per_enrolment",
            )
        ]

    def __str__(self):
        return f"{self.enrolment} – v{self.questionnaire_id}"


class Answer(models.Model):
    attempt = models.ForeignKey(AssessmentAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "programs"
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_one_per_question"),
        ]

    def __str__(self):
        return f"{self.attempt_id}: {self.question_id} → {self.choice_id}"


class AssessmentResultQuerySet(models.QuerySet):
    def latest_per_enrolment(self, enrolment_ids):
        return self.filter(attempt__enrolment_id__in=list(enrolment_ids)).order_by(
            "attempt__enrolment_id", "-created_at", "-pk"
        )


class AssessmentResult(models.Model):
    """The scored result the person keeps: a snapshot, never recomputed."""

    public_id = public_id_field()  # the id in URLs: never the sequential pk
    attempt = models.OneToOneField(AssessmentAttempt, on_delete=models.CASCADE, related_name="result")
    questionnaire_version = models.PositiveSmallIntegerField(_("version du questionnaire"))
    snapshot = models.JSONField(_("résultat"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = AssessmentResultQuerySet.as_manager()

    class Meta:
        app_label = "programs"
        verbose_name = _("résultat du bilan")
        verbose_name_plural = _("résultats du bilan")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.attempt.enrolment} – v{self.questionnaire_version}"

    def get_absolute_url(self):
        return reverse("programs:assessment_result", args=[self.public_id])

    @property
    def suggested_codes(self) -> list[str]:
        return [job["code"] for job in self.snapshot.get("jobs", [])]


class ShareAudience(models.TextChoices):
    ADVISER = "adviser", _("mon conseiller·ère")
    MENTOR = "mentor", _("mon mentor·e")


class ShareStatus(models.TextChoices):
    """The person's choice. Shown as three states: not shared; to share (chosen, but nobody to show it
    to yet: no adviser or no mentor so far; it is shown as soon as there is one); shared."""

    NOT_SHARED = "not_shared", _("non partagé")
    SHARED = "shared", _("partagé")


class AssessmentShare(models.Model):
    """The person's consent to show one result to one audience."""

    result = models.ForeignKey(AssessmentResult, on_delete=models.CASCADE, related_name="shares")
    audience = models.CharField(_("avec"), max_length=10, choices=ShareAudience.choices)
    status = models.CharField(
        _("état"), max_length=10, choices=ShareStatus.choices, default=ShareStatus.NOT_SHARED
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "programs"
        verbose_name = _("partage du bilan")
        verbose_name_plural = _("partages du bilan")
        constraints = [
            models.UniqueConstraint(fields=["result", "audience"], name="assessment_share_unique"),
        ]

    def __str__(self):
        return f"{self.result_id} → {self.audience}: {self.status}"
