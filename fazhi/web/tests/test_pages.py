"""Staff layout, sign-in and the 工作台."""

import pytest
from django.urls import reverse

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/staff/", "/staff/cases/", "/staff/cases/WT-2026-000001/"]
)
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_login_page_is_chinese(client):
    response = client.get(reverse("web:login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "用户名" in body and "密码" in body and "登录" in body


def test_failed_login_says_what_went_wrong(client, people):
    response = client.post(
        reverse("web:login"), {"username": "fzb", "password": "wrong-password"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码不正确" in body
    assert '<div class="form-errors"' in body


def test_successful_login_lands_on_home(client, people, demo_password):
    response = client.post(
        reverse("web:login"), {"username": "fzb", "password": demo_password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_repeated_failures_show_the_lockout_page(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("web:login"), {"username": "dy_sfj", "password": "nope"})
    response = client.post(
        reverse("web:login"), {"username": "dy_sfj", "password": "nope"}
    )
    body = response.content.decode()
    assert response.status_code == 429
    assert "账号已被暂时锁定" in body


def test_logout_is_a_post(login_as):
    c = login_as("fzb")
    assert c.get(reverse("web:logout")).status_code == 405
    assert c.post(reverse("web:logout")).status_code == 302
    assert c.get(reverse("web:home")).status_code == 302


def test_home_counts_overdue_and_due_soon_clocks(login_as, cases):
    on = today()
    Clock.objects.filter(case=cases["dy"]).update(due_date=on.replace(year=on.year - 1))
    Clock.objects.filter(case=cases["jinhu"]).update(due_date=on)
    body = login_as("fzb").get(reverse("web:home")).content.decode()
    assert 'data-stat="overdue">1<' in body
    assert 'data-stat="due_soon">1<' in body
    assert 'data-count="overdue">1<' in body  # the header counter agrees
    assert cases["dy"].number in body and cases["jinhu"].number in body


def test_home_counters_respect_scope(login_as, cases):
    on = today()
    Clock.objects.filter(case=cases["dy"]).update(due_date=on.replace(year=on.year - 1))
    # The city market regulator handles its own agency only: 大冶's overdue
    # case is not its business and must not be counted or listed.
    body = login_as("scj_handler").get(reverse("web:home")).content.decode()
    assert 'data-stat="overdue">0<' in body
    assert cases["dy"].number not in body


def test_home_shows_acting_agency_and_state_counts(login_as, cases):
    body = login_as("dy_handler").get(reverse("web:home")).content.decode()
    assert "大冶市人民政府" in body
    assert "已收到" in body  # the two 大冶 cases counted under their state


def test_home_query_count_is_bounded(login_as, cases, django_assert_max_num_queries):
    c = login_as("fzb")
    with django_assert_max_num_queries(18):
        assert c.get(reverse("web:home")).status_code == 200


def _nav_labels(body):
    nav = body.split('id="sidenav"', 1)[1].split("</nav>", 1)[0]
    return nav


def test_system_admin_sees_no_business_modules(login_as):
    nav = _nav_labels(login_as("sysadmin").get(reverse("web:home")).content.decode())
    assert "机构与权责清单" in nav
    for label in ("案件", "指标", "审计记录"):
        assert label not in nav


def test_audit_admin_alone_sees_the_audit_module(login_as):
    assert "审计记录" in _nav_labels(
        login_as("auditadmin").get(reverse("web:home")).content.decode()
    )
    assert "审计记录" not in _nav_labels(
        login_as("scj_handler").get(reverse("web:home")).content.decode()
    )


def test_handler_sees_cases_in_navigation(login_as):
    nav = _nav_labels(login_as("scj_handler").get(reverse("web:home")).content.decode())
    assert "案件" in nav and "/staff/cases/" in nav


def test_outsider_home_has_no_case_counters(login_as):
    body = login_as("outsider").get(reverse("web:home")).content.decode()
    assert "data-count" not in body
    assert "您的角色不涉及业务案件" in body


def test_missing_page_uses_the_branded_404(login_as):
    response = login_as("fzb").get("/staff/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_login_page_says_the_session_ended_for_inactivity(client, people, settings):
    import time_machine

    from fazhi.demo.huangshi import DEMO_PASSWORD

    with time_machine.travel("2026-11-25 09:00 +0800", tick=False) as traveller:
        client.post(
            reverse("web:login"), {"username": "fzb", "password": DEMO_PASSWORD}
        )
        assert client.get(reverse("web:home")).status_code == 200
        traveller.shift(settings.FAZHI_IDLE_TIMEOUT + 60)
        response = client.get(reverse("web:home"), follow=True)
    body = response.content.decode()
    assert "由于长时间未操作，您已安全退出" in body
    # Said once: a reload of the login page does not repeat it.
    assert "由于长时间未操作" not in client.get(reverse("web:login")).content.decode()


def test_counters_partial_refreshes_the_header(login_as, cases, client):
    on = today()
    Clock.objects.filter(case=cases["dy"]).update(due_date=on.replace(year=on.year - 1))
    body = login_as("dy_handler").get(reverse("web:counters")).content.decode()
    assert 'data-count="overdue">1<' in body and 'hx-trigger="every 120s"' in body
    assert login_as("sysadmin").get(reverse("web:counters")).content == b""
    assert client.get(reverse("web:counters")).status_code == 302
