import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.notices import queries
from fazhi.kernel.notices.gateways import (
    RecordingSmsGateway,
    SmsError,
    SmsGateway,
    get_sms_gateway,
)
from fazhi.kernel.notices.models import Notice
from fazhi.kernel.notices.services import (
    notice_deliver,
    notice_mark_all_read,
    notice_mark_read,
    notice_requeue_failed,
    notice_send,
)
from fazhi.kernel.workflow.models import Case


class FailingGateway(SmsGateway):
    def send(self, *, phone: str, text: str) -> str:
        raise SmsError("carrier refused")


@pytest.fixture(autouse=True)
def clear_sms_outbox():
    RecordingSmsGateway.outbox.clear()
    yield
    RecordingSmsGateway.outbox.clear()


def make_case(org):
    now = timezone.now()
    return Case.objects.create(
        case_type="test",
        number="T-2026-000001",
        state="open",
        agency=org["420200-SFJ"],
        title="测试案件",
        opened_at=now,
        updated_at=now,
    )


def events(record_type, record_id):
    return list(
        AuditEvent.objects.filter(record_type=record_type, record_id=str(record_id))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_inbox_notice_is_delivered_immediately_and_audited(people):
    fzb, handler = people["fzb"], people["scj_handler"]
    n = notice_send(
        actor=fzb,
        recipient=handler,
        channel="inbox",
        subject="督办通知",
        body="请按期办结。",
    )
    assert n.status == Notice.Status.SENT and n.sent_at is not None
    assert n.sender == fzb
    assert queries.unread_count(handler) == 1
    assert list(queries.inbox(handler)) == [n]
    assert events("notice", n.pk) == ["notice.send"]
    event = AuditEvent.objects.get(record_type="notice", record_id=str(n.pk))
    assert event.actor_id == fzb.pk
    assert event.payload["recipient"] == handler.pk


def test_notice_about_a_case_is_also_on_the_case_record(people, org):
    case = make_case(org)
    n = notice_send(
        actor=people["fzb"],
        recipient=people["sfj_leader"],
        channel="inbox",
        subject="案件已分派",
        body="",
        case=case,
    )
    assert n.case == case
    assert events("case", case.pk) == ["notice.send"]


def test_email_goes_out_only_after_commit(people, django_capture_on_commit_callbacks):
    handler = people["scj_handler"]
    handler.email = "zhao@example.gov.cn"
    handler.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        n = notice_send(
            actor=people["fzb"],
            recipient=handler,
            channel="email",
            subject="通知",
            body="正文",
        )
        assert mail.outbox == []
    assert n.status == Notice.Status.PENDING
    assert len(callbacks) == 1
    callbacks[0]()
    n.refresh_from_db()
    assert n.status == Notice.Status.SENT and n.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhao@example.gov.cn"]
    assert mail.outbox[0].subject == "通知"
    assert events("notice", n.pk) == ["notice.send", "notice.delivered"]


def test_rolled_back_send_sends_nothing(people, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notice_send(
            actor=people["fzb"],
            address="someone@example.com",
            channel="email",
            subject="x",
            body="y",
        )
        raise RuntimeError("the case change failed")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_email_failure_is_recorded_not_raised(
    people, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "fazhi.kernel.notices.tests.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        n = notice_send(
            actor=people["fzb"],
            address="a@example.com",
            channel="email",
            subject="s",
            body="b",
        )
    n.refresh_from_db()
    assert n.status == Notice.Status.FAILED
    assert "SMTP down" in n.error
    assert n.sent_at is None
    assert events("notice", n.pk) == ["notice.send", "notice.failed"]


def test_sms_goes_through_the_configured_gateway(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        n = notice_send(
            actor=people["fzb"],
            recipient=people["dy_handler"],
            channel="sms",
            subject="超期提醒",
            body="案件即将超期",
        )
    n.refresh_from_db()
    assert n.address == "13800138000"  # taken from the recipient's profile
    assert n.status == Notice.Status.SENT
    assert [(s.phone, s.text) for s in RecordingSmsGateway.outbox] == [
        ("13800138000", "超期提醒\n案件即将超期")
    ]
    payload = AuditEvent.objects.get(
        record_type="notice", record_id=str(n.pk), action="notice.send"
    ).payload
    assert payload["address"] == "138****8000"  # the record does not spread numbers


def test_sms_gateway_failure_is_recorded(
    people, settings, django_capture_on_commit_callbacks
):
    settings.FAZHI_SMS_GATEWAY = (
        "fazhi.kernel.notices.tests.test_services.FailingGateway"
    )
    with django_capture_on_commit_callbacks(execute=True):
        n = notice_send(
            actor=people["fzb"],
            address="+86 139 0000 1111",
            channel="sms",
            subject="s",
            body="",
        )
    n.refresh_from_db()
    assert n.address == "13900001111"
    assert n.status == Notice.Status.FAILED
    assert n.error == "SmsError: carrier refused"


def test_gateway_setting_must_name_a_gateway(settings):
    settings.FAZHI_SMS_GATEWAY = "fazhi.kernel.notices.models.Notice"
    with pytest.raises(TypeError):
        get_sms_gateway()
    settings.FAZHI_SMS_GATEWAY = "fazhi.kernel.notices.gateways.RecordingSmsGateway"
    assert isinstance(get_sms_gateway(), RecordingSmsGateway)
    with pytest.raises(NotImplementedError):
        SmsGateway().send(phone="13800138000", text="x")


def test_delivery_is_claimed_once(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        n = notice_send(
            actor=people["fzb"],
            address="13900001111",
            channel="sms",
            subject="s",
            body="",
        )
    assert notice_deliver(notice_id=n.pk) is not None
    assert notice_deliver(notice_id=n.pk) is None  # already sent, nothing to claim
    assert len(RecordingSmsGateway.outbox) == 1


def test_failed_notices_can_be_requeued_and_resent(
    people, settings, django_capture_on_commit_callbacks
):
    settings.FAZHI_SMS_GATEWAY = (
        "fazhi.kernel.notices.tests.test_services.FailingGateway"
    )
    with django_capture_on_commit_callbacks(execute=True):
        n = notice_send(
            actor=people["fzb"],
            address="13900001111",
            channel="sms",
            subject="s",
            body="",
        )
    settings.FAZHI_SMS_GATEWAY = "fazhi.kernel.notices.gateways.RecordingSmsGateway"
    assert notice_requeue_failed() == 1
    delivered = notice_deliver(notice_id=n.pk)
    assert delivered is not None and delivered.status == Notice.Status.SENT
    assert events("notice", n.pk) == [
        "notice.send",
        "notice.failed",
        "notice.requeue",
        "notice.delivered",
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"channel": "fax", "address": "x"}, "channel"),
        ({"channel": "inbox", "subject": "  "}, "subject"),
        ({"channel": "inbox", "subject": "长" * 256}, "subject"),
        ({"channel": "inbox"}, "recipient"),
        ({"channel": "email"}, "address"),
        ({"channel": "email", "address": "not-an-email"}, "address"),
        ({"channel": "sms"}, "address"),
        ({"channel": "sms", "address": "0714-6222222"}, "address"),
    ],
)
def test_bad_input_names_the_field(people, kwargs, field):
    args = {"actor": people["fzb"], "subject": "标题", "body": ""} | kwargs
    with pytest.raises(ValidationError) as exc:
        notice_send(**args)
    assert field in exc.value.message_dict
    assert not Notice.objects.exists()


def test_recipient_without_phone_or_email_is_a_field_error(people):
    outsider = people["outsider"]
    outsider.phone = ""
    outsider.email = ""
    outsider.save()
    for channel in ("sms", "email"):
        with pytest.raises(ValidationError) as exc:
            notice_send(
                actor=None, recipient=outsider, channel=channel, subject="s", body=""
            )
        assert "address" in exc.value.message_dict


def test_system_sender_is_recorded_as_system(people):
    n = notice_send(
        actor=None,
        recipient=people["outsider"],
        channel="inbox",
        subject="系统通知",
        body="",
    )
    assert n.sender is None
    event = AuditEvent.objects.get(record_type="notice", record_id=str(n.pk))
    assert event.actor_id is None and event.actor_label == "system"


def test_mark_read_is_idempotent_and_audited_once(people):
    handler = people["scj_handler"]
    n = notice_send(
        actor=None, recipient=handler, channel="inbox", subject="s", body=""
    )
    notice_mark_read(actor=handler, notice=n)
    first = n.read_at
    assert first is not None
    notice_mark_read(actor=handler, notice=n)
    assert n.read_at == first
    assert events("notice", n.pk) == ["notice.send", "notice.read"]
    assert queries.unread_count(handler) == 0


def test_nobody_else_can_mark_a_notice_read(people):
    n = notice_send(
        actor=None,
        recipient=people["scj_handler"],
        channel="inbox",
        subject="s",
        body="",
    )
    for other in (people["fzb"], people["outsider"]):
        with pytest.raises(Http404):
            notice_mark_read(actor=other, notice=n)
    unaddressed = notice_send(
        actor=None, address="a@example.com", channel="email", subject="s", body=""
    )
    with pytest.raises(Http404):
        notice_mark_read(actor=people["fzb"], notice=unaddressed)
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_only_touches_own_inbox(people):
    handler, other = people["scj_handler"], people["dy_handler"]
    for i in range(3):
        notice_send(
            actor=None, recipient=handler, channel="inbox", subject=f"s{i}", body=""
        )
    notice_send(actor=None, recipient=other, channel="inbox", subject="other", body="")
    assert notice_mark_all_read(actor=handler) == 3
    assert queries.unread_count(handler) == 0
    assert queries.unread_count(other) == 1


def test_queries_only_show_own_notices(people, django_capture_on_commit_callbacks):
    handler = people["scj_handler"]
    with django_capture_on_commit_callbacks(execute=True):
        mine = notice_send(
            actor=None, recipient=handler, channel="inbox", subject="a", body=""
        )
        sms = notice_send(
            actor=None, recipient=handler, channel="sms", subject="b", body=""
        )
        notice_send(
            actor=None, recipient=people["fzb"], channel="inbox", subject="c", body=""
        )
    assert list(queries.inbox(handler)) == [mine]
    assert list(queries.inbox(handler, unread_only=True)) == [mine]
    assert set(queries.notices_for(handler)) == {mine, sms}
    assert list(queries.notices_for(handler, channel="sms")) == [sms]
    notice_mark_read(actor=handler, notice=mine)
    assert list(queries.notices_for(handler, unread_only=True)) == [sms]
    assert queries.notice_get(handler, mine.pk) == mine
    with pytest.raises(Http404):
        queries.notice_get(people["fzb"], mine.pk)


def test_anonymous_user_sees_nothing(people):
    from django.contrib.auth.models import AnonymousUser

    notice_send(
        actor=None, recipient=people["fzb"], channel="inbox", subject="s", body=""
    )
    assert queries.unread_count(AnonymousUser()) == 0
    assert list(queries.inbox(AnonymousUser())) == []
