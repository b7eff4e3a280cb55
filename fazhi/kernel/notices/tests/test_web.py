import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.kernel.notices.gateways import RecordingSmsGateway
from fazhi.kernel.notices.models import Notice
from fazhi.kernel.notices.services import notice_send


@pytest.fixture
def handler_notices(people):
    handler = people["scj_handler"]
    return [
        notice_send(
            actor=people["fzb"],
            recipient=handler,
            channel="inbox",
            subject=f"督办{i}",
            body="请办理",
        )
        for i in range(3)
    ]


def login(client, user):
    client.force_login(user)
    return client


# --- API ---------------------------------------------------------------------------


def test_api_lists_only_own_notices(client, people, handler_notices):
    notice_send(
        actor=None, recipient=people["fzb"], channel="inbox", subject="别人的", body=""
    )
    r = login(client, people["scj_handler"]).get("/api/notices/")
    assert r.status_code == 200
    data = r.json()
    assert [d["subject"] for d in data] == ["督办2", "督办1", "督办0"]
    assert all(d["read_at"] is None for d in data)


def test_api_unread_filter_and_count(client, people, handler_notices):
    c = login(client, people["scj_handler"])
    assert c.post(f"/api/notices/{handler_notices[0].pk}/read").status_code == 200
    assert len(c.get("/api/notices/?unread_only=true").json()) == 2
    assert c.get("/api/notices/unread-count").json() == {"unread": 2}


def test_api_mark_read(client, people, handler_notices):
    n = handler_notices[0]
    r = login(client, people["scj_handler"]).post(f"/api/notices/{n.pk}/read")
    assert r.status_code == 200
    assert r.json()["read_at"] is not None
    n.refresh_from_db()
    assert n.read_at is not None


@pytest.mark.parametrize("who", ["fzb", "outsider", "sysadmin"])
def test_api_someone_elses_notice_is_404(client, people, handler_notices, who):
    n = handler_notices[0]
    c = login(client, people[who])
    assert c.post(f"/api/notices/{n.pk}/read").status_code == 404
    assert c.get("/api/notices/").json() == []
    n.refresh_from_db()
    assert n.read_at is None


def test_api_missing_notice_is_404(client, people):
    assert (
        login(client, people["fzb"]).post("/api/notices/999999/read").status_code == 404
    )


def test_api_requires_login(client, handler_notices):
    assert client.get("/api/notices/").status_code == 401


# --- Pages ---------------------------------------------------------------------------


def test_inbox_page_lists_own_notices_with_bounded_queries(
    client, people, handler_notices
):
    c = login(client, people["scj_handler"])
    c.get(reverse("notices:inbox"))  # warm up session and caches
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(reverse("notices:inbox"))
    assert r.status_code == 200
    body = r.content.decode()
    for n in handler_notices:
        assert n.subject in body
    baseline = len(ctx.captured_queries)
    for i in range(10):
        notice_send(
            actor=None,
            recipient=people["scj_handler"],
            channel="inbox",
            subject=f"更多{i}",
            body="",
        )
    with CaptureQueriesContext(connection) as ctx:
        c.get(reverse("notices:inbox"))
    assert len(ctx.captured_queries) == baseline  # no query per row


def test_inbox_page_unread_filter(client, people, handler_notices):
    c = login(client, people["scj_handler"])
    c.post(reverse("notices:mark_read", args=[handler_notices[0].pk]))
    body = c.get(reverse("notices:inbox") + "?unread=1").content.decode()
    assert "督办0" not in body and "督办1" in body


def test_inbox_page_does_not_show_others_notices(client, people, handler_notices):
    body = (
        login(client, people["outsider"]).get(reverse("notices:inbox")).content.decode()
    )
    assert "督办0" not in body
    assert "暂无通知" in body


def test_detail_page_and_mark_read(client, people, handler_notices):
    n = handler_notices[1]
    c = login(client, people["scj_handler"])
    r = c.get(reverse("notices:detail", args=[n.pk]))
    assert r.status_code == 200 and "请办理" in r.content.decode()
    r = c.post(
        reverse("notices:mark_read", args=[n.pk]),
        {"next": reverse("notices:detail", args=[n.pk])},
    )
    assert r.status_code == 302 and r["Location"] == reverse(
        "notices:detail", args=[n.pk]
    )
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_ignores_offsite_next(client, people, handler_notices):
    c = login(client, people["scj_handler"])
    r = c.post(
        reverse("notices:mark_read", args=[handler_notices[0].pk]),
        {"next": "https://evil.example.com/"},
    )
    assert r["Location"] == reverse("notices:inbox")


def test_mark_all_read_page(client, people, handler_notices):
    c = login(client, people["scj_handler"])
    r = c.post(reverse("notices:mark_all_read"))
    assert r.status_code == 302
    assert not Notice.objects.filter(
        read_at__isnull=True, recipient=people["scj_handler"]
    ).exists()


@pytest.mark.parametrize("who", ["fzb", "outsider"])
def test_pages_answer_404_for_someone_elses_notice(
    client, people, handler_notices, who
):
    n = handler_notices[0]
    c = login(client, people[who])
    assert c.get(reverse("notices:detail", args=[n.pk])).status_code == 404
    assert c.post(reverse("notices:mark_read", args=[n.pk])).status_code == 404


def test_pages_require_login(client, handler_notices):
    r = client.get(reverse("notices:inbox"))
    assert r.status_code == 302 and "login" in r["Location"]


def test_mark_read_needs_post(client, people, handler_notices):
    c = login(client, people["scj_handler"])
    assert (
        c.get(reverse("notices:mark_read", args=[handler_notices[0].pk])).status_code
        == 405
    )


# --- Management command ---------------------------------------------------------


def test_deliver_command_sends_pending_and_retries_failed(people, settings):
    RecordingSmsGateway.outbox.clear()
    # Created outside on_commit capture: the hook never runs in a test
    # transaction, exactly like a process that died after commit.
    n = notice_send(
        actor=None, address="13900001111", channel="sms", subject="s", body=""
    )
    failed = notice_send(
        actor=None, address="13900002222", channel="sms", subject="f", body=""
    )
    Notice.objects.filter(pk=failed.pk).update(status=Notice.Status.FAILED)
    call_command("notices_deliver")
    n.refresh_from_db()
    assert n.status == Notice.Status.SENT
    assert [s.phone for s in RecordingSmsGateway.outbox] == ["13900001111"]
    settings.FAZHI_SMS_GATEWAY = (
        "fazhi.kernel.notices.tests.test_services.FailingGateway"
    )
    call_command("notices_deliver", "--retry-failed")
    failed.refresh_from_db()
    assert failed.status == Notice.Status.FAILED and "carrier refused" in failed.error
    RecordingSmsGateway.outbox.clear()
