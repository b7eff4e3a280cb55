"""Disclosure-on-request details, one-to-one with the kernel's Case.

The case carries the state, the agency and the clocks; these tables carry what
only a disclosure request has: the applicant, the channel and its receipt
date, the 补正 and third-party rounds, the reply, its delivery and any
reconsideration or litigation brought against it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.kernel.textzh import (
    ID_DOCUMENT_TYPES,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_text,
)

from . import categories as cat
from .rules import CHANNEL_CHOICES


class Application(models.Model):
    case = models.OneToOneField(
        "workflow.Case",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="disclosure",
    )
    applicant_type = models.CharField(
        _("申请人类型"), max_length=16, choices=cat.APPLICANT_TYPES
    )
    # Natural person: the person's name; organisation: its name.
    applicant_name = models.CharField(_("申请人"), max_length=100)
    # Residents of HK/MO/TW and foreigners apply with their own documents.
    id_type = models.CharField(
        _("证件类型"),
        max_length=16,
        choices=ID_DOCUMENT_TYPES,
        default="resident_id",
        blank=True,
    )
    id_number = models.CharField(_("证件号码"), max_length=18, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_rep = models.CharField(_("法定代表人或负责人"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    content = models.TextField(_("所需信息的名称、文号或描述"))
    # normalise() of the content without punctuation: the duplicate key.
    content_key = models.CharField(max_length=64, db_index=True)
    applicant_key = models.CharField(max_length=64, db_index=True)
    provision_form = models.CharField(_("提供形式"), max_length=50, blank=True)
    obtain_method = models.CharField(_("获取方式"), max_length=50, blank=True)
    channel = models.CharField(_("提交渠道"), max_length=16, choices=CHANNEL_CHOICES)
    submitted_on = models.DateField(_("提交日期"))
    signed_on = models.DateField(_("签收日期"), null=True, blank=True)
    confirmed_on = models.DateField(_("确认日期"), null=True, blank=True)
    # The statutory receipt date (条例 art. 31); null until it is known.
    received_on = models.DateField(_("收到申请日期"), null=True, blank=True)
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("疑似重复"),
    )
    duplicate_confirmed = models.BooleanField(_("已认定重复申请"), default=False)
    # How the application ended, for the annual report (categories.RESULTS).
    result_code = models.CharField(_("办理结果"), max_length=32, blank=True)
    concluded_on = models.DateField(_("办结日期"), null=True, blank=True)
    extended = models.BooleanField(_("已延期"), default=False)
    # The extension notice's own 文号 (the extension has no row of its own:
    # it is an event on the kernel's reply clock).
    extension_doc_number = models.CharField(
        _("延期告知书文号"), max_length=60, blank=True
    )

    class Meta:
        indexes = [
            models.Index(fields=["received_on"]),
            models.Index(fields=["concluded_on"]),
        ]
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")

    def __str__(self) -> str:
        return f"{self.case.number}"

    @property
    def is_natural(self) -> bool:
        return self.applicant_type == cat.NATURAL

    @property
    def masked_name(self) -> str:
        # An organisation's name is not personal data; a person's is.
        return (
            mask_name(self.applicant_name) if self.is_natural else self.applicant_name
        )

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def result_label(self) -> str:
        return cat.result_label(self.result_code) if self.result_code else ""

    def mask_free(self, text: str) -> str:
        """Free text with ID and phone numbers masked and the applicant's own
        name replaced by its masked form wherever it was typed (a reply that
        says "申请人张小明" must not undo the masked heading)."""
        out = mask_text(text or "")
        name = (self.applicant_name or "").strip()
        if self.is_natural and len(name) >= 2:
            out = out.replace(name, self.masked_name)
        return out


class Attachment(models.Model):
    class Source(models.TextChoices):
        APPLICANT = "applicant", _("申请人提交")
        STAFF = "staff", _("工作人员上传")
        # The information provided with the reply: the applicant downloads it
        # from the portal; other staff uploads may hold the applicant's ID.
        REPLY = "reply", _("答复附件")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="disclosure/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    source = models.CharField(max_length=16, choices=Source.choices)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Correction(models.Model):
    """One 补正 round: the notice, the applicant's answer, its receipt."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="corrections"
    )
    requested_on = models.DateField(_("告知补正日期"))
    request_text = models.TextField(_("补正内容"))
    days = models.PositiveSmallIntegerField(_("补正期限（工作日）"))
    # Notice given after the 7 working days of art. 30: recorded, not refused,
    # so a late notice is visible to supervision instead of hidden.
    notice_late = models.BooleanField(default=False)
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    # What the applicant added or corrected, kept beside the original request
    # (Application.content): letters quote both, never this alone.
    response_text = models.TextField(_("申请人补正的内容"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    received_on = models.DateField(_("收到补正日期"), null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.application_id} 补正 {self.requested_on}"


class Consultation(models.Model):
    """A consultation whose time is not counted (条例 art. 33(2)): a third
    party whose rights are affected (art. 32) or an agency that made the
    information together with this one (art. 34)."""

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", _("第三方")
        AGENCY = "agency", _("共同制作机关")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consultations"
    )
    kind = models.CharField(
        _("征求对象"), max_length=16, choices=Kind.choices, default=Kind.THIRD_PARTY
    )
    third_party = models.CharField(_("征求对象名称"), max_length=200)
    sent_on = models.DateField(_("征求意见日期"))
    answered_on = models.DateField(_("收到意见日期"), null=True, blank=True)
    opinion = models.TextField(_("第三方意见"), blank=True)
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.third_party


class FeeNotice(models.Model):
    """A processing-fee notice (条例 art. 42; 国办函〔2020〕109号): the
    amount follows the tiers in rules.py from the count or the pages."""

    class Method(models.TextChoices):
        PER_REQUEST = "per_request", _("按件计收")
        PER_PAGE = "per_page", _("按量计收")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="fees"
    )
    method = models.CharField(_("计收方式"), max_length=16, choices=Method.choices)
    quantity = models.PositiveIntegerField(_("件数或页数"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    reason = models.TextField(_("收费理由"))
    # 109号 asks the notice to say how to pay (缴纳方式); offices differ.
    pay_by = models.TextField(_("缴纳方式"))
    notice_on = models.DateField(_("通知日期"))
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    lapsed_on = models.DateField(_("逾期未缴日期"), null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.amount} 元"


class NoticeSequence(models.Model):
    """The last 文号 an agency gave a kind of notice in a year; the 补正,
    extension, fee and consultation letters each count from 1 every year."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "kind"], name="disclosure_notice_seq_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.kind} {self.last}"


class Reply(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="reply"
    )
    result_code = models.CharField(_("答复类型"), max_length=32)
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    body = models.TextField(_("答复正文"), blank=True)
    replied_on = models.DateField(_("答复日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.application_id} {self.result_code}"


class Delivery(models.Model):
    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("当面送达")
        MAIL = "mail", _("邮寄送达")
        EMAIL = "email", _("电子邮件")
        ONLINE = "online", _("网上送达")
        FAX = "fax", _("传真")

    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, related_name="deliveries"
    )
    method = models.CharField(_("送达方式"), max_length=16, choices=Method.choices)
    delivered_on = models.DateField(_("送达日期"))
    reference = models.CharField(_("邮件号或回执"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.method} {self.delivered_on}"


class FollowUp(models.Model):
    """A reconsideration or a lawsuit about a reply, kept generic until the
    reconsideration module links its own case."""

    reply = models.ForeignKey(Reply, on_delete=models.PROTECT, related_name="followups")
    kind = models.CharField(_("类别"), max_length=24, choices=cat.FOLLOWUP_KINDS)
    number = models.CharField(_("案号"), max_length=80)
    filed_on = models.DateField(_("申请或立案日期"))
    outcome = models.CharField(
        _("结果"), max_length=16, choices=cat.OUTCOMES, default=cat.PENDING
    )
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


# -- proactive disclosure (主动公开, 条例 arts. 19-26) ------------------------


class CatalogueEntry(models.Model):
    """One category of an agency's proactive-disclosure catalogue (公开目录,
    art. 23), reviewed on a set date so that the catalogue keeps up."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("目录类别"), max_length=100)
    focus = models.CharField(
        _("重点领域"), max_length=16, choices=cat.FOCUS_AREAS, default=cat.FOCUS_OTHER
    )
    basis = models.CharField(_("公开依据"), max_length=200, blank=True)
    review_on = models.DateField(_("下次审核日期"))
    reviewed_on = models.DateField(_("上次审核日期"), null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"], name="disclosure_catalogue_unique"
            )
        ]
        verbose_name = _("主动公开目录")
        verbose_name_plural = _("主动公开目录")

    def __str__(self) -> str:
        return self.name


class ProactiveItem(models.Model):
    """A piece of government information to publish within 20 working days of
    being formed or changed (art. 26); its clock lives on the kernel Case."""

    case = models.OneToOneField(
        "workflow.Case",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="proactive",
    )
    entry = models.ForeignKey(
        CatalogueEntry, on_delete=models.PROTECT, related_name="items"
    )
    title = models.CharField(_("标题"), max_length=200)
    title_key = models.CharField(max_length=400, db_index=True)  # normalised
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    body = models.TextField(_("内容"), blank=True)
    formed_on = models.DateField(_("形成或变更日期"))
    published_on = models.DateField(_("公开日期"), null=True, blank=True)

    class Meta:
        ordering = ["-published_on", "-formed_on"]
        verbose_name = _("主动公开信息")
        verbose_name_plural = _("主动公开信息")

    def __str__(self) -> str:
        return self.title


class ProactiveFigure(models.Model):
    """A figure of table 二 of the annual report, entered by the office
    (counts of rules, normative documents, licences, penalties, fees)."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "key"], name="disclosure_figure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.key}={self.value}"
