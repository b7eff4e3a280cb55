"""Hotline fixtures: a centre dispatcher, a 权责清单 item, a ticket helper."""

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from fazhi.domains.hotline.models import Ticket
from fazhi.domains.hotline.roles import DISPATCHER
from fazhi.domains.hotline.services.intake import CITIZEN, ticket_submit
from fazhi.kernel.org.models import Agency, User
from fazhi.kernel.org.responsibility import responsibility_item_create
from fazhi.kernel.org.services import membership_grant, user_create

PHONE = "13812345678"
FOOD = "我在黄石港区某超市买到过期食品，商家拒绝退款，请市场监管部门查处。"


def at(on: date) -> Any:
    """Travel to 10:00 Beijing time on `on`."""
    return time_machine.travel(f"{on.isoformat()} 10:00 +0800", tick=False)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Lookup and submission counters live in the cache; numbers repeat
    across tests (each test's database starts again at RX-…-000001)."""
    cache.clear()


@pytest.fixture
def centre(org: Any) -> Agency:
    return Agency.objects.get(code="420200-ZWJ")


@pytest.fixture
def scj(org: Any) -> Agency:
    return Agency.objects.get(code="420200-SCJ")


@pytest.fixture
def dispatcher(centre: Agency) -> User:
    """A 12345 operator: the 话务派单员 role at the centre with city scope."""
    user = User.objects.filter(username="hotline_op").first() or user_create(
        actor=None,
        username="hotline_op",
        full_name="钱话务",
        password="Fazhi@2026demo",
        default_agency=centre,
        phone="13800138001",
    )
    membership_grant(
        actor=None, user=user, agency=centre, role=DISPATCHER, scope="city"
    )
    return user


@pytest.fixture
def food_item(scj: Agency) -> Any:
    return responsibility_item_create(
        actor=None,
        code="SCJ-CF-0099",
        name="对销售过期食品的行政处罚",
        item_type="行政处罚",
        legal_basis="《食品安全法》第一百二十四条",
        agency=scj,
        effective_from=date(2020, 1, 1),
    )


def submit(**over: Any) -> Ticket:
    data: dict[str, Any] = {
        "actor": CITIZEN,
        "channel": "portal",
        "ticket_type": "complaint",
        "service_code": "market",
        "content": FOOD,
        "phone": PHONE,
        "caller_name": "张晓三",
        "location": "黄石港区湖滨大道1号",
    }
    data.update(over)
    return ticket_submit(**data)
