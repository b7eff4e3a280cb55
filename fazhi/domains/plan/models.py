"""The plan, its tree of tasks and targets, and the work that hangs off it.

A `Plan` is imported from its text; its `PlanNode` tree (parts, sections,
tasks, measures) is edited by the office with every change kept as a
`PlanNodeRevision`. Tasks are assigned to lead and co-responsible agencies;
a `Milestone` is a kernel case (its clock, timeline and warnings come from
the kernel) on which units file `ProgressReport`s that the office reviews.
A 督办 notice (`Supervision`) is a case too, with its reply clock. 督察
campaigns visit every department and district; a finding becomes a
rectification milestone. `AnnualReport` keeps every generated version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Plan(models.Model):
    title = models.CharField(_("方案名称"), max_length=255)
    preamble = models.TextField(_("序言"), blank=True)
    owner = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("制定机关"),
    )
    year_from = models.PositiveSmallIntegerField(_("起始年度"), null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(_("终止年度"), null=True, blank=True)
    source_name = models.CharField(_("来源文件"), max_length=255, blank=True)
    source_text = models.TextField(_("原文"))
    source_sha256 = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A plan uploaded by mistake is withdrawn, never deleted (it stays in the
    # record); only a plan nobody has started work on can be withdrawn.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("实施方案")
        verbose_name_plural = _("实施方案")

    def __str__(self) -> str:
        return self.title


class PlanNode(models.Model):
    class Kind(models.TextChoices):
        PART = "part", _("部分")
        SECTION = "section", _("板块")
        TASK = "task", _("任务")
        MEASURE = "measure", _("举措")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="kids"
    )
    kind = models.CharField(_("层级"), max_length=8, choices=Kind.choices)
    number = models.CharField(_("序号"), max_length=16, blank=True)
    title = models.CharField(_("标题"), max_length=255)
    text = models.TextField(_("内容"), blank=True)
    # Normalised (Simplified, half-width) title + text, for matching and search.
    text_norm = models.TextField(editable=False, blank=True)
    position = models.PositiveIntegerField(default=0)  # order among siblings
    line = models.PositiveIntegerField(null=True, blank=True)  # in the source
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True)  # False once merged away
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["plan", "position"]
        indexes = [models.Index(fields=["plan", "kind", "is_active"])]
        verbose_name = _("方案条目")
        verbose_name_plural = _("方案条目")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def number_display(self) -> str:
        """The number as the plan writes it: 一、 （一） 1. (1)."""
        if not self.number:
            return ""
        if self.kind == self.Kind.PART:
            return f"{self.number}、"
        if self.kind == self.Kind.SECTION:
            return f"（{self.number}）"
        if self.kind == self.Kind.TASK:
            return f"{self.number}."
        return f"（{self.number}）"

    @property
    def label(self) -> str:
        if self.kind == self.Kind.TASK and self.number:
            return f"{self.number}. {self.title}"
        return f"{self.number_display}{self.title}"


class PlanNodeRevision(models.Model):
    """One state of a node's words, written by every import and edit."""

    class Op(models.TextChoices):
        IMPORT = "import", _("导入")
        REWORD = "reword", _("修改")
        SPLIT = "split", _("拆分")
        MERGE = "merge", _("合并")

    node = models.ForeignKey(PlanNode, on_delete=models.CASCADE, related_name="revs")
    version = models.PositiveIntegerField()
    op = models.CharField(max_length=8, choices=Op.choices)
    number = models.CharField(max_length=16, blank=True)
    title = models.CharField(max_length=255)
    text = models.TextField(blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    actor = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["node", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "version"], name="plan_node_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.node_id} v{self.version}"


class Target(models.Model):
    """A measurable target the parser found in a node (or the office added)."""

    class Kind(models.TextChoices):
        RATE = "rate", _("比率")
        PER_PERSON = "per_person", _("人均数量")
        COUNT = "count", _("次数")
        RATIO = "ratio", _("占比")
        DATE = "date", _("完成时限")
        QUALITATIVE = "qualitative", _("定性要求")

    node = models.ForeignKey(PlanNode, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    comparator = models.CharField(_("比较"), max_length=2)  # >= <= = by
    value = models.DecimalField(
        _("目标值"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    period = models.CharField(_("周期"), max_length=8, blank=True)  # year/term/plan
    subject = models.CharField(_("考核内容"), max_length=255)
    text = models.CharField(_("原文"), max_length=500)
    deadline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # The kernel indicator that carries this target's values: a module's
    # metric the office linked, or the target's own manual indicator.
    indicator_code = models.CharField(_("指标编码"), max_length=64, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["node", "pk"]
        verbose_name = _("目标")
        verbose_name_plural = _("目标")

    def __str__(self) -> str:
        return self.subject

    @property
    def value_display(self) -> str:
        """60.0000 -> "60" (never "6E+1")."""
        if self.value is None:
            return ""
        return format(self.value.normalize(), "f")

    @property
    def own_indicator_code(self) -> str:
        return f"plan.target.t{self.pk}"


class Assignment(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("牵头单位")
        CO = "co", _("配合单位")

    node = models.ForeignKey(
        PlanNode, on_delete=models.CASCADE, related_name="assignments"
    )
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("责任"), max_length=4, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["node", "role", "agency__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "agency"], name="plan_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.node_id} {self.agency_id} {self.role}"


class Milestone(models.Model):
    """A dated piece of a task for one unit; its progress runs as a kernel case."""

    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("节点任务")
        RECTIFICATION = "rectification", _("督察整改")

    # A rectification from a 督察 finding may concern no single task.
    node = models.ForeignKey(
        PlanNode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
    )
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(
        "workflow.Case", on_delete=models.PROTECT, related_name="plan_milestone"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default="milestone")
    title = models.CharField(_("节点任务"), max_length=255)
    due_date = models.DateField(_("完成时限"))
    progress = models.PositiveSmallIntegerField(_("完成进度"), default=0)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("节点任务")
        verbose_name_plural = _("节点任务")

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        ACCEPTED = "accepted", _("已通过")
        RETURNED = "returned", _("已退回")

    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="reports"
    )
    text = models.TextField(_("进展情况"))
    progress = models.PositiveSmallIntegerField(_("完成进度"))
    status = models.CharField(max_length=12, choices=Status.choices)
    submitted_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField()
    score = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self) -> str:
        return f"{self.milestone_id} {self.progress}%"


class Evidence(models.Model):
    """A file attached to a progress report as evidence (佐证材料)."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="evidence"
    )
    name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Supervision(models.Model):
    """A 督办 notice to a unit about a milestone; a kernel case with a reply clock."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="supervisions"
    )
    case = models.OneToOneField(
        "workflow.Case", on_delete=models.PROTECT, related_name="plan_supervision"
    )
    number = models.CharField(_("文号"), max_length=64, unique=True)
    problem = models.TextField(_("督办事由"))
    requirement = models.TextField(_("督办要求"))
    issued_on = models.DateField(_("发出日期"))
    answer = models.TextField(_("办理情况"), blank=True)
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("督办通知")
        verbose_name_plural = _("督办通知")

    def __str__(self) -> str:
        return self.number


class Campaign(models.Model):
    """A 督察 campaign; 督察全覆盖 means a visit to every department and district."""

    title = models.CharField(_("督察名称"), max_length=255)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="campaigns")
    year = models.PositiveSmallIntegerField(_("年度"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="plan_campaign_dates",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def coverage(self) -> tuple[int, int]:
        """(units visited, units to visit), from the prefetched visits."""
        visits = list(self.visits.all())
        return sum(1 for v in visits if v.visited_on), len(visits)


class Visit(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="visits"
    )
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("督察日期"), null=True, blank=True)
    summary = models.TextField(_("督察情况"), blank=True)

    class Meta:
        ordering = ["campaign", "agency__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "agency"], name="plan_visit_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.agency_id}"


class Finding(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("发现问题"))
    rectification = models.OneToOneField(
        Milestone, on_delete=models.PROTECT, related_name="finding"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.text[:40]


class AnnualReport(models.Model):
    """The year's 法治政府建设年度报告: entered texts plus generated versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("起草中")
        SUBMITTED = "submitted", _("已报送")
        PUBLISHED = "published", _("已公开")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    shortcomings = models.TextField(_("存在的不足和原因"), blank=True)
    leaders_duties = models.TextField(_("第一责任人职责履行情况"), blank=True)
    next_year_plan = models.TextField(_("下一年度工作安排"), blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default="draft")
    submitted_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="plan_report_year")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.year}"


class AnnualReportVersion(models.Model):
    """One generated draft. Generation runs in the background from the page, so
    a version is created `pending` and becomes `done` (or `failed`, with the
    error) when its documents are stored."""

    class State(models.TextChoices):
        PENDING = "pending", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default="pending")
    error = models.TextField(blank=True)
    docx = models.BinaryField(default=b"")
    pdf = models.BinaryField(default=b"")
    sha256 = models.CharField(max_length=64, blank=True)  # of the DOCX
    final = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(default=0)  # how long generation took

    class Meta:
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "version"], name="plan_report_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version}"
