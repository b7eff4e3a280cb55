"""Which date fixes the receipt (条例 art. 31) decides which dates intake asks
for: 签收日期 only for a registered letter, 确认日期 only for an ordinary
letter, the internet or fax; the server refuses the others."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.domains.disclosure import services
from fazhi.domains.disclosure.models import Application

from .conftest import at, person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("channel", ["in_person", "online", "ordinary_mail", "fax"])
def test_a_signing_date_is_refused_where_signing_fixes_nothing(people, scj, channel):
    with at(date(2026, 3, 3)), pytest.raises(ValidationError) as exc:
        services.application_submit(
            actor=people["scj_handler"],
            agency=scj,
            channel=channel,
            content="企业登记信息",
            submitted_on=date(2026, 3, 2),
            signed_on=date(2026, 3, 3),
            **person(),
        )
    assert "signed_on" in exc.value.message_dict
    assert "第三十一条" in exc.value.message_dict["signed_on"][0]
    assert not Application.objects.exists()


@pytest.mark.parametrize("channel", ["in_person", "registered_mail"])
def test_a_confirmation_date_is_refused_where_nobody_confirms(people, scj, channel):
    with at(date(2026, 3, 3)), pytest.raises(ValidationError) as exc:
        services.application_submit(
            actor=people["scj_handler"],
            agency=scj,
            channel=channel,
            content="企业登记信息",
            submitted_on=date(2026, 3, 2),
            confirmed_on=date(2026, 3, 3),
            **person(),
        )
    assert "confirmed_on" in exc.value.message_dict


def test_receiving_an_online_request_takes_no_signing_date(people, scj):
    with at(date(2026, 3, 2)):
        app = services.application_submit(
            actor=services.APPLICANT,
            agency=scj,
            channel="online",
            content="企业登记信息",
            **person(),
        )
    with at(date(2026, 3, 3)), pytest.raises(ValidationError) as exc:
        services.application_receive(
            actor=people["scj_handler"], application=app, signed_on=date(2026, 3, 3)
        )
    assert "signed_on" in exc.value.message_dict
    app.refresh_from_db()
    assert app.signed_on is None and app.case.state == "submitted"


def test_the_api_refuses_a_signing_date_for_an_online_request(client, people):
    client.force_login(people["scj_handler"])
    data = {
        "agency": "420200-SCJ",
        "channel": "online",
        "content": "企业登记信息",
        "submitted_on": "2026-03-02",
        "signed_on": "2026-03-02",
        **person(),
    }
    with at(date(2026, 3, 2)):
        r = client.post(
            "/api/disclosure/applications", data, content_type="application/json"
        )
    assert r.status_code in (400, 422), r.content
    assert "signed_on" in r.content.decode()
    assert not Application.objects.exists()


def _register(client, **over):
    data = {
        "agency": "420200-SCJ",
        "content": "企业登记信息",
        "submitted_on": "2026-03-02",
        **person(),
    }
    data.update(over)
    return client.post(reverse("disclosure:register"), data)


def test_register_page_hides_the_dates_a_channel_does_not_use(client, people):
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 2)):
        page = client.get(reverse("disclosure:register")).content.decode()
    rule = '[name="{f}"]) {{ display: none; }}'
    hide = 'option[value="{c}"]:checked) .field:has(' + rule
    assert hide.format(c="online", f="signed_on") in page
    assert hide.format(c="in_person", f="signed_on") in page
    assert hide.format(c="in_person", f="confirmed_on") in page
    assert hide.format(c="registered_mail", f="confirmed_on") in page
    assert hide.format(c="registered_mail", f="signed_on") not in page
    assert hide.format(c="online", f="confirmed_on") not in page


def test_a_hidden_date_typed_before_switching_channel_is_dropped(client, people):
    """Registered mail chosen, 签收日期 typed, then 互联网 chosen: the field
    went out of sight, so it is not held against the request."""
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 3)):
        r = _register(client, channel="online", signed_on="2026-03-03")
    assert r.status_code == 302, r.content.decode()[:3000]
    app = Application.objects.get()
    assert app.signed_on is None and app.case.state == "submitted"
    with at(date(2026, 3, 3)):
        r = _register(
            client,
            channel="registered_mail",
            signed_on="2026-03-03",
            content="另一项信息",
        )
    assert r.status_code == 302
    letter = Application.objects.get(content="另一项信息")
    assert letter.signed_on == date(2026, 3, 3)
    assert letter.received_on == date(2026, 3, 3)


def test_receive_step_asks_only_for_the_channels_date(client, people):
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 2)):
        _register(client, channel="online")
        _register(client, channel="registered_mail", content="另一项信息")
    online = Application.objects.get(channel="online")
    mail = Application.objects.get(channel="registered_mail")
    with at(date(2026, 3, 3)):
        client.force_login(people["scj_handler"])  # a day later: a new session
        r = client.get(reverse("disclosure:detail", args=[online.case.number]))
        assert r.status_code == 200
        page = r.content.decode()
        assert 'name="receive-confirmed_on"' in page
        assert 'name="receive-signed_on"' not in page
        page = client.get(
            reverse("disclosure:detail", args=[mail.case.number])
        ).content.decode()
        assert 'name="receive-signed_on"' in page
        assert 'name="receive-confirmed_on"' not in page
        # A signing date posted for the online request is not taken.
        r = client.post(
            reverse("disclosure:act", args=[online.case.number, "receive"]),
            {"receive-signed_on": "2026-03-03"},
        )
        assert r.status_code == 400
        online.refresh_from_db()
        assert online.signed_on is None and online.received_on is None
        r = client.post(
            reverse("disclosure:act", args=[online.case.number, "receive"]),
            {"receive-confirmed_on": "2026-03-03"},
        )
        assert r.status_code == 302
    online.refresh_from_db()
    assert online.received_on == date(2026, 3, 3)
