"""Storing a parsed plan and editing its tree with every change kept.

Positions are the document order of the whole plan (a depth-first count), so
`ORDER BY position` reads the plan top to bottom; a split shifts the nodes
after it. Every import and edit writes a `PlanNodeRevision` and an audit
event in the same transaction.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.indicators.services import indicator_retire
from fazhi.kernel.org.models import Agency
from fazhi.kernel.textzh import normalise

from ..models import (
    Assignment,
    Milestone,
    Plan,
    PlanNode,
    PlanNodeRevision,
    Target,
)
from .common import city_root, clean_text, require_manage
from .targets import target_define_indicator

YEARS_RE = re.compile(r"(20\d\d)\s*[-－—–~至到]+\s*(20\d\d)")


@dataclass
class ImportResult:
    plan: Plan
    created: bool
    nodes: int = 0
    targets: int = 0
    assignments: int = 0
    unmatched_units: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _norm(node: PlanNode) -> str:
    return normalise(f"{node.title}\n{node.text}")


def _revise(*, actor: Any, node: PlanNode, op: str, note: str = "") -> PlanNodeRevision:
    return PlanNodeRevision.objects.create(
        node=node,
        version=node.version,
        op=op,
        number=node.number,
        title=node.title,
        text=node.text,
        note=note[:255],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _agency_index(owner: Agency) -> dict[str, Agency]:
    """Agencies below the owner by normalised full and short names."""
    index: dict[str, Agency] = {}
    for agency in Agency.objects.filter(path__startswith=owner.path, is_active=True):
        for name in (agency.name, agency.short_name):
            if name:
                index.setdefault(normalise(name), agency)
    return index


def match_agency(name: str, index: dict[str, Agency], city: str) -> Agency | None:
    """ "市司法局" finds "黄石市司法局": try the name, then with the city's name."""
    key = normalise(name)
    for candidate in (key, f"{city}{key.removeprefix('市')}", f"{city}{key}"):
        if candidate in index:
            return index[candidate]
    return None


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _years(text: str) -> tuple[int | None, int | None]:
    m = YEARS_RE.search(normalise(text))
    return (int(m[1]), int(m[2])) if m else (None, None)


def plan_import(
    *,
    actor: Any,
    parsed: Any,
    source_name: str,
    source_text: str,
    owner: Agency | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> ImportResult:
    """Store a parsed plan (see parsing.parse_plan) as the office's working tree.

    Importing the same text again for the same owner returns the plan already
    stored instead of a second copy. Units the plan names are matched to
    agencies and assigned; names that match no agency are reported.
    """
    owner = owner or city_root()
    require_manage(actor, owner, plan_wide=True)
    title = clean_text(parsed.title, "title", _("方案名称"), limit=255)
    sha = hashlib.sha256(source_text.encode("utf-8")).hexdigest()
    existing = Plan.objects.filter(
        owner=owner, source_sha256=sha, withdrawn_at=None
    ).first()
    if existing is not None:
        return ImportResult(plan=existing, created=False)
    guess_from, guess_to = _years(f"{title}\n{parsed.preamble}")
    index = _agency_index(owner)
    city = normalise(owner.name).removesuffix("人民政府")
    with transaction.atomic():
        plan = Plan.objects.create(
            title=title,
            preamble=parsed.preamble or "",
            owner=owner,
            year_from=year_from or guess_from,
            year_to=year_to or guess_to,
            source_name=(source_name or "")[:255],
            source_text=source_text,
            source_sha256=sha,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        result = ImportResult(plan=plan, created=True)
        result.problems = [f"第{p.line}行：{p.message}" for p in parsed.problems]
        counter = [0]

        def store(items: list[Any], parent: PlanNode | None) -> None:
            for item in items:
                counter[0] += 1
                node = PlanNode.objects.create(
                    plan=plan,
                    parent=parent,
                    kind=item.kind,
                    number=(item.number or "")[:16],
                    title=(item.title or item.text or "")[:255],
                    text=item.text or "",
                    position=counter[0],
                    line=getattr(item, "line", None),
                )
                node.text_norm = _norm(node)
                node.save(update_fields=["text_norm"])
                _revise(actor=actor, node=node, op=PlanNodeRevision.Op.IMPORT)
                result.nodes += 1
                for t in item.targets:
                    target = Target.objects.create(
                        node=node,
                        kind=t.kind,
                        comparator=t.comparator,
                        value=_decimal(t.value),
                        unit=(t.unit or "")[:16],
                        period=(t.period or "")[:8],
                        subject=(t.subject or t.text)[:255],
                        text=(t.text or "")[:500],
                        deadline_year=t.deadline_year,
                    )
                    target_define_indicator(actor=actor, target=target)
                    result.targets += 1
                for unit in item.units:
                    agency = match_agency(unit.name, index, city)
                    if agency is None:
                        result.unmatched_units.append(unit.name)
                        continue
                    role = "lead" if unit.role in ("lead", "responsible") else "co"
                    _, made = Assignment.objects.get_or_create(
                        node=node, agency=agency, defaults={"role": role}
                    )
                    result.assignments += made
                store(item.children, node)

        store(parsed.nodes, None)
        audit_record(
            actor=actor,
            action="plan.import",
            record_type="plan",
            record_id=plan.pk,
            payload={
                "title": plan.title,
                "source": plan.source_name,
                "sha256": sha,
                "nodes": result.nodes,
                "targets": result.targets,
                "assignments": result.assignments,
                "unmatched_units": result.unmatched_units,
                "problems": len(result.problems),
            },
        )
    return result


def plan_withdraw(*, actor: Any, plan: Plan, reason: str) -> Plan:
    """Withdraw a plan uploaded by mistake, before any work hangs off it.

    Kept in the database and the record, hidden from the lists; its targets'
    indicators are retired.
    """
    require_manage(actor, plan.owner, plan_wide=True)
    reason = clean_text(reason, "reason", _("撤回原因"), limit=255)
    if Milestone.objects.filter(node__plan=plan).exists() or plan.reports.exists():
        raise ValidationError(
            {
                "reason": _(
                    "该方案已有节点任务或年度报告，不能撤回，请改为修改方案内容。"
                )
            }
        )
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.withdrawn_at is not None:
            return plan
        plan.withdrawn_at, plan.withdrawn_reason = timezone.now(), reason
        plan.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        codes = [t.own_indicator_code for t in Target.objects.filter(node__plan=plan)]
        indicator_retire(actor=actor, codes=codes)
        audit_record(
            actor=actor,
            action="plan.withdraw",
            record_type="plan",
            record_id=plan.pk,
            payload={"reason": reason},
        )
    return plan


def _locked(node: PlanNode) -> PlanNode:
    return (
        PlanNode.objects.select_for_update()
        .select_related("plan__owner")
        .get(pk=node.pk, is_active=True)
    )


def node_reword(
    *,
    actor: Any,
    node: PlanNode,
    title: str,
    text: str,
    number: str | None = None,
    note: str = "",
) -> PlanNode:
    """Change a node's words; the earlier wording stays in its revisions."""
    require_manage(actor, node.plan.owner, plan_wide=True)
    title = clean_text(title, "title", _("标题"), limit=255)
    with transaction.atomic():
        node = _locked(node)
        before = {"number": node.number, "title": node.title, "text": node.text}
        node.title, node.text = title, (text or "").strip()
        if number is not None:
            node.number = number.strip()[:16]
        if {"number": node.number, "title": node.title, "text": node.text} == before:
            return node
        node.version += 1
        node.text_norm = _norm(node)
        node.save()
        _revise(actor=actor, node=node, op=PlanNodeRevision.Op.REWORD, note=note)
        audit_record(
            actor=actor,
            action="plan.node_reword",
            record_type="plan_node",
            record_id=node.pk,
            payload={"version": node.version, "before": before, "note": note},
        )
    return node


def _subtree_end(node: PlanNode) -> int:
    """The last position inside `node`'s subtree (itself when it is a leaf)."""
    last = node.position
    frontier = [node.pk]
    while frontier:
        kids = list(
            PlanNode.objects.filter(parent_id__in=frontier).values_list(
                "pk", "position"
            )
        )
        frontier = [pk for pk, _ in kids]
        last = max([last, *[pos for _, pos in kids]])
    return last


def node_split(
    *,
    actor: Any,
    node: PlanNode,
    parts: list[tuple[str, str]],
    note: str = "",
) -> list[PlanNode]:
    """Split a node: it keeps the first (title, text); the others become new
    siblings right after it, with the same assignments. Targets, children and
    milestones stay with the original node."""
    require_manage(actor, node.plan.owner, plan_wide=True)
    if len(parts) < 2:
        raise ValidationError({"parts": _("拆分至少需要两部分。")})
    cleaned = [
        (clean_text(t, "parts", _("每一部分的标题"), limit=255), (x or "").strip())
        for t, x in parts
    ]
    with transaction.atomic():
        node = _locked(node)
        end = _subtree_end(node)
        extra = len(cleaned) - 1
        PlanNode.objects.filter(plan=node.plan, position__gt=end).update(
            position=F("position") + extra
        )
        before = {"title": node.title, "text": node.text}
        node.title, node.text = cleaned[0]
        node.version += 1
        node.text_norm = _norm(node)
        node.save()
        _revise(actor=actor, node=node, op=PlanNodeRevision.Op.SPLIT, note=note)
        made = [node]
        leads = list(node.assignments.values_list("agency_id", "role"))
        for i, (title, text) in enumerate(cleaned[1:], start=1):
            new = PlanNode.objects.create(
                plan=node.plan,
                parent=node.parent,
                kind=node.kind,
                number=f"{node.number}-{i + 1}"[:16] if node.number else "",
                title=title,
                text=text,
                position=end + i,
            )
            new.text_norm = _norm(new)
            new.save(update_fields=["text_norm"])
            _revise(actor=actor, node=new, op=PlanNodeRevision.Op.SPLIT, note=note)
            Assignment.objects.bulk_create(
                [Assignment(node=new, agency_id=a, role=r) for a, r in leads]
            )
            made.append(new)
        audit_record(
            actor=actor,
            action="plan.node_split",
            record_type="plan_node",
            record_id=node.pk,
            payload={
                "before": before,
                "into": [n.pk for n in made],
                "note": note,
            },
        )
    return made


def node_merge(
    *, actor: Any, node: PlanNode, into: PlanNode, note: str = ""
) -> PlanNode:
    """Merge `node` into `into`: words appended, children, targets, units and
    milestones moved; `node` is kept inactive, pointing at `into`."""
    require_manage(actor, node.plan.owner, plan_wide=True)
    if node.pk == into.pk or node.plan_id != into.plan_id:
        raise ValidationError({"into": _("只能合并到同一方案中的另一条目。")})
    if into.kind != node.kind:
        raise ValidationError({"into": _("只能合并同一层级的条目。")})
    with transaction.atomic():
        node, into = _locked(node), _locked(into)
        into.text = "\n".join(x for x in (into.text, node.title, node.text) if x)
        into.version += 1
        into.text_norm = _norm(into)
        into.save()
        PlanNode.objects.filter(parent=node).update(parent=into)
        node.targets.update(node=into)
        node.milestones.update(node=into)
        for a in node.assignments.all():
            Assignment.objects.get_or_create(
                node=into, agency_id=a.agency_id, defaults={"role": a.role}
            )
        node.assignments.all().delete()
        node.is_active, node.merged_into = False, into
        node.version += 1
        node.save()
        _revise(actor=actor, node=node, op=PlanNodeRevision.Op.MERGE, note=note)
        _revise(actor=actor, node=into, op=PlanNodeRevision.Op.MERGE, note=note)
        audit_record(
            actor=actor,
            action="plan.node_merge",
            record_type="plan_node",
            record_id=into.pk,
            payload={"merged": node.pk, "note": note},
        )
    return into
