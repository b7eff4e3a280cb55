"""The 12345 centre's 话务派单员: dispatches, answers, merges and closes from
the centre; never signs for or replies to an agency's ticket."""

import pytest
from django.core.exceptions import PermissionDenied

from fazhi.domains.hotline.roles import DISPATCHER
from fazhi.domains.hotline.services import dispatch, handling
from fazhi.domains.hotline.services.common import is_dispatcher
from fazhi.kernel.org.models import Membership, User
from fazhi.kernel.org.roles import CASE_HANDLE, ROLES, role_choices
from fazhi.kernel.org.services import membership_grant, user_create
from fazhi.kernel.workflow.engine import TransitionDenied

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_dispatcher_is_a_registered_role_without_case_handling():
    role = ROLES[DISPATCHER]
    assert "hotline.dispatch" in role.permissions
    assert CASE_HANDLE not in role.permissions
    assert (DISPATCHER, role.name) in role_choices()
    # Agency handlers no longer carry the centre's permission.
    assert "hotline.dispatch" not in ROLES["handler"].permissions


def test_demo_has_a_dispatcher_login(people):
    m = Membership.objects.get(user=people["rx_operator"], role=DISPATCHER)
    assert m.agency.code == "420200-ZWJ" and m.scope == "city"
    assert m.get_role_display() == "12345话务派单员"


def test_dispatcher_dispatches_but_cannot_handle(people, dispatcher, scj):
    t = submit()
    dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj)
    with pytest.raises((PermissionDenied, TransitionDenied)):
        dispatch.ticket_sign(actor=dispatcher, ticket=t)
    dispatch.ticket_sign(actor=people["scj_handler"], ticket=t)
    with pytest.raises((PermissionDenied, TransitionDenied)):
        handling.ticket_reply(actor=dispatcher, ticket=t, text="已处理")
    t.case.refresh_from_db()
    assert t.case.state == "handling"


def test_a_handler_at_the_centre_or_a_dispatcher_elsewhere_is_no_dispatcher(
    centre, scj
):
    centre_handler = user_create(
        actor=None,
        username="zwj_handler",
        full_name="窗口承办",
        password="x-Long-9pass",
    )
    membership_grant(
        actor=None, user=centre_handler, agency=centre, role="handler", scope="city"
    )
    stray = user_create(
        actor=None, username="scj_op", full_name="错授权", password="x-Long-9pass"
    )
    membership_grant(actor=None, user=stray, agency=scj, role=DISPATCHER)
    assert not is_dispatcher(centre_handler)
    assert not is_dispatcher(stray)
    t = submit()
    for user in (centre_handler, stray):
        with pytest.raises((PermissionDenied, TransitionDenied)):
            dispatch.ticket_dispatch(actor=user, ticket=t, agency=scj)


def test_dispatcher_takes_phone_calls(dispatcher):
    t = submit(actor=dispatcher, channel="phone")
    assert t.channel == "phone"
    assert User.objects.filter(pk=dispatcher.pk).exists()
