"""/api/cases: the same scope and the same engine as the pages."""

import json

import pytest

from fazhi.kernel.workflow.models import Case

pytestmark = pytest.mark.django_db


def test_api_lists_only_cases_in_scope(login_as, cases):
    data = login_as("dy_handler").get("/api/cases", {"limit": 10}).json()
    numbers = {c["number"] for c in data["items"]}
    assert data["count"] == 2
    assert numbers == {cases["dy"].number, cases["jinhu"].number}


def test_api_filters_like_the_page(login_as, cases):
    data = login_as("fzb").get("/api/cases", {"q": "噪音"}).json()
    assert [c["number"] for c in data["items"]] == [cases["jinhu"].number]


def test_api_rejects_a_silly_limit(login_as, cases):
    response = login_as("fzb").get("/api/cases", {"limit": 100000})
    assert response.status_code == 400
    assert "limit" in response.json()["detail"]


def test_api_case_outside_scope_is_404(login_as, cases):
    c = login_as("scj_handler")
    assert c.get(f"/api/cases/{cases['dy'].number}").status_code == 404
    assert c.get(f"/api/cases/{cases['dy'].number}/timeline").status_code == 404


def test_api_outsider_and_anonymous_are_refused(login_as, client, cases):
    assert login_as("outsider").get("/api/cases").status_code == 403
    assert (
        login_as("outsider").get(f"/api/cases/{cases['dy'].number}").status_code == 404
    )
    assert client.get("/api/cases").status_code == 401


def test_api_detail_lists_clocks_and_allowed_transitions(login_as, cases):
    data = login_as("dy_handler").get(f"/api/cases/{cases['dy'].number}").json()
    assert data["state"] == "received"
    assert [t["name"] for t in data["transitions"]] == ["accept"]
    assert data["clocks"][0]["rule_id"] == "disclosure.reply"


def test_api_fires_a_transition_and_reports_refusals(login_as, cases):
    c = login_as("dy_handler")
    url = f"/api/cases/{cases['dy'].number}/transitions"
    ok = c.post(
        url,
        json.dumps({"transition": "accept", "note": "受理"}),
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["state"] == "handling"
    refused = c.post(
        url, json.dumps({"transition": "close"}), content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == "请填写说明"
    assert Case.objects.get(pk=cases["dy"].pk).state == "handling"
    timeline = c.get(f"/api/cases/{cases['dy'].number}/timeline").json()
    assert [e["action"] for e in timeline][-1] == "case.accept"
