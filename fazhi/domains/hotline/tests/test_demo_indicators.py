"""The demo year loads through the services and feeds the KPIs."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from fazhi.domains.hotline import indicators
from fazhi.domains.hotline.demo import load_hotline_demo
from fazhi.domains.hotline.models import Ticket
from fazhi.domains.hotline.services import dispatch, feedback, handling
from fazhi.kernel.indicators.registry import get_spec
from fazhi.kernel.org.models import Agency

from .conftest import at, submit

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_states_spread(org, people):
    assert load_hotline_demo(n=40) == 40
    assert load_hotline_demo(n=40) == 0
    states = Counter(Ticket.objects.values_list("case__state", flat=True))
    assert states["closed"] > 10
    assert Ticket.objects.filter(rating__isnull=False).exists()


def test_kpis_count_on_time_satisfaction_redo_direct(people, dispatcher, scj):
    city = Agency.objects.get(code="420200")
    h = people["scj_handler"]
    with at(date(2026, 9, 28)):
        a = submit()
        dispatch.ticket_dispatch(actor=dispatcher, ticket=a, agency=scj)
        dispatch.ticket_sign(actor=h, ticket=a)
        handling.ticket_reply(actor=h, ticket=a, text="已处理")
        feedback.ticket_visit(actor=dispatcher, ticket=a, grade=5)
        b = submit(
            phone="13900003333",
            ticket_type="consult",
            service_code="policy-consult",
            content="请问公积金提取需要什么材料",
        )
        dispatch.ticket_answer_direct(actor=dispatcher, ticket=b, answer="见窗口")
        c = submit(phone="13900004444", content="小区门口垃圾堆放多日无人清运")
        dispatch.ticket_dispatch(actor=dispatcher, ticket=c, agency=scj)
    # c is signed late (due 09-29) and answered after its 15 working days.
    with at(date(2026, 9, 30)):
        dispatch.ticket_sign(actor=h, ticket=c)
    with at(date(2026, 10, 30)):
        handling.ticket_reply(actor=h, ticket=c, text="已清运")
        feedback.ticket_redo(actor=dispatcher, ticket=c, reason="仍有垃圾")
    value = get_spec(indicators.SIGN_ON_TIME).compute
    assert value(city, "2026") == Decimal("50.00")
    assert get_spec(indicators.HANDLE_ON_TIME).compute(city, "2026") == Decimal(
        "100.00"
    )  # c was sent back: its on-time flag waits for the new reply
    assert get_spec(indicators.SATISFACTION).compute(city, "2026") == Decimal("100.00")
    assert get_spec(indicators.REDO).compute(city, "2026") == Decimal("50.00")
    assert get_spec(indicators.DIRECT).compute(city, "2026") == Decimal("33.33")
    assert get_spec(indicators.DIRECT).compute(city, "2025") is None
