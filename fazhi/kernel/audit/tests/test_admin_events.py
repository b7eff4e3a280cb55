"""Logins, failed logins, logouts, exports and views of personal data."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from fazhi.demo.huangshi import DEMO_PASSWORD
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.audit.services import (
    audit_export,
    audit_login_failed,
    audit_logout,
    audit_personal_data_view,
)


def _last(**filters) -> AuditEvent:
    event = AuditEvent.objects.filter(**filters).order_by("-id").first()
    assert event is not None
    return event


def test_login_is_recorded_on_the_users_chain_with_ip(client, people):
    user = people["scj_handler"]
    response = client.post(
        reverse("web:login"),
        {"username": "scj_handler", "password": DEMO_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="pytest-browser",
    )
    assert response.status_code == 302
    event = _last(action="auth.login")
    assert (event.record_type, event.record_id) == ("user", str(user.pk))
    assert (event.actor_id, event.actor_label) == (user.pk, "scj_handler")
    assert event.payload == {"ip": "203.0.113.7", "user_agent": "pytest-browser"}


def test_failed_login_records_the_username_and_never_the_password(client, people):
    response = client.post(
        reverse("web:login"),
        {"username": "scj_handler", "password": "wrong-Secret-42"},
        REMOTE_ADDR="198.51.100.9",
    )
    assert response.status_code == 200
    event = _last(action="auth.login_failed")
    assert (event.record_type, event.record_id) == (
        "user",
        str(people["scj_handler"].pk),
    )
    assert event.actor_id is None and event.actor_label == "anonymous"
    assert event.payload["username"] == "scj_handler"
    assert event.payload["ip"] == "198.51.100.9"
    assert "wrong-Secret-42" not in json.dumps(event.payload)
    assert "password" not in json.dumps(event.payload)


def test_failed_login_with_an_unknown_username_gets_its_own_chain(client, db):
    client.post(reverse("web:login"), {"username": "nobody", "password": "x"})
    event = _last(action="auth.login_failed")
    assert (event.record_type, event.record_id) == ("login", "nobody")


def test_failed_login_without_username_or_request(db):
    event = audit_login_failed(username="", request=None)
    assert (event.record_type, event.record_id) == ("login", "(empty)")
    assert event.payload == {"username": "", "ip": None, "user_agent": ""}


def test_logout_is_recorded_and_anonymous_logout_is_not(client, people):
    client.force_login(people["fzb"])
    client.post(reverse("web:logout"))
    event = _last(action="auth.logout")
    assert event.actor_label == "fzb"
    request = RequestFactory().get("/")
    assert audit_logout(actor=None, request=request) is None


def test_export_is_recorded_with_filters_and_row_count(people):
    event = audit_export(
        actor=people["fzb"],
        what="hotline.tickets",
        filters={"state": "open", "since": "2026-01-01"},
        rows=120,
    )
    assert (event.record_type, event.record_id, event.action) == (
        "export",
        "hotline.tickets",
        "data.export",
    )
    assert event.payload == {
        "what": "hotline.tickets",
        "rows": 120,
        "filters": {"state": "open", "since": "2026-01-01"},
    }


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"rows": -1}, "rows"), ({"rows": True}, "rows"), ({"filters": []}, "filters")],
)
def test_export_with_bad_arguments_names_the_field(people, kwargs, field):
    args = {"actor": people["fzb"], "what": "x", "filters": {}, "rows": 1, **kwargs}
    with pytest.raises(ValidationError) as info:
        audit_export(**args)
    assert field in info.value.message_dict


def test_personal_data_view_goes_on_the_viewed_records_chain(people):
    event = audit_personal_data_view(
        actor=people["scj_handler"],
        record_type="case",
        record_id=42,
        fields=["phone", "id_number", "phone"],
    )
    assert (event.record_type, event.record_id) == ("case", "42")
    assert event.payload == {"fields": ["id_number", "phone"]}


@pytest.mark.parametrize("fields", [[], "phone", [""], [3]])
def test_personal_data_view_needs_field_names(people, fields):
    with pytest.raises(ValidationError) as info:
        audit_personal_data_view(
            actor=people["fzb"], record_type="case", record_id=1, fields=fields
        )
    assert "fields" in info.value.message_dict
