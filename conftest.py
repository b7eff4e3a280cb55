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


def _reseed() -> None:
    """Data the migrations seed, put back after a transactional test's flush."""
    from fazhi.kernel.deadlines.models import CalendarDay, CalendarYear
    from fazhi.kernel.deadlines.seed import seed_builtin

    seed_builtin(CalendarYear, CalendarDay)


@pytest.fixture(autouse=True)
def _restore_seeded_data(request, django_db_blocker):
    """A transactional test ends by flushing every table, the migration-seeded
    holiday calendar included; later tests would then count every period as
    provisional. This runs after that flush (autouse fixtures tear down last)."""
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        with django_db_blocker.unblock():
            _reseed()
