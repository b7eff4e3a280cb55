"""One case table for every case type (hotline ticket, disclosure request ...).

Each domain keeps its details in a one-to-one table of its own; this table
gives staff one inbox, one due-soon list and one timeline across modules.
`state` is changed only by `fazhi.kernel.workflow.engine`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Case(models.Model):
    case_type = models.CharField(_("案件类型"), max_length=32, db_index=True)
    number = models.CharField(_("编号"), max_length=40, unique=True)
    state = models.CharField(_("状态"), max_length=32)
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(_("事由"), max_length=255)
    opened_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["agency", "state"]),
            models.Index(fields=["case_type", "state"]),
        ]
        verbose_name = _("案件")
        verbose_name_plural = _("案件")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class NumberSequence(models.Model):
    """Per prefix and year counter for public case numbers (e.g. GK-2026-000123)."""

    prefix = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="number_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"
