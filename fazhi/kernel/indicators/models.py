"""Indicators: registered by modules, fed with values, read by plans and reports.

An `Indicator` row mirrors a registration in code (`registry.register_indicator`)
and is upserted by `sync_indicators`. An `IndicatorValue` is one version of the
value of an indicator for an agency and a period; a new report or a changed
computation adds a version and marks the previous one superseded, so no
reported value is ever lost.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def plain(number: Decimal) -> str:
    """95.5000 -> "95.5", 100.0000 -> "100" (never "1E+2")."""
    return format(number.normalize(), "f")


class Indicator(models.Model):
    class Comparator(models.TextChoices):
        GE = ">=", _("不低于")
        LE = "<=", _("不高于")
        EQ = "=", _("等于")

    class Source(models.TextChoices):
        METRIC = "metric", _("系统自动统计")
        MANUAL = "manual", _("手工填报")

    class Origin(models.TextChoices):
        # Registered in code by a module (synced; gone from code -> inactive),
        # or defined by data a domain holds (a plan's targets), never synced.
        CODE = "code", _("模块注册")
        DATA = "data", _("业务数据定义")

    code = models.CharField(_("指标编码"), max_length=64, unique=True)
    name = models.CharField(_("指标名称"), max_length=255)
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    comparator = models.CharField(
        _("比较方式"), max_length=2, choices=Comparator.choices, default=">="
    )
    target = models.DecimalField(
        _("目标值"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    # Relative distance from the target still shown amber rather than red.
    amber_margin = models.DecimalField(
        _("预警区间"), max_digits=6, decimal_places=4, default=Decimal("0.1")
    )
    source = models.CharField(
        _("数据来源"), max_length=8, choices=Source.choices, default="manual"
    )
    description = models.TextField(_("说明"), blank=True)
    basis = models.CharField(_("目标依据"), max_length=255, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    origin = models.CharField(
        _("定义方式"), max_length=8, choices=Origin.choices, default=Origin.CODE
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def target_display(self) -> str:
        return "" if self.target is None else plain(self.target)


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values"
    )
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("统计期"), max_length=16)  # 2026, 2026-Q3, 2026-11
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=4)
    evidence = models.TextField(_("佐证"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("当前值"), default=True)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("被替换时间"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报人"),
    )

    class Meta:
        ordering = ["indicator", "agency", "period", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "agency", "period", "version"],
                name="indicator_value_version_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "agency", "period"],
                condition=Q(is_current=True),
                name="indicator_value_one_current",
            ),
        ]
        indexes = [models.Index(fields=["period", "is_current"])]
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.agency_id} {self.period}={self.value}"

    @property
    def value_display(self) -> str:
        return plain(self.value)
