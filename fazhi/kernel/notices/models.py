"""Notices sent to people: in-app inbox, e-mail, SMS. Every one is recorded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    class Channel(models.TextChoices):
        INBOX = "inbox", _("站内信")
        EMAIL = "email", _("电子邮件")
        SMS = "sms", _("短信")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="notices",
    )
    address = models.CharField(_("地址"), max_length=255, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    subject = models.CharField(_("标题"), max_length=255)
    body = models.TextField(_("内容"), blank=True)
    case = models.ForeignKey(
        "workflow.Case", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="notices",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.channel}: {self.subject}"
