"""The API: scope (404 outside it), 422 naming the field, public lookups masked."""

import json
from datetime import date

import pytest
from django.core.cache import cache

from fazhi.domains.disclosure.queries import LOOKUP_LIMIT

from .conftest import ID_NUMBER, at, person

pytestmark = pytest.mark.django_db
BASE = "/api/disclosure"


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def apply_body(**over):
    body = {"agency": "420200-SCJ", "content": "2025年度食品安全抽检结果", **person()}
    body.update(over)
    return body


def test_public_apply_then_track_masked(client, org):
    with at(date(2026, 3, 2)):
        r = post(client, f"{BASE}/public/applications", apply_body())
    assert r.status_code == 201, r.content
    number = r.json()["number"]
    assert number.startswith("GK-2026-")
    r = post(client, f"{BASE}/public/track", {"number": number, "phone_tail": "5678"})
    assert r.status_code == 200
    body = json.dumps(r.json(), ensure_ascii=False)
    assert "138****5678" in body and "张*三" in body
    assert "13812345678" not in body and ID_NUMBER not in body and "张晓三" not in body
    assert r.json()["state"] == "submitted"


def test_wrong_phone_tail_is_404_and_lookups_are_throttled(client, org):
    with at(date(2026, 3, 2)):
        number = post(client, f"{BASE}/public/applications", apply_body()).json()[
            "number"
        ]
    for _ in range(LOOKUP_LIMIT):
        r = post(
            client, f"{BASE}/public/track", {"number": number, "phone_tail": "0000"}
        )
        assert r.status_code == 404
    # Now even the right digits are refused for a while.
    r = post(client, f"{BASE}/public/track", {"number": number, "phone_tail": "5678"})
    assert r.status_code == 404


def test_bad_input_is_422_naming_the_field(client, org):
    r = post(client, f"{BASE}/public/applications", apply_body(phone="12345"))
    assert r.status_code == 422
    assert "phone" in r.json()["detail"]
    r = post(client, f"{BASE}/public/applications", apply_body(agency="NOPE"))
    assert r.status_code == 422 and "agency" in r.json()["detail"]
    body = apply_body()
    del body["content"]
    r = post(client, f"{BASE}/public/applications", body)
    assert r.status_code == 422
    assert "content" in json.dumps(r.json()["detail"])
    r = post(client, f"{BASE}/public/applications", apply_body(applicant_type="alien"))
    assert r.status_code == 422 and "applicant_type" in r.json()["detail"]


def test_staff_flow_over_api(client, people):
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 2)):
        r = post(
            client,
            f"{BASE}/applications",
            apply_body(channel="in_person", submitted_on="2026-03-02"),
        )
        assert r.status_code == 201, r.content
        number = r.json()["number"]
        assert r.json()["due_date"] == "2026-03-30"
        r = post(client, f"{BASE}/applications/{number}/reply", {"result_code": "x"})
        assert r.status_code == 422 and "result_code" in r.json()["detail"]
        r = post(client, f"{BASE}/applications/{number}/extend", {"reason": "多"})
        assert r.status_code == 409  # a handler may not approve an extension
        r = post(
            client,
            f"{BASE}/applications/{number}/reply",
            {"result_code": "disclose", "doc_number": "黄市监公开〔2026〕1号"},
        )
        assert r.status_code == 200 and r.json()["state"] == "replied"
    # The session was touched in March; sign in again back in the present.
    client.force_login(people["scj_handler"])
    r = client.get(f"{BASE}/applications/{number}/letters/reply")
    assert r.status_code == 200
    assert r["Content-Type"].endswith("wordprocessingml.document")
    r = client.get(f"{BASE}/applications?state=replied")
    assert r.json()["count"] == 1
    assert r.json()["items"][0]["phone"] == "138****5678"


def test_out_of_scope_is_404(client, people):
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 2)):
        number = post(
            client,
            f"{BASE}/applications",
            apply_body(channel="in_person", submitted_on="2026-03-02"),
        ).json()["number"]
    client.force_login(people["dy_handler"])  # in the present again
    assert client.get(f"{BASE}/applications/{number}").status_code == 404
    r = post(client, f"{BASE}/applications/{number}/reply", {"result_code": "disclose"})
    assert r.status_code == 404
    assert client.get(f"{BASE}/applications/{number}/letters/reply").status_code == 404
    assert client.get(f"{BASE}/applications").json()["count"] == 0
    client.force_login(people["outsider"])
    assert client.get(f"{BASE}/applications").status_code == 403
    assert client.get(f"{BASE}/report?agency=420200-SCJ&year=2026").status_code == 404
    client.logout()
    assert client.get(f"{BASE}/applications/{number}").status_code == 401


def test_anonymous_submissions_are_rate_limited(client, org):
    from fazhi.domains.disclosure.throttle import SUBMISSIONS_PER_HOUR

    with at(date(2026, 3, 2)):
        for i in range(SUBMISSIONS_PER_HOUR):
            r = post(
                client, f"{BASE}/public/applications", apply_body(content=f"第{i}项")
            )
            assert r.status_code == 201
        r = post(client, f"{BASE}/public/applications", apply_body(content="再来一项"))
    assert r.status_code == 429


def test_refused_submissions_do_not_use_up_the_quota(client, org):
    from fazhi.domains.disclosure.throttle import SUBMISSIONS_PER_HOUR

    with at(date(2026, 3, 2)):
        for _ in range(SUBMISSIONS_PER_HOUR + 2):  # typos, all refused
            bad = apply_body(content="")
            assert post(client, f"{BASE}/public/applications", bad).status_code == 422
        r = post(client, f"{BASE}/public/applications", apply_body(content="正确"))
    assert r.status_code == 201


def test_fee_and_co_producer_over_api(client, people):
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 2)):
        r = post(
            client,
            f"{BASE}/applications",
            apply_body(channel="in_person", submitted_on="2026-03-02"),
        )
        number = r.json()["number"]
    with at(date(2026, 3, 4)):
        client.force_login(people["scj_handler"])
        r = post(
            client,
            f"{BASE}/applications/{number}/consultation",
            {"kind": "agency", "third_party": "黄石市财政局", "sent_on": "2026-03-04"},
        )
        assert r.status_code == 200 and r.json()["state"] == "consulting_agency"
        r = post(
            client,
            f"{BASE}/applications/{number}/consultation/done",
            {"answered_on": "2026-03-04"},
        )
        assert r.json()["state"] == "handling"
        r = post(
            client,
            f"{BASE}/applications/{number}/fee",
            {"method": "per_page", "quantity": 10, "reason": "多", "pay_by": "银行"},
        )
        assert r.status_code == 422 and "quantity" in r.json()["detail"]
        r = post(
            client,
            f"{BASE}/applications/{number}/fee",
            {"method": "per_page", "quantity": 40, "reason": "多", "pay_by": "银行"},
        )
        assert r.status_code == 200 and r.json()["state"] == "fee_pending"
        r = post(client, f"{BASE}/applications/{number}/fee/paid", {})
        assert r.status_code == 200 and r.json()["state"] == "handling"
