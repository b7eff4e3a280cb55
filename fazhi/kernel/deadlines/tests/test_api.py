"""GET /api/deadlines/compute, /rules, /clocks/...: the JSON contract and scope."""

import pytest

from fazhi.kernel.deadlines import services

from .conftest import D

pytestmark = pytest.mark.django_db

URL = "/api/deadlines"


def test_compute_requires_login(client):
    assert client.get(f"{URL}/compute", {"start": "2026-02-10"}).status_code == 401
    assert client.get(f"{URL}/rules").status_code == 401


def test_compute_with_days_and_unit(client, people):
    client.force_login(people["outsider"])
    r = client.get(
        f"{URL}/compute", {"start": "2026-02-10", "days": 20, "unit": "working"}
    )
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"due", "provisional", "rule", "citation", "explain"}
    assert body["due"] == "2026-03-16" and body["provisional"] is False
    assert body["rule"] is None and body["citation"] is None


def test_compute_with_rule_and_pauses(client, people):
    client.force_login(people["scj_handler"])
    r = client.get(
        f"{URL}/compute?start=2026-03-02&rule=disclosure.reply"
        "&pause=2026-03-04:2026-03-05&pause=2026-03-10:2026-03-10"
    )
    body = r.json()
    assert r.status_code == 200
    assert body["rule"] == "disclosure.reply" and "第三十三条" in body["citation"]
    assert body["due"] == "2026-04-02"


def test_compute_provisional(client, people):
    client.force_login(people["scj_handler"])
    body = client.get(
        f"{URL}/compute", {"start": "2026-12-20", "days": 20, "unit": "working"}
    ).json()
    assert body["provisional"] is True and body["explain"][-1].startswith("暂定")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-02-30", "days": 3, "unit": "working"}, "start"),
        ({"start": "2026-02-10", "days": -3, "unit": "working"}, "days"),
        ({"start": "2026-02-10", "days": 3}, "unit"),
        ({"start": "2026-02-10", "rule": "nope"}, "rule"),
        (
            {
                "start": "2026-02-10",
                "days": 3,
                "unit": "natural",
                "pause": "2026-02-12:2026-02-11",
            },
            "pause",
        ),
    ],
)
def test_compute_bad_input_is_422_naming_the_field(client, people, params, field):
    client.force_login(people["scj_handler"])
    r = client.get(f"{URL}/compute", params)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", field]


def test_rules_list(client, people):
    client.force_login(people["outsider"])
    rules = {r["id"]: r for r in client.get(f"{URL}/rules").json()}
    assert rules["penalty.decision"]["days"] == 90
    assert "行政处罚法" in rules["penalty.decision"]["citation"]


def test_due_soon_and_explain_are_scoped(client, people, make_case):
    clock = services.clock_start(
        actor=None,
        case=make_case("420200-SCJ"),
        name="reply",
        start=D("2026-02-10"),
        rule_id="disclosure.reply",
    )
    client.force_login(people["scj_handler"])
    listed = client.get(f"{URL}/clocks/due-soon").json()
    assert [c["id"] for c in listed] == [clock.pk]  # overdue by now
    body = client.get(f"{URL}/clocks/{clock.pk}/explain").json()
    assert body["due"] == "2026-03-16" and body["rule"] == "disclosure.reply"
    client.force_login(people["outsider"])
    assert client.get(f"{URL}/clocks/due-soon").json() == []
    assert client.get(f"{URL}/clocks/{clock.pk}/explain").status_code == 404
