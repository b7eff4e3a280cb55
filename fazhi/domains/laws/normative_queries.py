"""Every read of the normative-document pages and API.

A user sees the documents of agencies in their `case.view` scope; the review
and filing queues are those of agencies where they hold the reviewing
permission. Anything else answers 404 exactly like a missing record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.indicators.periods import period_bounds
from fazhi.kernel.org.policy import agency_q, has_perm_anywhere, visible_agencies
from fazhi.kernel.org.roles import CASE_VIEW
from fazhi.kernel.workflow.definitions import get_case_type

from . import normative_workflow as wf
from .models import (
    CleanupCampaign,
    CleanupItem,
    Disposition,
    NormativeDocument,
    NormativeOpinion,
    PostEvaluation,
    Validity,
)
from .services.normative_cleanup import expiry_horizon


def _base() -> QuerySet[NormativeDocument]:
    return NormativeDocument.objects.select_related(
        "case", "case__agency", "filing_agency", "law_document"
    ).prefetch_related(
        Prefetch(
            "case__clocks",
            queryset=Clock.objects.exclude(state=Clock.State.STOPPED).order_by(
                "due_date", "pk"
            ),
            to_attr="open_clocks",
        )
    )


def _readable(user: Any) -> Q:
    """Documents of agencies in the user's `case.view` scope, and those the
    user reviews for legality (a justice bureau's reviewer granted the review
    on its government reads that government's own drafts, nothing more)."""
    return agency_q(user, CASE_VIEW, field="case__agency") | agency_q(
        user, wf.LEGALITY_REVIEW, field="case__agency"
    )


def can_read_any(user: Any) -> bool:
    return has_perm_anywhere(user, CASE_VIEW) or has_perm_anywhere(
        user, wf.LEGALITY_REVIEW
    )


def documents_for(
    user: Any,
    *,
    state: str | None = None,
    agency: str | None = None,
    q: str | None = None,
    validity: str | None = None,
) -> QuerySet[NormativeDocument]:
    qs = _base().filter(_readable(user))
    if state:
        qs = qs.filter(case__state=state)
    if agency:
        qs = qs.filter(case__agency__code=agency)
    if validity:
        qs = qs.filter(validity=validity)
    if q:
        text = q.strip()[:100]
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(doc_number__icontains=text)
            | Q(case__number__icontains=text)
        )
    return qs.order_by("-case__opened_at", "-pk")


def document_for(user: Any, number: str) -> NormativeDocument:
    nd = _base().filter(_readable(user)).filter(case__number=number).first()
    if nd is None:
        raise Http404("No such record.")
    return nd


def queue_for(user: Any, perm: str, states: set[str]) -> list[NormativeDocument]:
    """Documents waiting in `states` where `user` holds `perm`, the one due
    first on top (their open clock's due date)."""
    rows = list(
        _base().filter(
            agency_q(user, perm, field="case__agency"), case__state__in=states
        )
    )
    far = date.max
    rows.sort(
        key=lambda nd: (
            min((c.due_date for c in nd.case.open_clocks), default=far),
            nd.pk,
        )
    )
    return rows


def review_queue(user: Any) -> list[NormativeDocument]:
    return queue_for(user, wf.LEGALITY_REVIEW, {wf.REVIEWING})


def filing_queue(user: Any) -> list[NormativeDocument]:
    return queue_for(user, wf.FILING_REVIEW, {wf.FILED, wf.SUPPLEMENTING})


def drafter_queue(user: Any) -> list[NormativeDocument]:
    """What the drafting agency must do next: publish, file, supplement, correct."""
    from fazhi.kernel.org.roles import CASE_HANDLE

    return queue_for(
        user,
        CASE_HANDLE,
        {wf.DRAFTING, wf.APPROVED, wf.PUBLISHED, wf.SUPPLEMENTING, wf.CORRECTING},
    )


def corrections_for(user: Any) -> QuerySet[NormativeDocument]:
    return (
        documents_for(user)
        .filter(filing_result__in=("unlawful", "inappropriate"))
        .order_by("corrected_on", "-decided_on")
    )


def expiring_for(user: Any, on: date | None = None) -> QuerySet[NormativeDocument]:
    """In force and ending within the notice period (or already past it and
    not yet swept)."""
    on = on or today()
    return (
        documents_for(user, validity=Validity.IN_FORCE)
        .filter(expires_on__lte=expiry_horizon(on))
        .order_by("expires_on", "pk")
    )


def opinions(nd: NormativeDocument) -> list[NormativeOpinion]:
    return list(nd.opinions.select_related("author"))


def state_label(nd: NormativeDocument) -> str:
    return str(get_case_type(wf.CODE).states.get(nd.case.state, nd.case.state))


def state_choices() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in get_case_type(wf.CODE).states.items()]


def agency_choices(user: Any, perm: str = CASE_VIEW) -> list[tuple[str, str]]:
    return list(
        visible_agencies(user, perm).order_by("path").values_list("code", "name")
    )


# -- catalogue and annual report -------------------------------------------------


def catalogue_for(user: Any, period: str) -> QuerySet[NormativeDocument]:
    """备案目录: documents filed in the period (a quarter or a year)."""
    start, end = period_bounds(period)
    return (
        documents_for(user)
        .filter(filed_on__gte=start, filed_on__lte=end)
        .order_by("filed_on", "pk")
    )


def catalogue_of(agency: Any, period: str) -> QuerySet[NormativeDocument]:
    """备案目录 of `agency`'s subtree for the command line (no user scope)."""
    start, end = period_bounds(period)
    return (
        _base()
        .filter(
            case__agency__path__startswith=agency.path,
            filed_on__gte=start,
            filed_on__lte=end,
        )
        .order_by("filed_on", "pk")
    )


@dataclass
class AnnualFigures:
    year: int
    agency: Any
    published: int = 0
    filed: int = 0
    filed_on_time: int = 0
    unfiled_overdue: int = 0
    reviewed: int = 0
    reviewed_on_time: int = 0
    accepted: int = 0
    supplements: int = 0
    unlawful: int = 0
    inappropriate: int = 0
    corrected: int = 0
    correcting: int = 0
    legality_reviews: int = 0
    legality_returns: int = 0
    repealed: int = 0
    expired: int = 0
    in_force: int = 0
    cleanups: list[dict[str, Any]] = field(default_factory=list)
    evaluations: int = 0
    by_agency: list[tuple[str, int]] = field(default_factory=list)
    faults: list[NormativeDocument] = field(default_factory=list)


def annual_figures(user: Any, agency: Any, year: int) -> AnnualFigures:
    """The figures of the annual filing report (年度备案审查工作报告) for
    `agency`'s subtree, as far as `user` may see it."""
    return _annual(documents_for(user), agency, year)


def annual_figures_of(agency: Any, year: int) -> AnnualFigures:
    """The same for the command line (`fazhi report normative`), run by an
    operator on the server: the whole subtree, no user scope."""
    return _annual(_base(), agency, year)


def _annual(
    scoped: QuerySet[NormativeDocument], agency: Any, year: int
) -> AnnualFigures:
    start, end = period_bounds(str(year))
    docs = scoped.filter(case__agency__path__startswith=agency.path)
    f = AnnualFigures(year=year, agency=agency)
    published = docs.filter(published_on__gte=start, published_on__lte=end)
    f.published = published.count()
    filed = docs.filter(filed_on__gte=start, filed_on__lte=end)
    f.filed = filed.count()
    f.filed_on_time = _stopped_on_time(filed, wf.FILING)
    f.unfiled_overdue = _unfiled_overdue(published, cutoff=min(end, today()))
    decided = docs.filter(decided_on__gte=start, decided_on__lte=end)
    f.reviewed = decided.count()
    f.reviewed_on_time = _stopped_on_time(decided, wf.REVIEW)
    by_result = dict(
        decided.values_list("filing_result").annotate(n=Count("pk")).order_by()
    )
    f.accepted = by_result.get("accepted", 0)
    f.unlawful = by_result.get("unlawful", 0)
    f.inappropriate = by_result.get("inappropriate", 0)
    faults = decided.filter(filing_result__in=("unlawful", "inappropriate"))
    f.corrected = faults.filter(corrected_on__isnull=False).count()
    f.correcting = faults.filter(corrected_on__isnull=True).count()
    f.faults = list(faults.order_by("decided_on", "pk"))
    ops = NormativeOpinion.objects.filter(
        document__in=docs, given_on__gte=start, given_on__lte=end
    )
    f.supplements = ops.filter(verdict=NormativeOpinion.Verdict.SUPPLEMENT).count()
    legality = ops.filter(stage=NormativeOpinion.Stage.LEGALITY)
    f.legality_reviews = legality.count()
    f.legality_returns = legality.filter(
        verdict=NormativeOpinion.Verdict.RETURN
    ).count()
    changed = docs.filter(validity_changed_on__gte=start, validity_changed_on__lte=end)
    f.repealed = changed.filter(validity=Validity.REPEALED).count()
    f.expired = changed.filter(validity=Validity.EXPIRED).count()
    f.in_force = docs.filter(validity=Validity.IN_FORCE).count()
    for c in CleanupCampaign.objects.filter(
        agency__path__startswith=agency.path,
        started_on__gte=start,
        started_on__lte=end,
    ):
        counts = dict(
            c.items.values_list("decision").annotate(n=Count("pk")).order_by()
        )
        f.cleanups.append(
            {"name": c.name, **{d.value: counts.get(d.value, 0) for d in Disposition}}
        )
    f.evaluations = PostEvaluation.objects.filter(
        document__in=docs, evaluated_on__gte=start, evaluated_on__lte=end
    ).count()
    f.by_agency = list(
        filed.values_list("case__agency__name")
        .annotate(n=Count("pk"))
        .order_by("case__agency__name")
    )
    return f


def _unfiled_overdue(published: QuerySet[NormativeDocument], *, cutoff: date) -> int:
    """未按时报备: never filed, and the filing clock's due date passed before
    `cutoff` while it still ran: still running, or stopped after it (a
    document repealed or expired unfiled once its deadline had passed; one
    repealed in time owed no filing). A late filing is in `filed`, not here."""
    return published.filter(
        Q(case__clocks__stopped_on__isnull=True)
        | Q(case__clocks__stopped_on__gt=F("case__clocks__due_date")),
        filed_on__isnull=True,
        case__clocks__name=wf.FILING,
        case__clocks__due_date__lt=cutoff,
    ).count()


def _stopped_on_time(qs: QuerySet[NormativeDocument], clock: str) -> int:
    return qs.filter(
        case__clocks__name=clock,
        case__clocks__state=Clock.State.STOPPED,
        case__clocks__stopped_on__lte=F("case__clocks__due_date"),
    ).count()


# -- cleanup -----------------------------------------------------------------------


def _campaigns_visible(user: Any) -> QuerySet[CleanupCampaign]:
    """Campaigns the user organises (in scope) or that list a document of an
    agency in their scope (the drafter gives its opinion there)."""
    listed = CleanupItem.objects.filter(
        agency_q(user, CASE_VIEW, field="document__case__agency")
    ).values("campaign_id")
    own = agency_q(user, CASE_VIEW)
    if not own:  # city-wide: Q() | X would narrow to X
        return CleanupCampaign.objects.all()
    return CleanupCampaign.objects.filter(own | Q(pk__in=listed))


def campaigns_for(user: Any) -> QuerySet[CleanupCampaign]:
    return (
        _campaigns_visible(user)
        .select_related("agency")
        .annotate(
            total=Count("items"),
            pending=Count("items", filter=Q(items__decision=Disposition.PENDING)),
        )
    )


def campaign_for(user: Any, pk: int) -> CleanupCampaign:
    campaign = _campaigns_visible(user).select_related("agency").filter(pk=pk).first()
    if campaign is None:
        raise Http404("No such record.")
    return campaign


def campaign_items(campaign: CleanupCampaign) -> list[CleanupItem]:
    return list(
        campaign.items.select_related(
            "document", "document__case", "document__case__agency"
        )
    )
