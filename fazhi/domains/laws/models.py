"""Laws, rules and normative documents, split into articles, with the
relations between their versions (修改/废止/解释)."""

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
