"""Laws, rules and normative documents, split into articles, with the
relations between their versions (修改/废止/解释)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CONSTITUTION = "宪法", _("宪法")
    LAW = "法律", _("法律")
    ADMIN_REGULATION = "行政法规", _("行政法规")
    LOCAL_REGULATION = "地方性法规", _("地方性法规")
    DEPARTMENT_RULE = "部门规章", _("部门规章")
    LOCAL_RULE = "地方政府规章", _("地方政府规章")
    NORMATIVE = "规范性文件", _("规范性文件")
    JUDICIAL = "司法解释", _("司法解释")
    CASE = "案例", _("案例")
    OTHER = "其他", _("其他")


class Status(models.TextChoices):
    IN_FORCE = "有效", _("有效")
    AMENDED = "已修改", _("已修改")
    REPEALED = "已废止", _("已废止")
    EXPIRED = "失效", _("失效")
    PENDING = "尚未生效", _("尚未生效")
    UNKNOWN = "", _("未标注")


class Document(models.Model):
    source_id = models.CharField(_("来源编号"), max_length=64, unique=True)
    level = models.CharField(_("效力层级"), max_length=16, choices=Level.choices)
    title = models.CharField(_("标题"), max_length=300)
    subtitle = models.CharField(_("副标题"), max_length=200, blank=True)
    # Versions of one instrument share this key: normalised title + subtitle
    # (民法典 is one document per 编, each its own instrument).
    title_key = models.CharField(max_length=500, db_index=True)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    issuer = models.CharField(_("制定机关"), max_length=200, blank=True)
    category = models.CharField(_("分类"), max_length=100, blank=True)
    region = models.CharField(_("地区"), max_length=50, blank=True)
    published = models.DateField(_("公布日期"), null=True, blank=True)
    first_published = models.DateField(_("首次公布"), null=True, blank=True)
    effective = models.DateField(_("施行日期"), null=True, blank=True)
    expiry = models.DateField(_("有效期至"), null=True, blank=True)
    version_date = models.DateField(_("版本日期"), null=True, blank=True)
    status = models.CharField(
        _("时效性"), max_length=8, choices=Status.choices, blank=True
    )
    # What the source said (有效/失效/unknown), before versions are compared.
    source_status = models.CharField(max_length=8, blank=True)
    history = models.JSONField(_("沿革"), default=list, blank=True)
    source_path = models.CharField(max_length=500, blank=True)
    text = models.TextField(_("全文"))
    content_hash = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("法规文件")
        verbose_name_plural = _("法规文件")
        indexes = [models.Index(fields=["level", "status"])]

    def __str__(self) -> str:
        return self.full_title

    @property
    def full_title(self) -> str:
        return f"{self.title}（{self.subtitle}）" if self.subtitle else self.title


class Article(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="articles"
    )
    ordinal = models.PositiveIntegerField()
    # "第三十三条", "第十条之一"; blank for a preamble or an unnumbered text.
    number = models.CharField(_("条号"), max_length=30, blank=True)
    # Chapter and section path, e.g. "第二章 口岸开放 / 第一节 规划".
    heading = models.CharField(_("章节"), max_length=400, blank=True)
    text = models.TextField(_("条文"))

    class Meta:
        ordering = ["document", "ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "ordinal"], name="laws_article_ordinal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document.title} {self.number}".strip()

    @property
    def anchor(self) -> str:
        return f"a{self.ordinal}"

    @property
    def paragraphs(self) -> list[str]:
        """The text's paragraphs, the first without its 第X条 (shown apart)."""
        from .parsing import ARTICLE_RE

        lines = self.text.splitlines() or [""]
        if self.number:
            lines[0] = ARTICLE_RE.sub("", lines[0], count=1)
        return lines


class Relation(models.Model):
    class Kind(models.TextChoices):
        AMEND = "amend", _("修改")
        REPEAL = "repeal", _("废止")
        INTERPRET = "interpret", _("解释")

    # `source` acts on `target`: the newer version amends the older one, an
    # interpretation interprets the law it names.
    source = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="relations_out"
    )
    target = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="relations_in"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="laws_relation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


# -- 规范性文件全流程管理 ------------------------------------------------------
# A normative document from draft to filing review, one-to-one with the
# kernel's Case (state, owning agency = the drafting agency, clocks). The
# published text lives in `Document` above, so the query platform finds it.


class Validity(models.TextChoices):
    """Whether a published document is in force (时效), apart from its case
    state: the case is the filing procedure, validity is the document's own."""

    IN_FORCE = "in_force", _("现行有效")
    EXPIRED = "expired", _("有效期届满失效")
    REPEALED = "repealed", _("已废止")


class NormativeDocument(models.Model):
    class FilingResult(models.TextChoices):
        ACCEPTED = "accepted", _("准予备案")
        UNLAWFUL = "unlawful", _("违法")
        INAPPROPRIATE = "inappropriate", _("不适当")

    class Correction(models.TextChoices):
        AMEND = "amend", _("修改")
        REPEAL = "repeal", _("废止")
        SUSPEND = "suspend", _("停止执行有关规定")

    case = models.OneToOneField(
        "workflow.Case",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="normative",
    )
    title = models.CharField(_("文件名称"), max_length=300)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    summary = models.TextField(_("起草说明"), blank=True)
    text = models.TextField(_("正文"))
    # 备案审查机关: the government the document is filed with (its 司法局
    # reviews); for a department, its own government.
    filing_agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("备案审查机关"),
    )
    registered_on = models.DateField(_("登记日期"))
    review_submitted_on = models.DateField(_("送审日期"), null=True, blank=True)
    reviewed_on = models.DateField(_("审核完成日期"), null=True, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    filed_on = models.DateField(_("报送备案日期"), null=True, blank=True)
    decided_on = models.DateField(_("审查结论日期"), null=True, blank=True)
    filing_result = models.CharField(
        _("审查结论"), max_length=16, choices=FilingResult.choices, blank=True
    )
    corrected_on = models.DateField(_("纠正完成日期"), null=True, blank=True)
    correction = models.CharField(
        _("纠正方式"), max_length=16, choices=Correction.choices, blank=True
    )
    validity = models.CharField(
        _("时效性"), max_length=16, choices=Validity.choices, blank=True
    )
    validity_changed_on = models.DateField(_("时效变更日期"), null=True, blank=True)
    # The day the drafter was told the 有效期 runs out (told once).
    expiry_notified_on = models.DateField(null=True, blank=True)
    law_document = models.OneToOneField(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="normative_record",
        verbose_name=_("法规库条目"),
    )

    class Meta:
        indexes = [
            models.Index(fields=["filed_on"]),
            models.Index(fields=["validity", "expires_on"]),
        ]
        verbose_name = _("规范性文件")
        verbose_name_plural = _("规范性文件")

    def __str__(self) -> str:
        return f"{self.case.number} {self.title}"


class NormativeOpinion(models.Model):
    """One opinion on a document: the legality review's, the filing review's
    (补正, 违法, 不适当, 准予备案) or the drafter's report of a correction."""

    class Stage(models.TextChoices):
        LEGALITY = "legality", _("合法性审核")
        FILING = "filing", _("备案审查")
        CORRECTION = "correction", _("纠错")
        EVALUATION = "evaluation", _("后评估")

    class Verdict(models.TextChoices):
        LAWFUL = "lawful", _("合法，同意出台")
        REVISE = "revise", _("修改后出台")
        RETURN = "return", _("退回修改")
        SUPPLEMENT = "supplement", _("通知补正")
        ACCEPTED = "accepted", _("准予备案")
        UNLAWFUL = "unlawful", _("违法")
        INAPPROPRIATE = "inappropriate", _("不适当")
        CORRECTED = "corrected", _("已纠正")
        NOTE = "note", _("说明")

    document = models.ForeignKey(
        NormativeDocument, on_delete=models.CASCADE, related_name="opinions"
    )
    stage = models.CharField(_("环节"), max_length=16, choices=Stage.choices)
    verdict = models.CharField(_("意见"), max_length=16, choices=Verdict.choices)
    text = models.TextField(_("意见内容"), blank=True)
    given_on = models.DateField(_("日期"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_on", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.stage} {self.verdict}"


class Disposition(models.TextChoices):
    """What a cleanup or a post-evaluation decides for a document."""

    PENDING = "pending", _("待定")
    KEEP = "keep", _("继续有效")
    AMEND = "amend", _("修改")
    REPEAL = "repeal", _("废止")


class CleanupCampaign(models.Model):
    """A 清理: every document in force of the organiser's subtree is listed,
    and each is decided keep / amend / repeal."""

    name = models.CharField(_("清理名称"), max_length=200)
    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("组织机关"),
    )
    basis = models.CharField(_("清理依据"), max_length=300, blank=True)
    started_on = models.DateField(_("开始日期"))
    # The organiser's own completion date (set in its notice, not by law).
    due_on = models.DateField(_("完成时限"))
    closed_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class CleanupItem(models.Model):
    campaign = models.ForeignKey(
        CleanupCampaign, on_delete=models.CASCADE, related_name="items"
    )
    document = models.ForeignKey(
        NormativeDocument, on_delete=models.CASCADE, related_name="cleanup_items"
    )
    decision = models.CharField(
        _("清理意见"),
        max_length=16,
        choices=Disposition.choices,
        default=Disposition.PENDING,
    )
    note = models.CharField(_("理由"), max_length=500, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "document"], name="laws_cleanup_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.document_id} {self.decision}"


class PostEvaluation(models.Model):
    """A 后评估 of a document in force: how it worked, and what to do."""

    document = models.ForeignKey(
        NormativeDocument, on_delete=models.CASCADE, related_name="evaluations"
    )
    evaluated_on = models.DateField(_("评估日期"))
    conclusion = models.CharField(
        _("评估结论"), max_length=16, choices=Disposition.choices
    )
    summary = models.TextField(_("评估报告摘要"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-evaluated_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.evaluated_on}"
