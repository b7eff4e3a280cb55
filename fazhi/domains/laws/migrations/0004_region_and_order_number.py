"""Correct two fields the importer derived wrongly, on stored documents:

- region: a ministry (部门规章/公安部) or a case topic (案例/消费购物) was
  taken for a region and offered in the 地区 filter;
- doc_number: the first decree number in the history was taken, so the 2019
  text of the 政府信息公开条例 showed 国务院令第492号 (2007) instead of
  第711号.

The logic is copied from services/importer.py as it stood (a migration must
not change when that code does). Only what the rule gives is written; a
document whose history names no decree keeps its number (the normative
documents the platform publishes carry their own 文号).
"""

import re

from django.db import migrations

ORDER_RE = re.compile(
    r"([^\s，,（(《]{0,20}令(?:第|〔\d{4}〕)[\d一二三四五六七八九十百零]+号)"
)
NATIONWIDE = {"宪法", "法律", "行政法规", "部门规章", "司法解释"}


def order_number(history, version_date):
    number = ""
    for h in history or []:
        if not isinstance(h, dict):
            continue
        if version_date and str(h.get("date") or "") > version_date:
            continue
        found = ORDER_RE.search(str(h.get("event", "")))
        if found:
            number = found.group(1)[:100]
    return number


def forwards(apps, schema_editor):
    Document = apps.get_model("laws", "Document")
    Document.objects.filter(level__in=NATIONWIDE).exclude(region="全国").update(
        region="全国"
    )
    Document.objects.filter(level="案例").exclude(region="").update(region="")
    changed = []
    rows = Document.objects.exclude(history=[]).only(
        "pk", "history", "version_date", "doc_number"
    )
    for doc in rows.iterator(chunk_size=500):
        vd = doc.version_date.isoformat() if doc.version_date else ""
        number = order_number(doc.history, vd)
        if number and number != doc.doc_number:
            doc.doc_number = number
            changed.append(doc)
    Document.objects.bulk_update(changed, ["doc_number"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("laws", "0003_search_index_by_title")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
