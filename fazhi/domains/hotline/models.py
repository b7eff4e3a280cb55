"""Hotline ticket details, one-to-one with the kernel's Case.

The case carries the state, the owning agency (the centre until dispatch,
then the lead handling agency) and the clocks; these tables carry what only a
12345 ticket has: the caller, the text, the routing, returns, ratings.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fazhi.kernel.textzh import mask_name, mask_phone, mask_text

from .rules import GRADES, Channel, TicketType, Urgency


class ApiClient(models.Model):
    """An application allowed to file requests through Open311.

    The key is shown once at creation; only its SHA-256 is kept, so a leaked
    database does not leak working keys."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    key_prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("接口客户端")
        verbose_name_plural = _("接口客户端")

    def __str__(self) -> str:
        return self.name


class Ticket(models.Model):
    case = models.OneToOneField(
        "workflow.Case",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="hotline",
    )
    ticket_type = models.CharField(
        _("诉求类型"), max_length=16, choices=TicketType.choices
    )
    service_code = models.CharField(_("服务类别"), max_length=40)
    urgency = models.CharField(
        _("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    channel = models.CharField(_("来源渠道"), max_length=8, choices=Channel.choices)
    caller_name = models.CharField(_("诉求人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # Last four digits: with the number, what a citizen types to track.
    phone_tail = models.CharField(max_length=4, blank=True)
    # Hash of the phone (or the API device): the duplicate check's "same caller".
    caller_key = models.CharField(max_length=64, blank=True, db_index=True)
    content = models.TextField(_("诉求内容"))
    # Normalised keywords, space separated: similarity, past routing, hot topics.
    terms = models.TextField(blank=True)
    location = models.CharField(_("事发地点"), max_length=200, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    area = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属区域"),
    )
    received_on = models.DateField(_("受理日期"), db_index=True)
    api_client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Scoped by client (API) or by form (portal): a replayed POST finds the
    # ticket it already made instead of making a second one.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    possible_duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    suggestion = models.JSONField(default=dict, blank=True)
    item = models.ForeignKey(
        "org.ResponsibilityItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("权责事项"),
    )
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    redo_count = models.PositiveSmallIntegerField(_("发回重办次数"), default=0)
    direct_answer = models.BooleanField(_("直接答复"), default=False)
    dispatched_on = models.DateField(_("派单日期"), null=True, blank=True)
    signed_on = models.DateField(_("签收日期"), null=True, blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    # Fixed when the clock stops, so KPIs need no clock join.
    signed_on_time = models.BooleanField(null=True)
    handled_on_time = models.BooleanField(null=True)
    rectification_pending = models.BooleanField(_("差评待整改"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["api_client", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False, api_client__isnull=False),
                name="hotline_ticket_idem_client",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(idempotency_key__isnull=False, api_client__isnull=True),
                name="hotline_ticket_idem_form",
            ),
        ]
        indexes = [
            models.Index(fields=["phone_tail"]),
            models.Index(fields=["ticket_type", "received_on"]),
        ]
        verbose_name = _("12345工单")
        verbose_name_plural = _("12345工单")

    def __str__(self) -> str:
        return self.case.number

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def masked_name(self) -> str:
        return mask_name(self.caller_name) if self.caller_name else ""

    @property
    def masked_content(self) -> str:
        return mask_text(self.content)


class Routing(models.Model):
    """One dispatch of a ticket to an agency, as lead (主办) or assistant (协办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        ASSIST = "assist", _("协办")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="routes")
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("角色"), max_length=8, choices=Role.choices)
    dispatched_on = models.DateField(_("派单日期"))
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    followed_suggestion = models.BooleanField(default=False)
    note = models.CharField(_("派单意见"), max_length=500, blank=True)
    active = models.BooleanField(default=True)
    # Returns close a routing with the agency's reason.
    return_reason = models.CharField(_("退回理由"), max_length=500, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    # An assisting agency's opinion to the lead.
    opinion = models.TextField(_("协办意见"), blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["agency", "active"])]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.agency_id} ({self.role})"


class ExtensionRequest(models.Model):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("申请延期（工作日）"))
    reason = models.CharField(_("延期理由"), max_length=500)
    requested_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved = models.BooleanField(null=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} +{self.days}"


class Visit(models.Model):
    """回访: the centre calls the citizen back after the reply."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("回访日期"))
    reached = models.BooleanField(_("联系上诉求人"), default=True)
    note = models.CharField(_("回访记录"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.visited_on}"


class Rating(models.Model):
    """好差评: one rating per ticket (国办发〔2019〕51号 一事一评)."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, related_name="rating"
    )
    grade = models.PositiveSmallIntegerField(_("评价"), choices=sorted(GRADES.items()))
    comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    rated_on = models.DateField(_("评价日期"))
    # An appeal upheld voids a mistaken rating; it stays on record.
    voided = models.BooleanField(_("申诉成立已作废"), default=False)
    appeal_reason = models.CharField(_("申诉理由"), max_length=500, blank=True)
    appeal_decision = models.CharField(_("复核意见"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=5), name="hotline_grade_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.grade}"

    @property
    def is_bad(self) -> bool:
        from .rules import BAD_GRADES

        return self.grade in BAD_GRADES and not self.voided


class Attachment(models.Model):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="hotline/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(max_length=16)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class HotlineDaily(models.Model):
    """The KPI counters per receiving day and owning agency.

    Kept exact by rollup.ticket_sync in the transaction that changes a ticket
    (and rebuilt from the tickets by `fazhi hotline_rollup --rebuild`), so a
    year's KPI for the whole city sums some fifteen thousand rows, not ten
    million tickets. Merged tickets are kept apart: the dashboard counts
    them, the KPIs do not.
    """

    day = models.DateField()
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    merged = models.BooleanField(default=False)
    received = models.IntegerField(default=0)
    signed = models.IntegerField(default=0)
    signed_on_time = models.IntegerField(default=0)
    handled = models.IntegerField(default=0)
    handled_on_time = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    replied = models.IntegerField(default=0)
    redone = models.IntegerField(default=0)
    direct = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "merged"], name="hotline_daily_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}: {self.received}"


class HotlineCount(models.Model):
    """Tickets per receiving day and owning agency, by one more dimension:
    `type` (value: the ticket type), `area` (the area's pk) or `term` (a
    keyword: the hot topics). Each is kept twice: per owning agency, for a
    user who sees some agencies, and city-wide under agency_id 0 (no such
    agency), for a city-wide user, who then reads a few hundred rows instead
    of every agency's. Key order (dim, agency, day): either kind of user reads
    contiguous index ranges, one per agency in scope."""

    CITY = 0

    dim = models.CharField(max_length=8)
    day = models.DateField()
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    value = models.TextField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dim", "agency", "day", "value"], name="hotline_count_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dim} {self.day} {self.agency_id} {self.value}: {self.n}"


class RollupState(models.Model):
    """What the roll-up currently counts for one ticket: its key and flags.

    A sync subtracts this and adds the ticket's fresh vector, so every hook
    is the same one line and a missed step cannot double count. No foreign
    key constraint: the rebuild rewrites ten million rows with one INSERT.
    """

    ticket = models.OneToOneField(
        Ticket,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        related_name="+",
        db_constraint=False,
    )
    day = models.DateField()
    agency_key = models.IntegerField()
    ticket_type = models.CharField(max_length=16)
    area_key = models.IntegerField(default=0)
    merged = models.BooleanField(default=False)
    flags = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.flags}"
