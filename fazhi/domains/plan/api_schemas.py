"""Request and response shapes of the plan API (/api/plan); see api.py."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema


class PlanOut(Schema):
    id: int
    title: str
    owner_code: str
    owner_name: str
    year_from: int | None
    year_to: int | None
    source_name: str
    created_at: datetime
    can_manage: bool


class TargetOut(Schema):
    id: int
    kind: str
    comparator: str
    value: Decimal | None
    unit: str
    period: str
    subject: str
    text: str
    deadline_year: int | None
    indicator_code: str


class AssignmentOut(Schema):
    node_id: int
    agency_code: str
    agency_name: str
    role: str


class NodeOut(Schema):
    id: int
    kind: str
    number: str
    title: str
    text: str
    version: int
    targets: list[TargetOut]
    assignments: list[AssignmentOut]
    children: list[NodeOut]


NodeOut.model_rebuild()


class PlanDetail(PlanOut):
    preamble: str
    nodes: list[NodeOut]


class ImportOut(Schema):
    id: int
    created: bool
    title: str
    nodes: int
    targets: int
    assignments: int
    unmatched_units: list[str]
    problems: list[str]


class AssignIn(Schema):
    agency: str  # agency code
    role: str  # lead | co


class MilestoneOut(Schema):
    id: int
    kind: str
    title: str
    case_number: str
    state: str
    state_label: str
    agency_code: str
    agency_name: str
    node_id: int | None
    node_label: str
    due_date: date
    progress: int
    completed_on: date | None
    overdue: bool
    alert: str


class MilestoneFilters(Schema):
    state: str | None = None
    overdue: bool | None = None
    plan: int | None = None
    limit: int = 100
    offset: int = 0


class MilestonePage(Schema):
    count: int
    items: list[MilestoneOut]


class MilestoneIn(Schema):
    node: int
    agency: str
    title: str
    due_date: date
    opened_on: date | None = None


class EvidenceOut(Schema):
    name: str
    content_type: str
    size: int
    sha256: str


class ReportOut(Schema):
    id: int
    milestone_id: int
    text: str
    progress: int
    status: str
    score: int | None
    review_note: str
    submitted_at: datetime
    evidence: list[EvidenceOut]


class ReviewIn(Schema):
    decision: str  # accept | complete | send_back
    score: int | str | None = None
    note: str = ""


class CellOut(Schema):
    agency_id: int
    agency_name: str
    value: Decimal
    status: str
    evidence: str


class TrendOut(Schema):
    period: str
    value: str | None


class TargetRowOut(Schema):
    target: TargetOut
    node_label: str
    indicator_name: str
    status: str
    status_label: str
    cells: list[CellOut]
    trend: list[TrendOut]


class UnitRowOut(Schema):
    agency_code: str
    agency_name: str
    tasks: int
    milestones: int
    done: int
    overdue: int
    on_time_rate: float | None
    progress: int
    status: str


class DashboardOut(Schema):
    year: int
    counts: dict[str, int]
    targets: list[TargetRowOut]
    units: list[UnitRowOut]


class SupervisionIn(Schema):
    milestone: int
    problem: str
    requirement: str


class AnswerIn(Schema):
    answer: str


class CloseIn(Schema):
    reopen: bool = False
    note: str = ""


class SupervisionOut(Schema):
    id: int
    number: str
    case_number: str
    state: str
    state_label: str
    milestone_id: int
    agency_code: str
    problem: str
    requirement: str
    issued_on: date
    reply_due: date | None
    answer: str
    answered_on: date | None


class VersionOut(Schema):
    version: int
    state: str
    error: str
    sha256: str
    final: bool
    seconds: float
    created_at: datetime
    docx_url: str | None
    pdf_url: str | None


class AnnualReportOut(Schema):
    plan_id: int
    year: int
    exists: bool
    status: str
    shortcomings: str
    leaders_duties: str
    next_year_plan: str
    submitted_on: date | None
    published_on: date | None
    published_version: int | None
    submit_due: date
    publish_due: date
    days_to_submit: int
    days_to_publish: int
    versions: list[VersionOut]


class TextsIn(Schema):
    shortcomings: str = ""
    leaders_duties: str = ""
    next_year_plan: str = ""


# --- helpers ----------------------------------------------------------------
