"""The content of a 督办 notice, from its record."""

from __future__ import annotations

from fazhi.kernel.deadlines.calendar import today

from ..models import Supervision
from ..reports.data import SupervisionNoticeData


def _contact(notice: Supervision, issuer: str) -> str:
    """Who the unit calls back: the officer who issued the 督办."""
    person = notice.case.created_by
    name = (person.full_name or person.username) if person else ""
    phone = person.phone if person else ""
    parts = [f"联系人：{issuer}法治办{name}"]
    if phone:
        parts.append(f"联系电话：{phone}")
    return "，".join(parts)


def supervision_notice_data(notice: Supervision) -> SupervisionNoticeData:
    milestone = notice.milestone
    node = milestone.node
    plan = node.plan if node else None
    city = plan.owner if plan else notice.case.agency
    clock = notice.case.clocks.filter(name="reply").first()
    issuer = city.name.removesuffix("人民政府")
    return SupervisionNoticeData(
        number=notice.number,
        issuer_name=f"{issuer}法治政府建设领导小组办公室",
        recipient_name=notice.case.agency.name,
        issued_on=notice.issued_on,
        task_number=node.number if node else "",
        task_title=node.title if node else milestone.title,
        task_text=node.text if node else "",
        milestone_title=milestone.title,
        milestone_due=milestone.due_date,
        problem=notice.problem,
        requirement=notice.requirement,
        reply_due=clock.due_date if clock else today(),
        contact=_contact(notice, issuer),
        plan_title=plan.title if plan else "",
    )
