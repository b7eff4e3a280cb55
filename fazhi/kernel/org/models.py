"""Agencies, people, memberships and the 权责清单 (power and responsibility list)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .roles import role_choices


class Agency(models.Model):
    """A node of the government tree: 市 > 县/市/区 > 乡镇/街道, plus departments.

    `path` is a materialised path of fixed-width segments ("0001.0004.") so a
    subtree is a prefix match that works the same on SQLite and PostgreSQL.
    """

    class Level(models.TextChoices):
        CITY = "city", _("市")
        COUNTY = "county", _("县/市/区")
        TOWNSHIP = "township", _("乡镇/街道")
        DEPARTMENT = "department", _("部门")

    code = models.CharField(_("机构代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    """A person who signs in. Names are Chinese full names, kept in `full_name`."""

    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("手机号"), max_length=16, blank=True)
    default_agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when an administrator chose the password: the person must replace it
    # at first sign-in, so no administrator knows a password in use.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """A role held by a user in an agency, with the scope it reaches."""

    class Scope(models.TextChoices):
        OWN = "own", _("本机构")
        SUBTREE = "subtree", _("本机构及下级")
        CITY = "city", _("全市")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=32, choices=role_choices)
    scope = models.CharField(
        _("权限范围"), max_length=16, choices=Scope.choices, default=Scope.OWN
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency} ({self.role}, {self.scope})"


class ResponsibilityItem(models.Model):
    """One version of a 权责清单 item. Edits add a version; none is overwritten."""

    class ItemType(models.TextChoices):
        LICENSING = "行政许可", _("行政许可")
        PENALTY = "行政处罚", _("行政处罚")
        COERCION = "行政强制", _("行政强制")
        INSPECTION = "行政检查", _("行政检查")
        LEVY = "行政征收", _("行政征收")
        BENEFIT = "行政给付", _("行政给付")
        CONFIRMATION = "行政确认", _("行政确认")
        REWARD = "行政奖励", _("行政奖励")
        ADJUDICATION = "行政裁决", _("行政裁决")
        OTHER = "其他", _("其他行政权力")

    code = models.CharField(_("事项编码"), max_length=64)
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    name = models.CharField(_("事项名称"), max_length=255)
    item_type = models.CharField(_("事项类型"), max_length=16, choices=ItemType.choices)
    legal_basis = models.TextField(_("设定依据"))
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="responsibility_items"
    )
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    name_normalised = models.CharField(max_length=255, editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="resp_item_version"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(is_current=True),
                name="resp_item_one_current",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="resp_item_dates_ordered",
            ),
        ]
        verbose_name = _("权责清单事项")
        verbose_name_plural = _("权责清单")

    def __str__(self) -> str:
        return f"{self.code} {self.name} (v{self.version})"
