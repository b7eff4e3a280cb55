"""The working-day calendar, period rules and clocks.

A day is a working day when it is Monday-Friday and not a holiday, or when it
is an adjusted working day (调休). Only the exceptions are stored.
A year absent from `CalendarYear` is not authoritative: periods reaching into
it are computed from the statutory holidays and flagged provisional.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose holidays and 调休 are known from an official notice."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    source = models.CharField(_("来源"), max_length=255)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(primary_key=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日/调休")
        verbose_name_plural = _("节假日/调休")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class Clock(models.Model):
    """A statutory clock: start + budget + its ledger (ClockEvent).

    `due_date` and `provisional` are derived from the ledger and the calendar
    and stored only so that sweeps and due-soon lists are one indexed query.
    """

    class Unit(models.TextChoices):
        WORKING = "working", _("工作日")
        NATURAL = "natural", _("自然日")

    class State(models.TextChoices):
        RUNNING = "running", _("计时中")
        PAUSED = "paused", _("已暂停")
        STOPPED = "stopped", _("已停止")

    class Alert(models.TextChoices):
        NONE = "none", _("正常")
        YELLOW = "yellow", _("临期")
        RED = "red", _("超期")

    case = models.ForeignKey(
        "workflow.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="clocks",
        # The (case, name) unique index leads with case_id and serves lookups
        # by case; a second index would only slow the bulk recompute down.
        db_index=False,
    )
    name = models.CharField(_("名称"), max_length=64)
    rule_id = models.CharField(_("期限规则"), max_length=64, blank=True)
    start_date = models.DateField(_("起算日"))
    budget_days = models.PositiveIntegerField(_("期限（日）"))
    unit = models.CharField(max_length=8, choices=Unit.choices)
    extension_days = models.PositiveIntegerField(default=0)
    # The pause/resume ledger folded into [[from, to], ...] (ISO dates, both
    # inclusive; `to` is null while paused) so bulk recomputes read one table.
    pauses = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.RUNNING)
    due_date = models.DateField(_("到期日"))
    provisional = models.BooleanField(default=False)
    alert = models.CharField(max_length=8, choices=Alert.choices, default=Alert.NONE)
    # The alert the handlers were last told about; the sweep claims a notice
    # with a guarded UPDATE on this field, so concurrent sweeps send it once.
    notified_alert = models.CharField(
        max_length=8, choices=Alert.choices, default=Alert.NONE
    )
    stopped_on = models.DateField(null=True, blank=True)
    # Bumped by every write, so a bulk recompute never overwrites a due date
    # computed from a ledger that changed under it (optimistic lock).
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # One index to sweep and list by due date; every extra index is
        # rewritten for each of the million rows a calendar change updates.
        indexes = [models.Index(fields=["state", "due_date"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "name"], name="clock_case_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} due {self.due_date}"

    def explain(self) -> list[str]:
        """Why is it due then? One Chinese sentence per reason, recomputed from
        the ledger: start day, holidays and 调休 passed, pauses, extensions,
        roll-over, and the provisional warning."""
        from .ledger import clock_result

        return clock_result(self).explain


class ClockEvent(models.Model):
    """The ledger a due date is derived from."""

    class Kind(models.TextChoices):
        START = "start", _("起算")
        PAUSE = "pause", _("暂停")
        RESUME = "resume", _("恢复")
        EXTEND = "extend", _("延长")
        STOP = "stop", _("停止")
        RECOMPUTE = "recompute", _("重算")

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    on = models.DateField()
    days = models.IntegerField(null=True, blank=True)
    unit = models.CharField(max_length=8, blank=True)
    rule_id = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    # The due date after this event, so the ledger shows how it moved.
    due_date = models.DateField(null=True, blank=True)
    provisional = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"


class PeriodRuleOverride(models.Model):
    """A local value for a period the law leaves to the locality.

    Only rules marked `configurable` in `rules.py` may be overridden; the
    local document that sets the value is the citation shown beside it.
    """

    rule_id = models.CharField(_("期限规则"), max_length=64, primary_key=True)
    days = models.PositiveIntegerField(_("期限（日）"))
    citation = models.CharField(_("本地依据"), max_length=255)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["rule_id"]
        verbose_name = _("期限本地设置")
        verbose_name_plural = _("期限本地设置")

    def __str__(self) -> str:
        return f"{self.rule_id}={self.days}"
