"""Writing notices: send (record first, deliver after commit), deliver, mark read.

Every notice is a row before anything leaves the platform, so the record
holds what was sent, to whom, and whether it arrived. Inbox notices are
delivered by being written. E-mail and SMS are handed to Django's mail
backend or the SMS gateway only after the sending transaction commits
(`transaction.on_commit`): a rolled-back case change must not have told
anyone anything. Delivery claims the row with a guarded UPDATE (pending ->
sending), so the after-commit hook and `fazhi notices_deliver` never send
the same notice twice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.textzh.masking import mask_phone
from fazhi.kernel.textzh.validators import validate_phone

from .gateways import get_sms_gateway
from .models import Notice

RECORD_TYPE = "notice"
SUBJECT_MAX = Notice._meta.get_field("subject").max_length or 255


def _address_for(channel: str, recipient: Any, address: str) -> str:
    """The delivery address: given, else taken from the recipient; validated."""
    address = (address or "").strip()
    if channel == Notice.Channel.INBOX:
        if recipient is None:
            raise ValidationError({"recipient": _("站内信必须指定接收人。")})
        return ""
    if channel == Notice.Channel.EMAIL:
        address = address or (getattr(recipient, "email", "") or "")
        if not address:
            raise ValidationError(
                {"address": _("没有电子邮件地址：请填写地址或选择已登记邮箱的接收人。")}
            )
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError({"address": _("电子邮件地址格式不正确。")}) from None
        return address
    address = address or (getattr(recipient, "phone", "") or "")
    if not address:
        raise ValidationError(
            {"address": _("没有手机号码：请填写号码或选择已登记手机号码的接收人。")}
        )
    try:
        return validate_phone(address, allow_fixed=False)
    except ValidationError as exc:
        raise ValidationError({"address": exc.messages}) from None


def _masked(channel: str, address: str) -> str:
    return mask_phone(address) if channel == Notice.Channel.SMS else address


def notice_send(
    *,
    actor: Any,
    recipient: Any = None,
    address: str = "",
    channel: str,
    subject: str,
    body: str,
    case: Any = None,
) -> Notice:
    """Record a notice and deliver it (inbox now; e-mail/SMS after commit)."""
    if channel not in Notice.Channel.values:
        raise ValidationError(
            {"channel": _("未知的通知渠道：%(c)s。") % {"c": channel}}
        )
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": _("请填写通知标题。")})
    if len(subject) > SUBJECT_MAX:
        raise ValidationError(
            {"subject": _("通知标题不能超过 %(n)d 个字符。") % {"n": SUBJECT_MAX}}
        )
    address = _address_for(channel, recipient, address)
    now = timezone.now()
    with transaction.atomic():
        notice = Notice.objects.create(
            recipient=recipient,
            address=address,
            channel=channel,
            subject=subject,
            body=body or "",
            case=case,
            sender=actor if getattr(actor, "is_authenticated", False) else None,
            status=Notice.Status.SENT
            if channel == Notice.Channel.INBOX
            else Notice.Status.PENDING,
            sent_at=now if channel == Notice.Channel.INBOX else None,
        )
        audit_record(
            actor=actor,
            action="notice.send",
            record_type=RECORD_TYPE,
            record_id=notice.pk,
            payload={
                "channel": channel,
                "recipient": getattr(recipient, "pk", None),
                "address": _masked(channel, address),
                "subject": subject,
                "case": getattr(case, "pk", None),
            },
        )
        if case is not None:
            # The case's own chain shows that a notice went out (timeline).
            audit_record(
                actor=actor,
                action="notice.send",
                record_type="case",
                record_id=case.pk,
                payload={"notice": notice.pk, "channel": channel, "subject": subject},
            )
        if channel != Notice.Channel.INBOX:
            pk = notice.pk
            transaction.on_commit(lambda: notice_deliver(actor=None, notice_id=pk))
    return notice


def _transmit(notice: Notice) -> None:
    if notice.channel == Notice.Channel.EMAIL:
        send_mail(
            notice.subject,
            notice.body,
            settings.DEFAULT_FROM_EMAIL,
            [notice.address],
            fail_silently=False,
        )
    else:
        text = f"{notice.subject}\n{notice.body}" if notice.body else notice.subject
        get_sms_gateway().send(phone=notice.address, text=text)


def notice_deliver(*, actor: Any = None, notice_id: int) -> Notice | None:
    """Send one pending e-mail/SMS notice; None if another worker has it.

    Failures of the mail server or gateway are recorded on the notice
    (status failed, error) and in the audit record, never raised: the
    change that caused the notice has already committed.
    """
    claimed = Notice.objects.filter(
        pk=notice_id,
        status=Notice.Status.PENDING,
        channel__in=[Notice.Channel.EMAIL, Notice.Channel.SMS],
    ).update(status=Notice.Status.SENDING)
    if not claimed:
        return None
    notice = Notice.objects.get(pk=notice_id)
    try:
        _transmit(notice)
    except Exception as exc:
        notice.status = Notice.Status.FAILED
        notice.error = f"{type(exc).__name__}: {exc}"[:255]
    else:
        notice.status = Notice.Status.SENT
        notice.sent_at = timezone.now()
        notice.error = ""
    with transaction.atomic():
        notice.save(update_fields=["status", "error", "sent_at"])
        audit_record(
            actor=actor,
            action="notice.delivered"
            if notice.status == Notice.Status.SENT
            else "notice.failed",
            record_type=RECORD_TYPE,
            record_id=notice.pk,
            payload={"status": notice.status, "error": notice.error},
        )
    return notice


def notice_requeue_failed(*, actor: Any = None) -> int:
    """Put failed e-mail/SMS notices back to pending; returns how many."""
    with transaction.atomic():
        ids = list(
            Notice.objects.filter(status=Notice.Status.FAILED).values_list(
                "pk", flat=True
            )
        )
        Notice.objects.filter(pk__in=ids, status=Notice.Status.FAILED).update(
            status=Notice.Status.PENDING
        )
        for pk in ids:
            audit_record(
                actor=actor,
                action="notice.requeue",
                record_type=RECORD_TYPE,
                record_id=pk,
            )
    return len(ids)


def notice_mark_read(*, actor: Any, notice: Notice) -> Notice:
    """Mark the actor's own notice read (idempotent); anyone else's is a 404."""
    if notice.recipient_id is None or notice.recipient_id != getattr(actor, "pk", None):
        raise Http404("No such notice.")
    with transaction.atomic():
        now = timezone.now()
        updated = Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(
            read_at=now
        )
        if updated:
            audit_record(
                actor=actor,
                action="notice.read",
                record_type=RECORD_TYPE,
                record_id=notice.pk,
            )
    notice.refresh_from_db(fields=["read_at"])
    return notice


def notice_mark_all_read(*, actor: Any) -> int:
    """Mark every unread inbox notice of the actor read; returns how many."""
    with transaction.atomic():
        ids = list(
            Notice.objects.filter(
                recipient=actor, channel=Notice.Channel.INBOX, read_at__isnull=True
            ).values_list("pk", flat=True)
        )
        Notice.objects.filter(pk__in=ids, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        for pk in ids:
            audit_record(
                actor=actor, action="notice.read", record_type=RECORD_TYPE, record_id=pk
            )
    return len(ids)


def notice_deliver_pending(*, actor: Any = None, limit: int = 500) -> tuple[int, int]:
    """Deliver e-mail/SMS notices still pending (a process that ended between
    commit and delivery leaves them so); returns (sent, failed). Each notice
    is claimed first, so concurrent callers never send one twice."""
    ids = list(
        Notice.objects.filter(
            status=Notice.Status.PENDING,
            channel__in=[Notice.Channel.EMAIL, Notice.Channel.SMS],
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = failed = 0
    for pk in ids:
        notice = notice_deliver(actor=actor, notice_id=pk)
        if notice is None:
            continue  # another worker claimed it
        if notice.status == Notice.Status.SENT:
            sent += 1
        else:
            failed += 1
    return sent, failed
