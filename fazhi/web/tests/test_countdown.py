"""Clock names on list pages: one query for the list, none per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.deadlines.services import period_rule_override_set
from fazhi.web.countdown import clock_display_name, rule_for
from fazhi.web.testing import open_case

pytestmark = pytest.mark.django_db


def open_urgent(people, org, n):
    for i in range(n):
        open_case(people["fzb"], org["420200-SCJ"], f"测试案件{i}")
    Clock.objects.update(due_date=today())  # all due today: all on the home list


def home_queries(login_as):
    client = login_as("fzb")
    client.get(reverse("web:home"))  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("web:home")).content.decode()
    return len(ctx.captured_queries), body


def test_home_list_query_count_does_not_grow_with_its_rows(login_as, people, org):
    # A local override exists: the name lookup must not read it per row.
    period_rule_override_set(
        actor=people["fzb"], rule_id="hotline.help", days=7, citation="本地规定"
    )
    open_urgent(people, org, 2)
    few, body = home_queries(login_as)
    assert body.count("依申请公开答复") == 2
    open_urgent(people, org, 4)
    many, body = home_queries(login_as)
    assert body.count("依申请公开答复") == 6
    assert many == few


def test_naming_a_list_of_clocks_costs_no_query(people, org):
    open_urgent(people, org, 3)
    Clock.objects.filter(pk=Clock.objects.order_by("pk").first().pk).update(rule_id="")
    Clock.objects.filter(pk=Clock.objects.order_by("pk").last().pk).update(
        rule_id="retired.rule", name="other"
    )
    clocks = list(Clock.objects.select_related("case").order_by("pk"))
    with CaptureQueriesContext(connection) as ctx:
        names = [clock_display_name(c) for c in clocks]
    assert len(ctx.captured_queries) == 0
    # The rule's name; else the case type's label (none here); else its own.
    assert names == ["reply", "依申请公开答复", "other"]


def test_rule_for_gives_the_rule_in_force_or_none(people, org):
    open_urgent(people, org, 1)
    clock = Clock.objects.get()
    assert rule_for(clock).citation.startswith("《政府信息公开条例》")
    clock.rule_id = "retired.rule"
    assert rule_for(clock) is None
    clock.rule_id = ""
    assert rule_for(clock) is None
