from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.kernel.indicators.models import Indicator
from fazhi.kernel.indicators.queries import (
    AMBER,
    GREEN,
    NO_TARGET,
    RED,
    indicator_table,
    value_status,
)
from fazhi.kernel.indicators.services import indicator_value_report

# 大冶市 (420281) and two units inside it, one county elsewhere, one city department.
AGENCIES = ["420281", "420281002", "420281-SFJ", "420222", "420200-SCJ"]


@pytest.fixture
def values(people, org, indicators):
    for i, code in enumerate(AGENCIES):
        indicator_value_report(
            actor=people["fzb"],
            indicator=indicators["manual"],
            agency=org[code],
            period="2026",
            value=Decimal(70 + i * 5),
            evidence=f"佐证{code}",
        )
    return indicators


def agencies_seen(table):
    return sorted(c.value.agency.code for row in table for c in row.cells)


@pytest.mark.parametrize(
    ("comparator", "target", "value", "status"),
    [
        (">=", "90", "90", GREEN),
        (">=", "90", "95", GREEN),
        (">=", "90", "81", AMBER),  # 9 below, margin 10% of 90 = 9
        (">=", "90", "80.99", RED),
        ("<=", "10", "10", GREEN),
        ("<=", "10", "11", AMBER),
        ("<=", "10", "11.5", RED),
        ("=", "100", "100", GREEN),
        ("=", "100", "92", AMBER),
        ("=", "100", "111", RED),
        ("<=", "0", "0", GREEN),
        ("<=", "0", "0.01", RED),  # no amber band around a zero target
        (">=", None, "5", NO_TARGET),
    ],
)
def test_value_status_against_target(comparator, target, value, status):
    ind = Indicator(
        comparator=comparator,
        target=None if target is None else Decimal(target),
        amber_margin=Decimal("0.1"),
    )
    assert value_status(ind, Decimal(value)) == status


def test_city_office_sees_every_value(people, values):
    assert agencies_seen(indicator_table(people["fzb"], "2026")) == sorted(AGENCIES)


def test_county_handler_sees_only_their_subtree(people, values):
    table = indicator_table(people["dy_handler"], "2026")
    assert agencies_seen(table) == ["420281", "420281-SFJ", "420281002"]


def test_township_clerk_sees_only_their_township(people, values):
    assert agencies_seen(indicator_table(people["jinhu_clerk"], "2026")) == [
        "420281002"
    ]


@pytest.mark.parametrize("who", ["outsider", "sysadmin", "secadmin", "auditadmin"])
def test_people_without_indicator_view_see_nothing(people, values, who):
    assert indicator_table(people[who], "2026") == []


def test_table_lists_indicators_without_values_and_counts_statuses(people, values):
    table = {r.indicator.code: r for r in indicator_table(people["fzb"], "2026")}
    assert table["test.metric_days"].cells == []
    manual = table["test.manual_rate"]
    # 70, 75, 80 red; 85 amber (within 10% of 90); 90 green.
    assert manual.counts == {GREEN: 1, AMBER: 1, RED: 3, NO_TARGET: 0}
    assert indicator_table(people["fzb"], "2025")[0].cells == []


def test_table_shows_only_current_versions(people, org, values):
    indicator_value_report(
        actor=people["fzb"],
        indicator=values["manual"],
        agency=org["420281"],
        period="2026",
        value="99",
        evidence="更正",
    )
    cells = {
        c.value.agency.code: c.value
        for c in indicator_table(people["dy_handler"], "2026")[0].cells
    }
    assert cells["420281"].value == Decimal("99") and cells["420281"].version == 2


def test_table_query_count_does_not_grow_with_values(people, org, values):
    user = people["fzb"]
    indicator_table(user, "2026")  # grants cached on the user
    with CaptureQueriesContext(connection) as ctx:
        indicator_table(user, "2026")
    assert len(ctx.captured_queries) == 2


def test_table_rejects_bad_period(people, values):
    with pytest.raises(ValidationError):
        indicator_table(people["fzb"], "twenty")


# --- API -------------------------------------------------------------------------


def test_api_list_is_scoped(client, people, values):
    client.force_login(people["dy_handler"])
    r = client.get("/api/indicators/", {"period": "2026"})
    assert r.status_code == 200
    data = {d["code"]: d for d in r.json()}
    manual = data["test.manual_rate"]
    assert sorted(v["agency_code"] for v in manual["values"]) == [
        "420281",
        "420281-SFJ",
        "420281002",
    ]
    first = next(v for v in manual["values"] if v["agency_code"] == "420281")
    assert first["status"] == RED and Decimal(first["value"]) == Decimal("70")
    assert manual["target"] in ("90", "90.0000", 90)


def test_api_outsider_gets_404(client, people, values):
    client.force_login(people["outsider"])
    assert client.get("/api/indicators/", {"period": "2026"}).status_code == 404
    r = client.post(
        "/api/indicators/test.manual_rate/values",
        {"agency_code": "420281", "period": "2026", "value": "1", "evidence": "x"},
        content_type="application/json",
    )
    assert r.status_code == 404


def test_api_bad_period_is_422_naming_the_field(client, people, values):
    client.force_login(people["fzb"])
    r = client.get("/api/indicators/", {"period": "soon"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "period"]


def test_api_report_and_history(client, people, values):
    client.force_login(people["fzb"])
    r = client.post(
        "/api/indicators/test.manual_rate/values",
        {"agency_code": "420281", "period": "2026", "value": "95", "evidence": "年报"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["version"] == 2 and r.json()["status"] == GREEN
    h = client.get(
        "/api/indicators/test.manual_rate/history",
        {"agency": "420281", "period": "2026"},
    )
    assert [v["version"] for v in h.json()] == [2, 1]


def test_api_report_field_errors_and_refusals(client, people, values):
    client.force_login(people["fzb"])
    url = "/api/indicators/test.manual_rate/values"
    body = {"agency_code": "420281", "period": "2026", "value": "x", "evidence": "e"}
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "value"]
    body["agency_code"] = "nope"
    assert client.post(url, body, content_type="application/json").status_code == 404
    client.force_login(people["dy_handler"])
    body.update(agency_code="420281", value="1")
    assert client.post(url, body, content_type="application/json").status_code == 403


def test_api_history_out_of_scope_is_404(client, people, values):
    client.force_login(people["dy_handler"])
    url = "/api/indicators/test.manual_rate/history"
    assert (
        client.get(url, {"agency": "420200-SCJ", "period": "2026"}).status_code == 404
    )
    assert client.get(url, {"agency": "420281", "period": "x"}).status_code == 422
    assert client.get(url, {"agency": "420281", "period": "2026"}).status_code == 200


# --- Page ------------------------------------------------------------------------


def test_page_lists_values_in_scope(client, people, values):
    client.force_login(people["dy_handler"])
    r = client.get(reverse("indicators:list"), {"period": "2026"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "行政复议纠错率" in body and "大冶市" in body
    assert "佐证420281" in body
    assert "佐证420200-SCJ" not in body and "佐证420222" not in body
    assert "70%" in body  # 70.0000 shown plainly


def test_page_bad_period_shows_message(client, people, values):
    client.force_login(people["fzb"])
    r = client.get(reverse("indicators:list"), {"period": "abc"})
    assert r.status_code == 200
    assert "统计期格式" in r.content.decode()


def test_page_defaults_to_this_year(client, people, values):
    client.force_login(people["fzb"])
    r = client.get(reverse("indicators:list"))
    assert r.status_code == 200 and r.context["period"].isdigit()


def test_page_outsider_gets_404(client, people, values):
    client.force_login(people["outsider"])
    assert client.get(reverse("indicators:list")).status_code == 404


def test_page_requires_login(client, values):
    assert client.get(reverse("indicators:list")).status_code == 302
