"""Versions and relations, derived from the records after an import.

- Documents sharing a `title_key` are versions of one instrument, ordered by
  version date (else publish date). Each newer version 修改 the one before,
  and every version but the newest is 已修改.
- The newest version keeps the source's status: 失效 stays 失效; 有效 with an
  effective date still ahead is 尚未生效.
- A document another one 废止 (a relation entered by hand), or whose source
  says 已废止 (a normative document repealed by a decision, 清理 or 纠错), is
  已废止 whatever version it is: repeal is a decision on that text. 失效
  (a 有效期 that ran out, or superseded otherwise) is a different status.
- A 司法解释 whose title names a law in 《》 解释 that law's newest version.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from itertools import pairwise

from django.utils import timezone

from fazhi.kernel.textzh import normalise

from ..models import Document, Level, Relation, Status

_NAMED_LAW_RE = re.compile(r"《([^《》]+)》")


def version_key(doc: Document) -> tuple[date, int]:
    return (doc.version_date or doc.published or date.min, doc.pk)


def relations_rebuild() -> int:
    """Recompute statuses and derived relations; returns statuses changed."""
    today = timezone.localdate()
    fields = "pk title title_key level status source_status version_date published"
    docs = list(Document.objects.only(*fields.split(), "effective"))
    repealed = set(
        Relation.objects.filter(kind=Relation.Kind.REPEAL).values_list(
            "target_id", flat=True
        )
    )
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        groups[doc.title_key].append(doc)
    wanted: set[tuple[int, int, str]] = set()
    dates: dict[tuple[int, int, str], date | None] = {}
    newest: dict[str, Document] = {}
    changed: list[Document] = []
    for key, versions in groups.items():
        versions.sort(key=version_key)
        newest[key] = versions[-1]
        for older, newer in pairwise(versions):
            rel = (newer.pk, older.pk, Relation.Kind.AMEND.value)
            wanted.add(rel)
            dates[rel] = newer.version_date or newer.published
        for doc in versions:
            status = (
                Status.REPEALED
                if doc.pk in repealed or doc.source_status == Status.REPEALED
                else _status(doc, doc is versions[-1], today)
            )
            if status != doc.status:
                doc.status = status
                changed.append(doc)
    by_title = {normalise(d.title): d for d in newest.values()}
    for doc in docs:
        if doc.level != Level.JUDICIAL:
            continue
        for name in _NAMED_LAW_RE.findall(doc.title):
            target = by_title.get(normalise(name)) or by_title.get(
                "中华人民共和国" + normalise(name)
            )
            if target is not None and target.pk != doc.pk:
                rel = (doc.pk, target.pk, Relation.Kind.INTERPRET.value)
                wanted.add(rel)
                dates[rel] = doc.published
    Document.objects.bulk_update(changed, ["status"], batch_size=500)
    have = {
        (s, t, k): pk
        for pk, s, t, k in Relation.objects.values_list(
            "pk", "source_id", "target_id", "kind"
        )
        if k != Relation.Kind.REPEAL  # entered by hand, never derived
    }
    Relation.objects.filter(
        pk__in=[pk for rel, pk in have.items() if rel not in wanted]
    ).delete()
    Relation.objects.bulk_create(
        [
            Relation(source_id=s, target_id=t, kind=k, date=dates.get((s, t, k)))
            for s, t, k in wanted - set(have)
        ],
        batch_size=500,
    )
    return len(changed)


def _status(doc: Document, is_newest: bool, today: date) -> str:
    if not is_newest:
        return Status.AMENDED
    if doc.source_status == "失效":
        return Status.EXPIRED
    if doc.source_status == "有效":
        if doc.effective and doc.effective > today:
            return Status.PENDING
        return Status.IN_FORCE
    return Status.UNKNOWN
