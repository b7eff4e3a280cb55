"""Fixtures for the page tests: cases across the demo tree, opened by the engine."""

import pytest
from django.test import Client

from fazhi.demo.huangshi import DEMO_PASSWORD
from fazhi.web.countdown import forget_calendar
from fazhi.web.testing import ensure_case_type, open_case


@pytest.fixture(autouse=True)
def _fresh_calendar():
    # Badges cache the working-day calendar for a few seconds; tests start cold.
    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture
def case_type():
    return ensure_case_type()


@pytest.fixture
def cases(org, people, case_type):
    """Three cases: the city SCJ, 大冶市 itself and 金湖街道 (under 大冶市)."""
    fzb = people["fzb"]
    return {
        "scj": open_case(fzb, org["420200-SCJ"], "市场监管投诉：过期食品"),
        "dy": open_case(fzb, org["420281"], "大冶市道路破损"),
        "jinhu": open_case(fzb, org["420281002"], "金湖街道噪音扰民"),
    }


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


@pytest.fixture
def login_as(people):
    return lambda username: client_for(people[username])


@pytest.fixture
def demo_password():
    return DEMO_PASSWORD
