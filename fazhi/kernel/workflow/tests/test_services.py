"""case_retitle: the title changes with its audit event, or nothing happens."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.kernel.audit.labels import action_label
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.workflow.engine import case_open
from fazhi.kernel.workflow.models import Case
from fazhi.kernel.workflow.services import TITLE_MAX, case_retitle

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(people, org):
    return case_open(
        actor=people["dy_handler"],
        case_type="demo",
        agency=org["420281"],
        title="路灯不亮（草案）",
        opened_on=date(2026, 3, 2),
    )


def _retitles(case):
    return AuditEvent.objects.filter(
        record_type="case", record_id=str(case.pk), action="case.retitle"
    )


def test_retitle_changes_the_title_and_records_it(case, people):
    before = case.updated_at
    result = case_retitle(
        case=case, title="  路灯不亮  ", actor=people["dy_handler"], reason="公布"
    )
    stored = Case.objects.get(pk=case.pk)
    assert stored.title == result.title == case.title == "路灯不亮"
    assert stored.updated_at > before and case.updated_at == stored.updated_at
    event = _retitles(case).get()
    assert event.actor_id == people["dy_handler"].pk
    assert event.payload == {
        "previous": "路灯不亮（草案）",
        "title": "路灯不亮",
        "reason": "公布",
        "note": "公布：路灯不亮（草案） → 路灯不亮",
    }
    assert action_label("case.retitle") == "修改事由"


def test_retitle_without_reason_notes_the_change_only(case, people):
    case_retitle(case=case, title="路灯坏了", actor=people["dy_handler"], reason="")
    assert _retitles(case).get().payload["note"] == "路灯不亮（草案） → 路灯坏了"


def test_unchanged_title_writes_nothing(case, people):
    before = Case.objects.get(pk=case.pk).updated_at
    case_retitle(
        case=case, title="路灯不亮（草案） ", actor=people["dy_handler"], reason="x"
    )
    assert not _retitles(case).exists()
    assert Case.objects.get(pk=case.pk).updated_at == before


@pytest.mark.parametrize("title", ["", "   ", None, "长" * (TITLE_MAX + 1)])
def test_bad_title_is_refused_by_field(case, people, title):
    with pytest.raises(ValidationError) as exc:
        case_retitle(case=case, title=title, actor=people["dy_handler"], reason="")
    assert "title" in exc.value.message_dict
    assert Case.objects.get(pk=case.pk).title == "路灯不亮（草案）"


def test_only_a_handler_of_the_agency_may_retitle(case, people):
    with pytest.raises(PermissionDenied):
        case_retitle(case=case, title="改名", actor=people["scj_handler"], reason="")
    with pytest.raises(PermissionDenied):
        case_retitle(case=case, title="改名", actor=None, reason="")
    assert Case.objects.get(pk=case.pk).title == "路灯不亮（草案）"
    assert not _retitles(case).exists()
