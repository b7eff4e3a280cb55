"""Permission scope for every role, positive and negative."""

import pytest
from django.http import Http404

from fazhi.kernel.org import roles
from fazhi.kernel.org.models import Agency, Membership
from fazhi.kernel.org.policy import (
    agency_q,
    can,
    forget_grants,
    get_scoped_or_404,
    grants,
    has_perm_anywhere,
    visible_agencies,
)

ALL_PERMS = sorted({p for r in roles.ROLES.values() for p in r.permissions})


def test_city_scope_sees_every_agency(people, org):
    fzb = people["fzb"]
    assert visible_agencies(fzb, roles.CASE_VIEW).count() == Agency.objects.count()
    assert all(can(fzb, roles.CASE_VIEW, a) for a in org.values())


def test_subtree_scope_covers_county_and_its_townships_only(people, org):
    dy = people["dy_handler"]
    assert can(dy, roles.CASE_HANDLE, org["420281"])
    assert can(dy, roles.CASE_HANDLE, org["420281002"])  # 金湖街道
    assert can(dy, roles.CASE_HANDLE, org["420281-SFJ"])
    assert not can(dy, roles.CASE_HANDLE, org["420222"])  # 阳新县
    assert not can(dy, roles.CASE_HANDLE, org["420200"])  # the city above
    assert not can(dy, roles.CASE_SUPERVISE, org["420281"])  # not in the role


def test_own_scope_is_the_agency_alone(people, org):
    clerk = people["jinhu_clerk"]
    assert can(clerk, roles.CASE_VIEW, org["420281002"])
    assert not can(clerk, roles.CASE_VIEW, org["420281"])
    assert not can(clerk, roles.CASE_VIEW, org["420281001"])
    assert not can(clerk, roles.PERSONAL_DATA_VIEW, org["420281002"])


def test_outsider_and_anonymous_hold_nothing(people, org):
    from django.contrib.auth.models import AnonymousUser

    for user in (people["outsider"], AnonymousUser(), None):
        for perm in ALL_PERMS:
            assert not has_perm_anywhere(user, perm)
            assert not can(user, perm, org["420200"])


def test_system_administrator_reads_no_business_data_or_audit(people, org):
    sysadmin = people["sysadmin"]
    assert has_perm_anywhere(sysadmin, roles.USERS_MANAGE)
    for perm in (
        roles.CASE_VIEW,
        roles.RESPONSIBILITY_VIEW,
        roles.AUDIT_READ,
        roles.PERSONAL_DATA_VIEW,
        roles.INDICATOR_VIEW,
    ):
        assert not has_perm_anywhere(sysadmin, perm)


def test_audit_administrator_reads_the_record_only(people):
    auditor = people["auditadmin"]
    held = {p for p in ALL_PERMS if has_perm_anywhere(auditor, p)}
    assert held == {roles.AUDIT_READ}


def test_security_administrator_grants_but_reads_nothing(people):
    sec = people["secadmin"]
    held = {p for p in ALL_PERMS if has_perm_anywhere(sec, p)}
    assert held == {roles.ROLES_GRANT, roles.ACCOUNTS_UNLOCK}


def test_superuser_flag_confers_nothing(people, org):
    outsider = people["outsider"]
    outsider.is_superuser = True
    outsider.save()
    forget_grants(outsider)
    assert not can(outsider, roles.CASE_VIEW, org["420200"])


@pytest.mark.parametrize(
    "username",
    [
        "fzb",
        "sfj_leader",
        "scj_handler",
        "dy_handler",
        "dy_sfj",
        "jinhu_clerk",
        "qz_editor",
        "outsider",
        "sysadmin",
        "secadmin",
        "auditadmin",
    ],
)
def test_filter_and_check_agree_for_every_persona(people, org, username):
    user = people[username]
    for perm in ALL_PERMS:
        visible = set(visible_agencies(user, perm).values_list("code", flat=True))
        allowed = {code for code, a in org.items() if can(user, perm, a)}
        assert visible == allowed, perm


def test_inactive_agency_grants_nothing(people, org):
    Agency.objects.filter(pk=org["420281002"].pk).update(is_active=False)
    clerk = people["jinhu_clerk"]
    forget_grants(clerk)
    assert grants(clerk, roles.CASE_VIEW) == []


def test_inactive_user_holds_nothing(people, org):
    dy = people["dy_handler"]
    dy.is_active = False
    assert not can(dy, roles.CASE_VIEW, org["420281"])


def test_scoped_get_answers_404_for_missing_and_out_of_scope_alike(people, org):
    dy = people["dy_handler"]
    qs = Agency.objects.all()
    assert get_scoped_or_404(dy, roles.CASE_VIEW, qs, field="pk", code="420281002")
    with pytest.raises(Http404):
        get_scoped_or_404(dy, roles.CASE_VIEW, qs, field="pk", code="420222")
    with pytest.raises(Http404):
        get_scoped_or_404(dy, roles.CASE_VIEW, qs, field="pk", code="no-such-agency")


def test_related_field_filter_follows_the_tree(people, org):
    dy = people["dy_handler"]
    ms = Membership.objects.filter(agency_q(dy, roles.CASE_VIEW, field="agency"))
    assert {m.agency.code for m in ms} <= {
        a.code for a in visible_agencies(dy, roles.CASE_VIEW)
    }
    assert ms.filter(agency__code="420281002").exists()  # the township clerk's
    assert not ms.filter(agency__code="420200-SFJ").exists()
