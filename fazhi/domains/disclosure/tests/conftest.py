"""Disclosure fixtures: a valid applicant and a helper to file applications."""

from datetime import date
from typing import Any

import pytest
import time_machine

from fazhi.domains.disclosure import services
from fazhi.domains.disclosure.models import Application
from fazhi.kernel.org.models import Agency
from fazhi.kernel.textzh.validators import credit_check_char, id_check_char

ID_NUMBER = "420202199001011231"
PHONE = "13812345678"


def at(on: date) -> Any:
    """Travel to 10:00 Beijing time on `on` (the day statutory periods count in)."""
    return time_machine.travel(f"{on.isoformat()} 10:00 +0800", tick=False)


def credit_code(seed: str = "91420200712345678") -> str:
    first17 = seed[:17]
    return first17 + credit_check_char(first17)


def id_number(first17: str = "42020219850505001") -> str:
    return first17 + id_check_char(first17)


def person(**over: Any) -> dict[str, Any]:
    data = {
        "applicant_type": "natural",
        "applicant_name": "张晓三",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "address": "黄石市黄石港区湖滨大道1号",
    }
    data.update(over)
    return data


def company(kind: str = "commercial", **over: Any) -> dict[str, Any]:
    data = {
        "applicant_type": kind,
        "applicant_name": "黄石某某科技有限公司",
        "credit_code": credit_code(),
        "phone": "0714-6222222",
        "contact_name": "李四",
    }
    data.update(over)
    return data


@pytest.fixture
def scj(org: Any) -> Agency:
    return Agency.objects.get(code="420200-SCJ")


@pytest.fixture
def file_app(people: Any, scj: Agency):
    """File an application at the counter of 市市场监管局 (received that day)."""

    def _file(
        on: date,
        *,
        actor: Any = None,
        agency: Agency | None = None,
        content: str = "2025年度食品安全抽检结果",
        channel: str = "in_person",
        **applicant: Any,
    ) -> Application:
        with at(on):
            return services.application_submit(
                actor=actor or people["scj_handler"],
                agency=agency or scj,
                channel=channel,
                content=content,
                submitted_on=on,
                **(applicant or person()),
            )

    return _file
