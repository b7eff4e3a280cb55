"""`fazhi setup` on an empty installation."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.kernel.org.models import Agency, Membership, User
from fazhi.kernel.org.policy import has_perm_anywhere


@pytest.fixture
def empty(db):
    Membership.objects.all().delete()
    User.objects.all().delete()


def test_setup_creates_the_city_and_the_three_administrators(empty):
    out = StringIO()
    call_command(
        "setup", "--city-code", "420200", "--city-name", "黄石市人民政府", stdout=out
    )
    text = out.getvalue()
    assert "初始密码只显示这一次" in text
    admins = {m.role: m.user for m in Membership.objects.select_related("user")}
    assert set(admins) == {"system_admin", "security_admin", "audit_admin"}
    for user in admins.values():
        assert user.must_change_password
        password = next(
            line.split()[1]
            for line in text.splitlines()
            if line.strip().startswith(user.username + " ")
        )
        assert user.check_password(password)
    assert has_perm_anywhere(admins["security_admin"], "roles.grant")
    assert Agency.objects.filter(parent__isnull=True).count() == 1
    again = StringIO()
    call_command(
        "setup", "--city-code", "420200", "--city-name", "黄石市人民政府", stdout=again
    )
    assert "未作改动" in again.getvalue()
    assert Membership.objects.count() == 3


@pytest.fixture
def no_agencies(empty):
    """A brand-new installation: not even the city exists yet."""
    depths = set(Agency.objects.values_list("depth", flat=True))
    for depth in sorted(depths, reverse=True):
        Agency.objects.filter(depth=depth).delete()


def test_setup_on_a_fresh_database_creates_the_root(no_agencies):
    call_command(
        "setup",
        "--city-code",
        "999900",
        "--city-name",
        "某市人民政府",
        stdout=StringIO(),
    )
    root = Agency.objects.get(parent__isnull=True)
    assert (root.code, root.level) == ("999900", "city")


def test_setup_refuses_a_bad_city_code(no_agencies):
    with pytest.raises(CommandError):
        call_command(
            "setup", "--city-code", " ", "--city-name", "某市", stdout=StringIO()
        )
