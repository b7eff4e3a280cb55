"""The staff calendar pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines.models import CalendarYear

pytestmark = pytest.mark.django_db

INDEX = "/staff/calendar/"


def test_anonymous_is_sent_to_login(client):
    r = client.get(INDEX)
    assert r.status_code == 302 and "login" in r["Location"]


@pytest.mark.parametrize("who", ["outsider", "sysadmin", "auditadmin"])
def test_without_case_view_or_calendar_manage_pages_are_404(client, people, who):
    client.force_login(people[who])
    assert client.get(INDEX).status_code == 404
    assert client.get(f"{INDEX}2026/").status_code == 404
    r = client.post(INDEX, {"file": SimpleUploadedFile("a.json", b"{}")})
    assert r.status_code == 404


def test_case_handlers_read_the_calendar_but_cannot_load(client, people):
    client.force_login(people["scj_handler"])
    r = client.get(INDEX)
    assert r.status_code == 200 and "上传并载入" not in r.content.decode()
    assert client.get(f"{INDEX}2026/").status_code == 200
    r = client.post(INDEX, {"file": SimpleUploadedFile("a.json", b"{}")})
    assert r.status_code == 404


def test_index_lists_years_with_counts(client, people):
    client.force_login(people["fzb"])
    r = client.get(INDEX)
    assert r.status_code == 200
    body = r.content.decode()
    assert (
        "工作日历" in body and "上传并载入" in body and "/staff/calendar/2026/" in body
    )


def test_upload_loads_the_year_and_redirects_to_it(client, people, year_2027_json):
    client.force_login(people["fzb"])
    r = client.post(INDEX, {"file": SimpleUploadedFile("2027.json", year_2027_json)})
    assert r.status_code == 302 and r["Location"] == "/staff/calendar/2027/"
    assert CalendarYear.objects.filter(year=2027).exists()
    event = AuditEvent.objects.get(
        record_type="calendar", record_id="2027", action="calendar.load"
    )
    assert event.actor_id == people["fzb"].pk
    page = client.get(r["Location"]).content.decode()
    assert "2027-02-20" in page and "调休上班" in page and "已载入 2027 年日历" in page


def test_upload_errors_are_shown_on_the_form(client, people):
    client.force_login(people["fzb"])
    r = client.post(INDEX, {"file": SimpleUploadedFile("2027.json", b"{")})
    assert r.status_code == 200 and "JSON 格式错误" in r.content.decode()
    r = client.post(
        INDEX,
        {
            "file": SimpleUploadedFile(
                "2027.json", b'{"year": 2027, "source": "x", "holidays": []}'
            )
        },
    )
    assert r.status_code == 200 and "节假日列表为空" in r.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_year_page_of_an_unloaded_year_shows_the_provisional_holidays(client, people):
    client.force_login(people["fzb"])
    body = client.get(f"{INDEX}2028/").content.decode()
    assert "暂定" in body and "春节" in body
    assert client.get(f"{INDEX}1800/").status_code == 404
