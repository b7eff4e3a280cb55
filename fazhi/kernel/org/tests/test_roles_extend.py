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
