"""Root fixtures: the demo agency tree and one user per persona.

`org` is the Huangshi tree; `people` maps persona names to users:
fzb (city office, whole city), sfj_leader, scj_handler (own agency), dy_handler
(大冶市 subtree), dy_sfj, jinhu_clerk (a township clerk), qz_editor, outsider
(no role), sysadmin, secadmin, auditadmin.

The tree and the people are built once per test database (argon2 hashing of
eleven passwords is slow on purpose) and rebuilt after a transactional test
has flushed them; building is idempotent.
"""

import pytest

from fazhi.demo.huangshi import build_org, build_people
from fazhi.kernel.org.models import User


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_people(build_org())


@pytest.fixture
def org(db):
    return build_org()


@pytest.fixture
def people(org):
    build_people(org)
    return {u.username: u for u in User.objects.all()}
