"""The public portal: open to everyone, cheap to serve, honest about what is
not there yet."""

import pytest

from fazhi.portal.views import ENTRIES, Entry

pytestmark = pytest.mark.django_db


def test_landing_is_public_and_lists_the_four_services(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    for title in ("12345 诉求", "政府信息公开申请", "法规查询", "进度查询"):
        assert title in body
    assert "网站标识码" in body
    assert 'name="viewport"' in body


def test_landing_does_not_touch_the_database(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert client.get("/").status_code == 200


def test_service_without_a_route_is_marked_coming_soon(client):
    body = client.get("/").content.decode()
    unlinked = [e for e in ENTRIES if e.url() is None]
    assert body.count("即将开放") == len(unlinked)


def test_entry_links_the_first_route_that_exists():
    e = Entry("x", "x", "x", "doc", ("no:such",), ("/nowhere/", "/staff/login/"))
    assert e.url() == "/staff/login/"
    assert Entry("y", "y", "y", "doc", (), ("/nowhere/",)).url() is None


def test_staff_pages_are_not_reachable_anonymously_from_the_portal(client):
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]
