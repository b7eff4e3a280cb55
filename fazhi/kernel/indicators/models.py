"""Indicators: registered by modules, fed with values, read by plans and reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    class Comparator(models.TextChoices):
        GE = ">=", _("不低于")
        LE = "<=", _("不高于")
        EQ = "=", _("等于")

    class Source(models.TextChoices):
        METRIC = "metric", _("系统自动统计")
        MANUAL = "manual", _("手工填报")

    code = models.CharField(_("指标编码"), max_length=64, unique=True)
    name = models.CharField(_("指标名称"), max_length=255)
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    comparator = models.CharField(max_length=2, choices=Comparator.choices, default=">=")
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default="manual")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("统计期"), max_length=16)  # 2026, 2026-Q3, 2026-11
    value = models.DecimalField(max_digits=14, decimal_places=4)
    evidence = models.TextField(_("佐证"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "agency", "period"], name="indicator_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.agency_id} {self.period}={self.value}"
