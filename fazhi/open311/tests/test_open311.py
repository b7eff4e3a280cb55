"""GeoReport v2: formats, filters, keys, errors, and what is never shown."""

import json
from datetime import date
from xml.etree import ElementTree

import pytest
from django.core.management import call_command

from fazhi.domains.hotline.models import ApiClient, Ticket
from fazhi.domains.hotline.services.apikeys import apikey_create
from fazhi.domains.hotline.services.intake import CITIZEN, ticket_submit

pytestmark = pytest.mark.django_db

FOOD = "超市销售过期食品，联系电话13812345678，商家拒绝退款。"


@pytest.fixture
def key(org):
    return apikey_create(actor=None, name="城市App")[1]


def _post(client, key, headers=None, **over):
    data = {
        "api_key": key,
        "service_code": "market",
        "description": FOOD,
        "address_string": "黄石港区湖滨大道1号",
        "lat": "30.2",
        "long": "115.05",
        "first_name": "三",
        "last_name": "张",
        "phone": "13812345678",
    }
    data.update(over)
    return client.post("/open311/v2/requests.json", data, headers=headers or {})


def _xml(resp):
    assert resp["Content-Type"].startswith("text/xml")
    assert resp.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(resp.content)  # noqa: S314 - our own output


def test_discovery_lists_the_v2_endpoint(client):
    doc = client.get("/open311/discovery.json").json()
    ep = doc["endpoints"][0]
    assert ep["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert ep["url"].endswith("/open311/v2")
    assert set(ep["formats"]) == {"text/xml", "application/json"}
    root = _xml(client.get("/open311/discovery.xml"))
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/formats/format") is not None


def test_services_json_and_xml(client):
    rows = client.get("/open311/v2/services.json").json()
    market = next(r for r in rows if r["service_code"] == "market")
    assert set(market) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert market["metadata"] is True and market["type"] == "realtime"
    root = _xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    first = root.find("service")
    assert first.find("service_code").text and first.find("metadata").text == "true"


def test_service_definition(client):
    doc = client.get("/open311/v2/services/market.json").json()
    attr = doc["attributes"][0]
    assert doc["service_code"] == "market"
    assert attr["code"] == "urgency" and attr["datatype"] == "singlevaluelist"
    assert {v["key"] for v in attr["values"]} == {"normal", "urgent"}
    root = _xml(client.get("/open311/v2/services/market.xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key").text == "normal"
    missing = client.get("/open311/v2/services/nope.xml")
    assert missing.status_code == 404
    assert _xml(missing).find("error/code").text == "404"


def test_post_creates_ticket_and_get_hides_personal_data(client, key):
    resp = _post(client, key, **{"attribute[urgency]": "urgent"})
    assert resp.status_code == 200
    body = resp.json()
    number = body[0]["service_request_id"]
    assert set(body[0]) == {"service_request_id", "service_notice", "account_id"}
    t = Ticket.objects.get(case__number=number)
    assert t.channel == "api" and t.urgency == "urgent" and t.caller_name == "张 三"
    row = client.get(f"/open311/v2/requests/{number}.json").json()[0]
    assert row["status"] == "open" and row["service_code"] == "market"
    text = json.dumps(row, ensure_ascii=False)
    assert "13812345678" not in text and "张" not in text
    assert row["lat"] == 30.2 and row["long"] == 115.05
    root = _xml(client.get(f"/open311/v2/requests/{number}.xml"))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == number
    assert root.find("request/zipcode").text is None


def test_replayed_post_with_idempotency_key_makes_one_ticket(client, key):
    a = _post(client, key, headers={"Idempotency-Key": "abc-1"})
    b = _post(client, key, headers={"Idempotency-Key": "abc-1"})
    assert a.json() == b.json()
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    ("over", "status", "needle"),
    [
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "nope"}, 404, "service_code"),
        ({"description": ""}, 400, "description"),
        ({"description": "长" * 5000}, 400, "description"),
        ({"phone": "123"}, 400, "phone"),
        ({"lat": "abc"}, 400, "lat"),
        (
            {"lat": "", "long": "", "address_string": "", "address_id": ""},
            400,
            "address_string",
        ),
        ({"address_id": "999999"}, 400, "address_id"),
    ],
)
def test_bad_post_answers_the_spec_error_and_makes_nothing(
    client, key, over, status, needle
):
    resp = _post(client, key, **over)
    assert resp.status_code == status
    errors = resp.json()
    assert errors[0]["code"] == status and needle in errors[0]["description"]
    xml = client.post(
        "/open311/v2/requests.xml", {"api_key": "wrong", "service_code": "market"}
    )
    assert _xml(xml).find("error/code").text == "403"
    assert not Ticket.objects.exists()


def test_get_filters(client, key):
    a = _post(client, key).json()[0]["service_request_id"]
    b = _post(client, key, service_code="traffic", description="道路破损严重坑洼")
    b = b.json()[0]["service_request_id"]
    # A whistle-blower's report is never public.
    hidden = ticket_submit(
        actor=CITIZEN,
        channel="portal",
        ticket_type="report",
        service_code="environment",
        content="工厂夜间偷排污水",
        phone="13900001111",
    )
    ids = {
        r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()
    }
    assert ids == {a, b}
    assert hidden.case.number not in ids
    assert (
        client.get(f"/open311/v2/requests/{hidden.case.number}.json").status_code == 404
    )
    rows = client.get("/open311/v2/requests.json?service_code=traffic").json()
    assert [r["service_request_id"] for r in rows] == [b]
    rows = client.get(f"/open311/v2/requests.json?service_request_id={a}").json()
    assert [r["service_request_id"] for r in rows] == [a]
    assert client.get("/open311/v2/requests.json?status=closed").json() == []
    assert len(client.get("/open311/v2/requests.json?status=open").json()) == 2
    old = client.get(
        "/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z"
        "&end_date=2020-02-01T00:00:00Z"
    ).json()
    assert old == []
    bad = client.get("/open311/v2/requests.json?start_date=yesterday")
    assert bad.status_code == 400 and "start_date" in bad.json()[0]["description"]
    assert client.get("/open311/v2/requests.json?status=maybe").status_code == 400
    assert client.get("/open311/v2/requests.csv").status_code == 404


def test_apikey_command_shows_key_once_and_stores_hash(org, capsys):
    call_command("apikey", "create", "测试客户端")
    out = capsys.readouterr().out
    key = out.strip().splitlines()[-1]
    client = ApiClient.objects.get(name="测试客户端")
    assert key.startswith("o311_") and key not in client.key_hash
    call_command("apikey", "revoke", "测试客户端")
    from fazhi.domains.hotline.services.apikeys import apikey_client

    assert apikey_client(key) is None


def test_expected_datetime_follows_the_handle_clock(client, key, people):
    from fazhi.domains.hotline.services import dispatch
    from fazhi.kernel.org.models import Agency

    op = people["rx_operator"]  # the centre's dispatcher
    number = _post(client, key).json()[0]["service_request_id"]
    t = Ticket.objects.get(case__number=number)
    dispatch.ticket_dispatch(
        actor=op, ticket=t, agency=Agency.objects.get(code="420200-SCJ")
    )
    row = client.get(f"/open311/v2/requests/{number}.json").json()[0]
    assert row["expected_datetime"].endswith("23:59:59+08:00")
    assert row["agency_responsible"] == "黄石市市场监督管理局"
    assert date.fromisoformat(row["expected_datetime"][:10]) > t.received_on


def test_request_list_query_count_does_not_grow_with_rows(client, key):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/open311/v2/requests.xml").status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        _post(client, key, description=f"道路破损严重坑洼{n}号")
    few = count()
    for n in range(2, 6):
        _post(client, key, description=f"道路破损严重坑洼{n}号")
    assert count() == few
