"""Domain apps add their permissions to kernel roles."""

import pytest

from fazhi.kernel.org.roles import ROLES, extend_role, permissions_of


def test_extend_role_adds_permission_idempotently():
    before = ROLES["observer"]
    try:
        extend_role("observer", {"test.read"})
        extend_role("observer", {"test.read"})
        assert "test.read" in permissions_of("observer")
        assert before.permissions < permissions_of("observer")
    finally:
        ROLES["observer"] = before


def test_separated_admins_never_get_business_permissions():
    with pytest.raises(ValueError):
        extend_role("audit_admin", {"plan.manage"})
    assert "plan.manage" in permissions_of("rule_of_law_office")


def test_register_role_adds_a_domain_role_to_the_choices():
    from fazhi.kernel.org.roles import Role, register_role, role_choices

    role = Role("test_desk", "测试岗", frozenset({"test.read"}))
    try:
        register_role(role)
        register_role(role)  # idempotent
        assert ("test_desk", "测试岗") in role_choices()
        assert permissions_of("test_desk") == {"test.read"}
        with pytest.raises(ValueError):
            register_role(Role("test_desk", "另一个岗位"))
        with pytest.raises(ValueError):
            register_role(Role("x" * 33, "太长"))
    finally:
        ROLES.pop("test_desk", None)
