"""The REST API: scope, masking, idempotent POST, 422 naming fields."""

import pytest
from django.core.cache import cache

from fazhi.domains.hotline.models import Ticket

from .conftest import FOOD, PHONE, submit

pytestmark = pytest.mark.django_db
BASE = "/api/hotline"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_public_post_is_idempotent_and_tracks_masked(client, org):
    body = {"service_code": "market", "content": FOOD, "phone": PHONE}
    headers = {"Idempotency-Key": "k-1"}
    a = client.post(
        f"{BASE}/public/tickets", body, content_type="application/json", headers=headers
    )
    b = client.post(
        f"{BASE}/public/tickets", body, content_type="application/json", headers=headers
    )
    assert a.status_code == 201 and a.json() == b.json()
    assert Ticket.objects.count() == 1
    number = a.json()["number"]
    r = client.get(f"{BASE}/public/track", {"number": number, "phone_tail": "5678"})
    assert r.status_code == 200 and r.json()["state"] == "received"
    r = client.get(f"{BASE}/public/track", {"number": number, "phone_tail": "1111"})
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"service_code": "market", "content": "", "phone": PHONE}, "content"),
        ({"service_code": "market", "content": FOOD, "phone": "1"}, "phone"),
        ({"service_code": "zzz", "content": FOOD, "phone": PHONE}, "service_code"),
        ({"service_code": "market", "content": "长" * 3000, "phone": PHONE}, "content"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, org, body, field):
    r = client.post(f"{BASE}/public/tickets", body, content_type="application/json")
    assert r.status_code == 422
    assert field in r.json()["detail"]
    assert not Ticket.objects.exists()


def test_staff_list_scope_and_actions(client, people, dispatcher):
    t = submit()
    client.force_login(people["dy_handler"])
    assert client.get(f"{BASE}/tickets/{t.case.number}").status_code == 404
    assert client.get(f"{BASE}/tickets").json()["count"] == 0
    client.force_login(dispatcher)
    rows = client.get(f"{BASE}/tickets", {"view": "centre"}).json()
    assert rows["count"] == 1
    r = client.post(
        f"{BASE}/tickets/{t.case.number}/actions/dispatch",
        {"data": {"agency": "nope"}},
        content_type="application/json",
    )
    assert r.status_code == 422 and "agency" in r.json()["detail"]
    r = client.post(
        f"{BASE}/tickets/{t.case.number}/actions/dispatch",
        {"data": {"agency": "420200-SCJ"}},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["state"] == "dispatched"
    client.force_login(people["scj_handler"])
    r = client.post(
        f"{BASE}/tickets/{t.case.number}/actions/visit",
        {"data": {}},
        content_type="application/json",
    )
    assert r.status_code == 409  # a refused step, never a 500
    r = client.post(
        f"{BASE}/tickets/{t.case.number}/actions/sign",
        {"data": {}},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["state"] == "handling"
