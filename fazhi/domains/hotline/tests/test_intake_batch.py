"""tickets_import: an operator's batch gets what one-by-one intake gives."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.domains.hotline.models import Ticket
from fazhi.domains.hotline.services.intake import CITIZEN
from fazhi.domains.hotline.services.intake_batch import tickets_import
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.audit.verify import verify

from .conftest import FOOD, PHONE


def _row(**over):
    row = {"ticket_type": "complaint", "content": FOOD, "phone": PHONE}
    row.update(over)
    return row


def test_batch_numbers_suggests_flags_and_audits_each_ticket(dispatcher, food_item):
    rows = [
        _row(idempotency_key="sheet-1"),
        _row(content=FOOD + "请尽快处理"),  # same caller, same matter
        _row(idempotency_key="sheet-1"),  # the same row twice
        _row(content="小区路灯坏了一个月没人修", phone="13900001111"),
    ]
    out = tickets_import(actor=dispatcher, rows=rows)
    assert [t.pk for t in out][2] == out[0].pk
    assert Ticket.objects.count() == 3
    numbers = [int(t.case.number[-6:]) for t in (out[0], out[1], out[3])]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    assert out[1].possible_duplicate_of_id == out[0].pk
    assert out[0].suggestion["agencies"][0]["agency"] == "黄石市市场监督管理局"
    assert all(t.channel == "phone" for t in out)
    for t in (out[0], out[1], out[3]):
        actions = AuditEvent.objects.filter(
            record_type="case", record_id=str(t.pk)
        ).values_list("action", flat=True)
        assert sorted(actions) == ["case.open", "hotline.submit"]
    assert verify().ok
    # Sent again (a retry after a timeout): the keyed row makes nothing new.
    again = tickets_import(actor=dispatcher, rows=[_row(idempotency_key="sheet-1")])
    assert again[0].pk == out[0].pk and Ticket.objects.count() == 3


def test_a_bad_row_fails_the_batch_and_names_its_row(dispatcher):
    rows = [_row(), _row(phone="12"), _row()]
    with pytest.raises(ValidationError) as exc:
        tickets_import(actor=dispatcher, rows=rows)
    assert any(k.startswith("row 2") for k in exc.value.message_dict)
    assert Ticket.objects.count() == 0


def test_only_operators_and_api_clients_import(org):
    with pytest.raises(PermissionDenied):
        tickets_import(actor=CITIZEN, rows=[_row()])
    with pytest.raises(PermissionDenied):
        tickets_import(actor=CITIZEN, rows=[_row()], channel="portal")
    with pytest.raises(PermissionDenied):
        tickets_import(actor=CITIZEN, rows=[_row()], channel="api")
