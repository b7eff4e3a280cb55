"""Case list and case detail pages of the workflow app (views, queries)."""

import pytest
from django.urls import reverse

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.org.models import User
from fazhi.kernel.org.services import membership_grant
from fazhi.kernel.workflow.models import Case
from fazhi.web.testing import open_case

pytestmark = pytest.mark.django_db

LIST = "/staff/cases/"


def detail(case):
    return reverse("workflow:case_detail", args=[case.number])


def fire(case):
    return reverse("workflow:case_fire", args=[case.number])


def test_outsider_gets_404_on_a_case(login_as, cases):
    assert login_as("outsider").get(detail(cases["scj"])).status_code == 404


def test_out_of_scope_case_is_404_like_a_missing_one(login_as, cases):
    c = login_as("scj_handler")
    assert c.get(detail(cases["dy"])).status_code == 404
    assert c.get("/staff/cases/WT-1999-000999/").status_code == 404
    assert c.get(detail(cases["scj"])).status_code == 200


def test_outsider_may_not_open_the_case_list(login_as, cases):
    assert login_as("outsider").get(LIST).status_code == 403


def test_subtree_handler_sees_own_and_lower_cases_only(login_as, cases):
    body = login_as("dy_handler").get(LIST).content.decode()
    assert cases["dy"].number in body and cases["jinhu"].number in body
    assert cases["scj"].number not in body


def test_list_filters_by_agency_subtree(login_as, cases):
    body = login_as("fzb").get(LIST, {"agency": "420281"}).content.decode()
    assert cases["dy"].number in body and cases["jinhu"].number in body
    assert cases["scj"].number not in body
    assert "共 2 条" in body


def test_list_filters_by_state_and_text(login_as, cases, people):
    from fazhi.kernel.workflow.engine import case_transition

    case_transition(actor=people["fzb"], case=cases["dy"], transition="accept")
    c = login_as("fzb")
    body = c.get(LIST, {"state": "handling"}).content.decode()
    assert cases["dy"].number in body and cases["jinhu"].number not in body
    body = c.get(LIST, {"q": "噪音"}).content.decode()
    assert cases["jinhu"].number in body and cases["dy"].number not in body
    body = c.get(LIST, {"q": "噪音擾民"}).content.decode()  # typed in Traditional
    assert cases["jinhu"].number in body


def test_list_filters_overdue(login_as, cases):
    on = today()
    Clock.objects.filter(case=cases["jinhu"]).update(
        due_date=on.replace(year=on.year - 1)
    )
    body = login_as("fzb").get(LIST, {"due": "overdue"}).content.decode()
    assert cases["jinhu"].number in body
    assert cases["dy"].number not in body
    assert "超期" in body


def test_list_filters_due_soon_and_urgent(login_as, cases):
    a_year_ago = today().replace(year=today().year - 1)
    Clock.objects.filter(case=cases["jinhu"]).update(due_date=a_year_ago)
    Clock.objects.filter(case=cases["dy"]).update(due_date=today())
    c = login_as("fzb")
    soon = c.get(LIST, {"due": "soon"}).content.decode()
    assert cases["dy"].number in soon and cases["jinhu"].number not in soon
    urgent = c.get(LIST, {"due": "urgent"}).content.decode()
    assert cases["dy"].number in urgent and cases["jinhu"].number in urgent
    assert cases["scj"].number not in urgent


def test_unknown_filter_values_are_ignored_not_errors(login_as, cases):
    response = login_as("fzb").get(
        LIST, {"state": "nonsense", "per_page": "7", "page": "99", "sort": "hack"}
    )
    assert response.status_code == 200
    assert "共 3 条" in response.content.decode()


def test_empty_list_has_an_empty_state(login_as, cases):
    body = login_as("fzb").get(LIST, {"q": "不存在的事由"}).content.decode()
    assert "没有符合条件的记录" in body


def test_list_paginates(login_as, cases, org, people):
    for i in range(12):
        open_case(people["fzb"], org["420200-SCJ"], f"批量案件{i}")
    body = login_as("fzb").get(LIST, {"per_page": "10"}).content.decode()
    assert "共 15 条" in body
    assert 'rel="next"' in body
    body = login_as("fzb").get(LIST, {"per_page": "10", "page": "2"}).content.decode()
    assert body.count('class="case-number"') == 5


def test_list_query_count_does_not_grow_with_rows(
    login_as, cases, org, people, django_assert_max_num_queries
):
    for i in range(20):
        open_case(people["fzb"], org["420281002"], f"批量案件{i}")
    c = login_as("fzb")
    with django_assert_max_num_queries(16):
        response = c.get(LIST, {"per_page": "50"})
    assert response.content.decode().count('class="case-number"') == 23


def test_detail_shows_clock_badge_timeline_and_transitions(login_as, cases):
    body = login_as("fzb").get(detail(cases["dy"])).content.decode()
    assert "大冶市道路破损" in body
    assert "个工作日" in body or "今日到期" in body  # the reply clock's badge
    assert "为什么是这一天" in body
    assert "创建案件" in body  # timeline entry from the audit record
    assert "王法治" in body  # who
    assert 'value="accept"' in body


def test_transition_fires_and_is_recorded(login_as, cases):
    c = login_as("dy_handler")
    response = c.post(fire(cases["dy"]), {"transition": "accept", "note": "材料齐全"})
    assert response.status_code == 302
    assert Case.objects.get(pk=cases["dy"].pk).state == "handling"
    event = AuditEvent.objects.filter(
        record_type="case", record_id=str(cases["dy"].pk), action="case.accept"
    ).get()
    assert event.payload["note"] == "材料齐全"
    body = c.get(detail(cases["dy"])).content.decode()
    assert "材料齐全" in body and "受理" in body


def test_refused_transition_is_shown_inline_not_a_500(login_as, cases):
    c = login_as("dy_handler")
    c.post(fire(cases["dy"]), {"transition": "accept"})
    response = c.post(fire(cases["dy"]), {"transition": "close", "note": ""})
    assert response.status_code == 400
    assert "请填写说明" in response.content.decode()
    response = c.post(fire(cases["dy"]), {"transition": "accept"})
    assert response.status_code == 400
    assert "不能执行" in response.content.decode()
    response = c.post(fire(cases["dy"]), {"transition": "no-such-step"})
    assert response.status_code == 400


def test_viewer_without_handle_permission_gets_no_buttons_and_is_refused(
    client, cases, org
):
    from fazhi.kernel.org.services import user_create

    observer = user_create(
        actor=None,
        username="observer1",
        full_name="观察员",
        password="Obs3rver!pass",
    )
    membership_grant(
        actor=None,
        user=observer,
        agency=org["420281"],
        role="observer",
        scope="subtree",
    )
    client.force_login(
        User.objects.get(pk=observer.pk),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    body = client.get(detail(cases["dy"])).content.decode()
    assert 'name="transition"' not in body
    response = client.post(fire(cases["dy"]), {"transition": "accept"})
    assert response.status_code == 400
    assert "无权" in response.content.decode()
    assert Case.objects.get(pk=cases["dy"].pk).state == "received"


def test_outsider_cannot_fire_transitions(login_as, cases):
    response = login_as("outsider").post(fire(cases["dy"]), {"transition": "accept"})
    assert response.status_code == 404
    assert Case.objects.get(pk=cases["dy"].pk).state == "received"


def test_transition_endpoint_refuses_get(login_as, cases):
    assert login_as("fzb").get(fire(cases["dy"])).status_code == 405


def test_detail_query_count_is_bounded(login_as, cases, django_assert_max_num_queries):
    c = login_as("fzb")
    with django_assert_max_num_queries(26):
        assert c.get(detail(cases["dy"])).status_code == 200


def test_list_sorts_by_nearest_due_date(login_as, cases):
    on = today()
    Clock.objects.filter(case=cases["scj"]).update(
        due_date=on.replace(year=on.year - 1)
    )
    body = login_as("fzb").get(LIST, {"sort": "due"}).content.decode()
    assert body.index(cases["scj"].number) < body.index(cases["dy"].number)
    body = login_as("fzb").get(LIST, {"sort": "-due"}).content.decode()
    assert body.index(cases["scj"].number) > body.index(cases["dy"].number)
