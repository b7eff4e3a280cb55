"""Agency, account and role writes: rules, errors and their audit events."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.org.models import Agency, Membership
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.services import (
    agency_create,
    membership_grant,
    membership_revoke,
    user_create,
)


def test_agency_paths_form_a_tree(org):
    city = org["420200"]
    assert city.depth == 0
    county = org["420281"]
    town = org["420281002"]
    assert county.path.startswith(city.path) and town.path.startswith(county.path)
    assert town.depth == 2


def test_sibling_paths_are_unique_and_ordered(people, org):
    a = agency_create(
        actor=people["sysadmin"],
        code="X1",
        name="新街道一",
        level="township",
        parent=org["420205"],
    )
    b = agency_create(
        actor=people["sysadmin"],
        code="X2",
        name="新街道二",
        level="township",
        parent=org["420205"],
    )
    assert a.path < b.path and a.path[:-5] == b.path[:-5]
    assert AuditEvent.objects.filter(
        action="agency.create", record_id=str(b.pk)
    ).exists()


def test_agency_create_rejects_duplicates_and_bad_level_by_field(people, org):
    with pytest.raises(ValidationError) as exc:
        agency_create(
            actor=people["sysadmin"],
            code="420281",
            name="重复",
            level="county",
            parent=org["420200"],
        )
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        agency_create(
            actor=people["sysadmin"],
            code="Y",
            name="某",
            level="planet",
            parent=org["420200"],
        )
    assert "level" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        agency_create(
            actor=people["sysadmin"],
            code="Y",
            name=" ",
            level="county",
            parent=org["420200"],
        )
    assert "name" in exc.value.message_dict


def test_only_the_system_administrator_creates_agencies(people, org):
    for username in ("fzb", "secadmin", "auditadmin", "outsider"):
        with pytest.raises(PermissionDenied):
            agency_create(
                actor=people[username],
                code="Z",
                name="某",
                level="township",
                parent=org["420205"],
            )
    assert not Agency.objects.filter(code="Z").exists()


def test_user_create_enforces_password_complexity_naming_the_field(people):
    with pytest.raises(ValidationError) as exc:
        user_create(
            actor=people["sysadmin"],
            username="weak",
            full_name="弱密码",
            password="abcdefghij",
        )
    assert "password" in exc.value.message_dict
    user = user_create(
        actor=people["sysadmin"],
        username="strong",
        full_name="强密码",
        password="Xk9#mq2!Lp7z",
    )
    assert user.check_password("Xk9#mq2!Lp7z")
    assert user.password.startswith("argon2")


def test_user_create_refuses_duplicates_and_outsiders(people):
    with pytest.raises(ValidationError):
        user_create(
            actor=people["sysadmin"],
            username="fzb",
            full_name="重复",
            password="Xk9#mq2!Lp7z",
        )
    with pytest.raises(PermissionDenied):
        user_create(
            actor=people["fzb"], username="n", full_name="n", password="Xk9#mq2!Lp7z"
        )


@pytest.mark.parametrize(
    "admin_role", ["system_admin", "security_admin", "audit_admin"]
)
def test_separated_administrators_hold_no_second_role(people, org, admin_role):
    sec = people["secadmin"]
    target = people["outsider"]
    membership_grant(actor=sec, user=target, agency=org["420200"], role=admin_role)
    for other in (
        "handler",
        "audit_admin" if admin_role != "audit_admin" else "system_admin",
    ):
        with pytest.raises(ValidationError):
            membership_grant(actor=sec, user=target, agency=org["420200"], role=other)


def test_business_user_cannot_become_an_administrator(people, org):
    with pytest.raises(ValidationError):
        membership_grant(
            actor=people["secadmin"],
            user=people["dy_handler"],
            agency=org["420200"],
            role="audit_admin",
        )


def test_only_the_security_administrator_grants_roles(people, org):
    for username in ("sysadmin", "auditadmin", "fzb"):
        with pytest.raises(PermissionDenied):
            membership_grant(
                actor=people[username],
                user=people["outsider"],
                agency=org["420200"],
                role="observer",
            )


def test_grant_and_revoke_take_effect_and_are_audited(people, org):
    sec, target = people["secadmin"], people["outsider"]
    m = membership_grant(
        actor=sec, user=target, agency=org["420222"], role="observer", scope="subtree"
    )
    assert can(target, "case.view", org["420222100"])
    m2 = membership_grant(
        actor=sec, user=target, agency=org["420222"], role="observer", scope="own"
    )
    assert m2.pk == m.pk and m2.scope == "own"
    membership_revoke(actor=sec, membership=m2)
    assert not can(target, "case.view", org["420222"])
    actions = list(
        AuditEvent.objects.filter(
            record_type="user", record_id=str(target.pk)
        ).values_list("action", flat=True)
    )
    assert actions[-3:] == ["membership.grant", "membership.grant", "membership.revoke"]


def test_grant_rejects_unknown_role_and_scope(people, org):
    sec = people["secadmin"]
    with pytest.raises(ValidationError) as exc:
        membership_grant(
            actor=sec, user=people["outsider"], agency=org["420200"], role="emperor"
        )
    assert "role" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        membership_grant(
            actor=sec,
            user=people["outsider"],
            agency=org["420200"],
            role="observer",
            scope="galaxy",
        )
    assert "scope" in exc.value.message_dict


def test_revoke_needs_the_security_administrator(people, org):
    m = Membership.objects.get(user=people["jinhu_clerk"])
    with pytest.raises(PermissionDenied):
        membership_revoke(actor=people["sysadmin"], membership=m)


def test_city_wide_scope_only_for_the_city_and_its_departments(people, org):
    sec, target = people["secadmin"], people["outsider"]
    for code in ("420281002", "420281", "420281-SFJ"):
        with pytest.raises(ValidationError) as exc:
            membership_grant(
                actor=sec, user=target, agency=org[code], role="handler", scope="city"
            )
        assert "scope" in exc.value.message_dict
    membership_grant(
        actor=sec, user=target, agency=org["420200-SFJ"], role="observer", scope="city"
    )
    membership_grant(
        actor=sec, user=target, agency=org["420200"], role="handler", scope="city"
    )


def test_administrators_cannot_revoke_their_own_role(people):
    sec = people["secadmin"]
    own = Membership.objects.get(user=sec)
    with pytest.raises(ValidationError):
        membership_revoke(actor=sec, membership=own)
    assert Membership.objects.filter(pk=own.pk).exists()


def test_the_last_security_administrator_stays(people, org):
    sec = people["secadmin"]
    second = user_create(
        actor=people["sysadmin"],
        username="sec2",
        full_name="安全二",
        password="Xk9#mq2!Lp7z",
    )
    m2 = membership_grant(
        actor=sec,
        user=second,
        agency=org["420200"],
        role="security_admin",
        scope="city",
    )
    # sec2 revokes the first; then nobody may revoke sec2, the last one.
    membership_revoke(actor=second, membership=Membership.objects.get(user=sec))
    with pytest.raises(ValidationError) as exc:
        membership_revoke(actor=None, membership=m2)
    assert "最后一名" in exc.value.message_dict["role"][0]


def test_policy_refuses_a_missing_agency(people):
    assert not can(people["fzb"], "case.view", None)
