"""REST endpoints of the deadlines kernel, mounted at /api/deadlines.

GET /compute  one due date (the same JSON contract as `fazhi deadline --json`)
GET /rules    the period rules in force, with their citations
GET /clocks/due-soon, GET /clocks/{id}/explain  clocks the user may see
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import ValidationError as ApiValidationError

from .compute import compute as compute_due_date
from .queries import clock_explain, clocks_due_soon, period_rules

router = Router(tags=["deadlines"])


class DueOut(Schema):
    due: str
    provisional: bool
    rule: str | None
    citation: str | None
    explain: list[str]


class RuleOut(Schema):
    id: str
    name: str
    days: int
    unit: str
    citation: str
    note: str
    min_days: int | None
    max_days: int | None
    verify: bool
    configurable: bool
    extension: str | None
    local_citation: str


class ClockOut(Schema):
    id: int
    case: int | None
    name: str
    rule_id: str
    due: str
    provisional: bool
    alert: str


class ExplainOut(DueOut):
    clock_id: int
    name: str
    state: str


def _invalid(exc: ValidationError) -> ApiValidationError:
    return ApiValidationError(
        [
            {"loc": ["query", field], "msg": "；".join(messages), "type": "value_error"}
            for field, messages in exc.message_dict.items()
        ]
    )


@router.get("/compute", response=DueOut, summary="计算到期日")
def compute(
    request: HttpRequest,
    start: str,
    days: str | None = None,
    unit: str | None = None,
    rule: str | None = None,
    pause: list[str] = Query([]),
) -> dict[str, object]:
    try:
        return compute_due_date(
            start=start, days=days, unit=unit, rule_id=rule, pauses=pause
        )
    except ValidationError as exc:
        raise _invalid(exc) from None


@router.get("/rules", response=list[RuleOut], summary="期限规则")
def rules(request: HttpRequest) -> list[dict[str, object]]:
    return [r.as_dict() for r in period_rules()]


@router.get("/clocks/due-soon", response=list[ClockOut], summary="临期和超期计时")
def due_soon(request: HttpRequest, limit: int = 100) -> list[dict[str, object]]:
    return [
        {
            "id": c.pk,
            "case": c.case_id,
            "name": c.name,
            "rule_id": c.rule_id,
            "due": c.due_date.isoformat(),
            "provisional": c.provisional,
            "alert": c.alert,
        }
        for c in clocks_due_soon(request.user, limit=max(1, min(limit, 500)))
    ]


@router.get("/clocks/{clock_id}/explain", response=ExplainOut, summary="到期日说明")
def explain(request: HttpRequest, clock_id: int) -> dict[str, object]:
    return clock_explain(request.user, clock_id).as_dict()
