"""Supervision: dispatch tells the agency; the sweep turns clocks red and
sends 督办提醒 to the agency's handlers."""

from datetime import date

import pytest

from fazhi.domains.hotline.services import dispatch
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.notices.models import Notice
from fazhi.kernel.workflow.management.commands.sweep import run_sweep

from .conftest import at, submit

pytestmark = pytest.mark.django_db


def test_dispatch_notice_and_overdue_sign_for_alert(people, dispatcher, scj):
    handler = people["scj_handler"]
    with at(date(2026, 9, 28)):
        t = submit()
        dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj)
    inbox = Notice.objects.filter(recipient=handler, case=t.case)
    assert inbox.count() == 1
    assert "待主办" in inbox.get().subject and "9月29日" in inbox.get().body
    with at(date(2026, 9, 30)):  # the sign-for day (09-29) has passed
        run_sweep()
    sign = Clock.objects.get(case_id=t.pk, name="sign")
    assert sign.alert == Clock.Alert.RED
    assert Notice.objects.filter(recipient=handler, case=t.case).count() == 2
    with at(date(2026, 9, 30)):
        run_sweep()  # a second sweep sends nothing twice
    assert Notice.objects.filter(recipient=handler, case=t.case).count() == 2
