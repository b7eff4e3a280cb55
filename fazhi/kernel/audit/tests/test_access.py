"""Only the audit administrator reads the record: pages, API and queries.
The system and security administrators are refused like everybody else."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fazhi.kernel.audit import queries
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.audit.services import audit_record, checkpoint_seal

REFUSED = ["sysadmin", "secadmin", "fzb", "scj_handler", "outsider"]


@pytest.fixture
def case_events(people):
    for step in ("case.open", "case.accept", "case.close"):
        audit_record(
            actor=people["scj_handler"],
            action=step,
            record_type="case",
            record_id=5,
            payload={"state": step},
        )
    return people


def _pages():
    return [
        reverse("audit:events"),
        reverse("audit:verify"),
        reverse("audit:timeline", args=["case", "5"]),
    ]


@pytest.mark.parametrize("username", REFUSED)
def test_pages_refuse_everyone_but_the_audit_administrator(
    client, case_events, username
):
    client.force_login(case_events[username])
    for url in _pages():
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("audit:verify")).status_code == 403


def test_pages_send_anonymous_visitors_to_login(client, db):
    for url in _pages():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_event_search_page_filters_and_paginates(
    client, case_events, django_assert_max_num_queries
):
    client.force_login(case_events["auditadmin"])
    url = reverse("audit:events")
    with django_assert_max_num_queries(10):
        response = client.get(url, {"actor": "scj_handler", "record_type": "case"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "case.accept" in body and "案件 5" in body
    assert "创建案件" in body  # actions are labelled in words, codes kept small
    assert response.context["page"].paginator.count == 3
    for n in range(60):
        audit_record(actor=None, action="bulk", record_type="bulk", record_id=n)
    page2 = client.get(url, {"action": "bulk", "page": 2})
    assert len(page2.context["page"].object_list) == 10
    assert "action=bulk&amp;page=1" in page2.content.decode()


def test_event_search_page_shows_a_bad_date_range_as_a_form_error(client, case_events):
    client.force_login(case_events["auditadmin"])
    response = client.get(
        reverse("audit:events"), {"date_from": "2026-03-02", "date_to": "2026-03-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]
    assert response.context["page"].paginator.count == 0


def test_timeline_page_lists_a_records_events_in_order(client, case_events):
    client.force_login(case_events["auditadmin"])
    response = client.get(reverse("audit:timeline", args=["case", "5"]))
    assert [e.action for e in response.context["events"]] == [
        "case.open",
        "case.accept",
        "case.close",
    ]


def test_verify_page_runs_and_records_the_verification(client, case_events):
    client.force_login(case_events["auditadmin"])
    checkpoint_seal()
    page = client.get(reverse("audit:verify"))
    assert page.status_code == 200 and "尚未校验" in page.content.decode()
    assert len(page.context["checkpoints"]) == 1
    result = client.post(reverse("audit:verify"))
    assert result.status_code == 200 and result.context["report"].ok
    assert "校验通过" in result.content.decode()
    assert "尚未封存" in result.content.decode()
    again = client.get(reverse("audit:verify"))
    assert again.context["last"].actor_label == "auditadmin"
    assert "上次校验" in again.content.decode()


@pytest.mark.parametrize("username", REFUSED)
def test_api_refuses_everyone_but_the_audit_administrator(
    client, case_events, username
):
    client.force_login(case_events[username])
    assert client.get("/api/audit/events").status_code == 403
    assert client.get("/api/audit/verify").status_code == 403


def test_api_requires_authentication(client, db):
    assert client.get("/api/audit/events").status_code == 401
    assert client.get("/api/audit/verify").status_code == 401


def test_api_lists_events_for_the_audit_administrator(client, case_events):
    client.force_login(case_events["auditadmin"])
    response = client.get(
        "/api/audit/events", {"record_type": "case", "record_id": "5", "limit": 2}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert [e["action"] for e in data["items"]] == ["case.close", "case.accept"]
    bad = client.get(
        "/api/audit/events", {"date_from": "2026-03-02", "date_to": "2026-03-01"}
    )
    assert bad.status_code == 422 and "date_to" in bad.json()["detail"]
    assert client.get("/api/audit/events", {"limit": 1000}).status_code == 422


def test_api_verify_summary(client, case_events):
    client.force_login(case_events["auditadmin"])
    data = client.get("/api/audit/verify").json()
    assert data["ok"] is True and data["problem_count"] == 0
    assert data["events"] == AuditEvent.objects.count()
    assert "records verified" in data["summary"]


def test_search_filters_by_actor_action_record_and_local_dates(case_events):
    from datetime import date

    import time_machine

    admin = case_events["auditadmin"]
    # 2026-03-01 23:30 in Shanghai is still 1 March there, 15:30 UTC.
    with time_machine.travel("2026-03-01 15:30:00+00:00", tick=False):
        audit_record(actor=None, action="night.shift", record_type="r", record_id=1)
    with time_machine.travel("2026-03-01 16:30:00+00:00", tick=False):  # 2 March
        audit_record(actor=None, action="night.shift", record_type="r", record_id=1)
    found = queries.search_events(
        admin, action="night.", date_from=date(2026, 3, 1), date_to=date(2026, 3, 1)
    )
    assert [e.seq for e in found] == [1]
    assert (
        queries.search_events(
            admin, actor="system", record_type="r", record_id="1"
        ).count()
        == 2
    )


@pytest.mark.parametrize("username", REFUSED)
def test_queries_refuse_everyone_but_the_audit_administrator(case_events, username):
    user = case_events[username]
    with pytest.raises(PermissionDenied):
        queries.search_events(user)
    with pytest.raises(PermissionDenied):
        queries.record_timeline(user, "case", 5)
    with pytest.raises(PermissionDenied):
        queries.checkpoint_list(user)
    with pytest.raises(PermissionDenied):
        queries.last_verification(user)


def test_timeline_is_shown_to_a_user_the_caller_authorised(case_events):
    # The case timeline page checks case access itself, then says so.
    handler = case_events["scj_handler"]
    events = queries.record_timeline(handler, "case", 5, authorised=True)
    assert [e.seq for e in events] == [1, 2, 3]
    admin_view = queries.record_timeline(case_events["auditadmin"], "case", "5")
    assert [e.pk for e in admin_view] == [e.pk for e in events]


def test_verify_page_names_the_tampered_record(client, case_events):
    from .conftest import sql, tampering

    with tampering():
        sql(
            "UPDATE audit_auditevent SET action = 'case.reopen' WHERE record_type = "
            "'case' AND record_id = '5' AND seq = 2"
        )
    client.force_login(case_events["auditadmin"])
    body = client.post(reverse("audit:verify")).content.decode()
    assert "发现 " in body and "处篡改或缺失" in body
    assert "case:5 seq 2" in body
    page = client.get(reverse("audit:verify")).content.decode()
    assert "上次校验" in page and "发现篡改" in page


def test_event_search_finds_an_actor_by_full_name(client, case_events):
    client.force_login(case_events["auditadmin"])
    by_name = client.get(reverse("audit:events"), {"actor": "赵承办"})
    by_account = client.get(reverse("audit:events"), {"actor": "scj_handler"})
    assert by_name.context["page"].paginator.count > 0
    assert (
        by_name.context["page"].paginator.count
        == by_account.context["page"].paginator.count
    )
