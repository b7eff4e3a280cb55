"""The normative-document API: the path through JSON, scope (404), 403 for a
step the caller may not take, 422 naming the field, the catalogue."""

import json
from datetime import date

import pytest

from fazhi.domains.laws.normative_testing import TEXT, at

pytestmark = pytest.mark.django_db
BASE = "/api/laws/normative"


@pytest.fixture(autouse=True)
def _fresh_titles():
    from fazhi.domains.laws.search.suggest import forget_titles

    forget_titles()
    yield
    forget_titles()


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_the_whole_path_over_the_api(client, people):
    with at(date(2026, 9, 1)):
        client.force_login(people["scj_handler"])
        r = post(
            client,
            f"{BASE}/",
            {
                "agency": "420200-SCJ",
                "title": "黄石市网络餐饮服务管理办法",
                "text": TEXT,
            },
        )
        assert r.status_code == 201, r.content
        number = r.json()["number"]
        r = post(client, f"{BASE}/{number}/actions/submit_review", {"on": "2026-09-01"})
        assert r.status_code == 200, r.content
        clock = r.json()["clocks"][0]
        assert (
            clock["name"] == "legality" and clock["due_date"] == "2026-09-21"
        )  # Sunday 20 Sep is a 调休 working day
        r = post(
            client,
            f"{BASE}/{number}/actions/legality",
            {"on": "2026-09-01", "verdict": "lawful"},
        )
        assert r.status_code == 403
        client.force_login(people["fzb"])
        r = post(
            client,
            f"{BASE}/{number}/actions/legality",
            {"on": "2026-09-01", "verdict": "lawful"},
        )
        assert r.json()["state"] == "approved"
        client.force_login(people["scj_handler"])
        r = post(
            client,
            f"{BASE}/{number}/actions/publish",
            {
                "doc_number": "黄市监规〔2026〕9号",
                "published_on": "2026-09-01",
                "expires_on": "2031-09-01",
            },
        )
        body = r.json()
        assert body["state"] == "published" and body["platform_id"]
        assert [c["due_date"] for c in body["clocks"] if c["state"] == "running"] == [
            "2026-10-08"
        ]
        post(client, f"{BASE}/{number}/actions/file", {"on": "2026-09-01"})
        client.force_login(people["fzb"])
        r = post(client, f"{BASE}/{number}/actions/accept", {"on": "2026-09-01"})
        assert r.status_code == 200, r.content
        assert r.json()["filing_result"] == "accepted"
        r = client.get(f"{BASE}/catalogue", {"period": "2026-Q3"})
    assert [d["number"] for d in r.json()] == [number]


def test_invalid_input_names_the_field(client, people):
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 2)):
        r = post(
            client, f"{BASE}/", {"agency": "420200-SCJ", "title": " ", "text": TEXT}
        )
        assert r.status_code == 422 and "title" in r.json()["detail"]
        number = post(
            client, f"{BASE}/", {"agency": "420200-SCJ", "title": "文件", "text": TEXT}
        ).json()["number"]
        r = post(client, f"{BASE}/{number}/actions/submit_review", {"on": "not a date"})
        assert r.status_code == 422 and "on" in r.json()["detail"]
        r = post(client, f"{BASE}/{number}/actions/file", {"on": "2026-03-02"})
        assert r.status_code == 409
        r = client.get(f"{BASE}/catalogue", {"period": "2026-Q9"})
        assert r.status_code == 422


def test_scope_hides_other_agencies_documents(client, people):
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 2)):
        number = post(
            client, f"{BASE}/", {"agency": "420200-SCJ", "title": "文件", "text": TEXT}
        ).json()["number"]
    client.force_login(people["dy_handler"])
    assert client.get(f"{BASE}/{number}").status_code == 404
    assert post(client, f"{BASE}/{number}/actions/submit_review", {}).status_code == 404
    assert client.get(f"{BASE}/").json() == []
    r = post(
        client, f"{BASE}/", {"agency": "420200-SCJ", "title": "越权", "text": TEXT}
    )
    assert r.status_code == 403
    client.force_login(people["outsider"])
    assert client.get(f"{BASE}/").status_code == 403
    client.logout()
    assert client.get(f"{BASE}/").status_code == 401
