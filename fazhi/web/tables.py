"""Filterable, paginated tables with XLSX export — the list component.

A view declares its columns and filters, lets the table read the filter values
from the query string, filters its queryset with them (through its app's
queries, which apply the permission scope), binds it, and either renders the
table or returns the export::

    table = DataTable(request, columns=COLUMNS, filters=FILTERS,
                      export_name="workflow:case_list")
    table.bind(cases_for(request.user, table.values))
    if table.export_requested:
        return table.export_response()
    return render(request, "workflow/case_list.html", {"table": table})

and the template says ``{% load fazhi_ui %}{% data_table table %}``.

Query string: the filter names, ``page``, ``per_page`` (10/25/50/100),
``sort`` (a column key, ``-key`` for descending; only sortable columns) and
``format=xlsx`` for the export. Unknown choice values are ignored, never an
error. The export holds exactly the filtered rows (every page), neutralises
spreadsheet formulas and writes an ``export`` audit event; it needs the
``data.export`` permission.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any, Literal
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook

from fazhi.kernel.audit.services import audit_export
from fazhi.kernel.org import roles
from fazhi.kernel.org.policy import has_perm_anywhere

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
EXPORT_MAX_ROWS = 100_000
# OWASP CSV/formula injection: a cell that starts with one of these is read as
# a formula by Excel/WPS; a leading apostrophe makes it plain text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Choices = Sequence[tuple[str, Any]]


@dataclass(frozen=True)
class Column:
    """One column. `value(row)` gives the data (default: the dotted attribute
    `key`); `html(row)` optionally renders the cell (a badge, a link); `link(row)`
    makes the value a link; `order_by` makes the column sortable."""

    key: str
    label: str | Promise
    value: Callable[[Any], Any] | None = None
    html: Callable[[Any], SafeString] | None = None
    link: Callable[[Any], str] | None = None
    order_by: str | None = None
    export: bool = True
    css: str = ""

    def get_value(self, row: Any) -> Any:
        if self.value is not None:
            return self.value(row)
        obj = row
        for part in self.key.split("."):
            obj = getattr(obj, part, None) if obj is not None else None
        if callable(obj):
            obj = obj()
        return obj

    def render(self, row: Any) -> SafeString | Any:
        if self.html is not None:
            return self.html(row)
        value = self.get_value(row)
        if isinstance(value, datetime):
            value = cn_datetime(value)
        elif isinstance(value, date):
            value = cn_date(value)
        if value is None or value == "":
            return mark_safe('<span class="muted">—</span>')
        if self.link is not None:
            return format_html('<a href="{}">{}</a>', self.link(row), value)
        return value


@dataclass(frozen=True)
class Filter:
    """A GET filter: `select` (with `choices`, or `choices_for(user)`), `text`
    (free text, trimmed, at most 100 characters) or `bool` (a checkbox)."""

    name: str
    label: str | Promise
    kind: Literal["select", "text", "bool"] = "select"
    choices: Choices = ()
    choices_for: Callable[[Any], Choices] | None = None
    placeholder: str | Promise = ""

    def options(self, user: Any) -> list[tuple[str, Any]]:
        if self.choices_for is not None:
            return [(str(k), v) for k, v in self.choices_for(user)]
        return [(str(k), v) for k, v in self.choices]

    def clean(
        self, raw: str | None, options: list[tuple[str, Any]]
    ) -> str | bool | None:
        if raw is None:
            return None
        raw = raw.strip()
        if self.kind == "bool":
            return True if raw in ("1", "on", "true") else None
        if not raw:
            return None
        if self.kind == "text":
            return raw[:100]
        return raw if raw in {k for k, _v in options} else None


@dataclass
class BoundFilter:
    filter: Filter
    value: Any
    options: list[tuple[str, Any]] = field(default_factory=list)


class DataTable:
    def __init__(
        self,
        request: HttpRequest,
        *,
        columns: Sequence[Column],
        filters: Sequence[Filter] = (),
        export_name: str | None = None,
        default_sort: str | None = None,
        export_title: str | Promise = "",
    ) -> None:
        self.request = request
        # The file name people see ("节点任务-20261126-0741.xlsx").
        self.export_title = export_title
        self.user = request.user
        self.columns = list(columns)
        self.filters = list(filters)
        self.export_name = export_name
        self.values: dict[str, Any] = {}
        # Options are computed once: `choices_for` may query (e.g. agencies).
        self._options = {
            f.name: f.options(self.user) if f.kind == "select" else []
            for f in self.filters
        }
        for f in self.filters:
            v = f.clean(request.GET.get(f.name), self._options[f.name])
            if v is not None:
                self.values[f.name] = v
        self.per_page = _int(request.GET.get("per_page"), DEFAULT_PAGE_SIZE)
        if self.per_page not in PAGE_SIZES:
            self.per_page = DEFAULT_PAGE_SIZE
        sortable = {c.key: c.order_by for c in self.columns if c.order_by}
        sort = request.GET.get("sort", "") or (default_sort or "")
        self.sort = sort if sort.lstrip("-") in sortable else ""
        self._sortable = sortable
        self.queryset: QuerySet[Any] | None = None
        self.page: Page | None = None

    # -- binding ----------------------------------------------------------
    def bind(self, queryset: QuerySet[Any]) -> "DataTable":
        if self.sort:
            key = self.sort.lstrip("-")
            order = self._sortable[key]
            queryset = queryset.order_by(
                f"-{order}" if self.sort.startswith("-") else order, "-pk"
            )
        self.queryset = queryset
        if not self.export_requested:
            paginator = Paginator(queryset, self.per_page)
            self.page = paginator.get_page(self.request.GET.get("page"))
        return self

    @property
    def export_requested(self) -> bool:
        return self.request.GET.get("format") == "xlsx" and bool(self.export_name)

    @property
    def can_export(self) -> bool:
        return bool(self.export_name) and has_perm_anywhere(self.user, roles.EXPORT)

    # -- rendering helpers used by the template ---------------------------
    @property
    def bound_filters(self) -> list[BoundFilter]:
        return [
            BoundFilter(f, self.values.get(f.name), self._options[f.name])
            for f in self.filters
        ]

    @property
    def rows(self) -> list[list[dict[str, Any]]]:
        """Per row, per column: {"label", "value", "css"} (the label heads the cell
        when a phone shows rows as cards)."""
        assert self.page is not None, "bind() first"
        return [
            [
                {"label": c.label, "value": c.render(obj), "css": c.css}
                for c in self.columns
            ]
            for obj in self.page.object_list
        ]

    @property
    def headers(self) -> list[dict[str, Any]]:
        out = []
        for c in self.columns:
            h: dict[str, Any] = {"label": c.label, "css": c.css, "sort_url": None}
            if c.order_by:
                current = self.sort.lstrip("-") == c.key
                desc = self.sort.startswith("-")
                nxt = f"-{c.key}" if current and not desc else c.key
                h["sort_url"] = "?" + self.querystring(sort=nxt, page=None)
                h["sorted"] = ("desc" if desc else "asc") if current else ""
            out.append(h)
        return out

    @property
    def total(self) -> int:
        assert self.page is not None
        return self.page.paginator.count

    @property
    def is_filtered(self) -> bool:
        return bool(self.values)

    def querystring(self, **changes: Any) -> str:
        q = QueryDict(mutable=True)
        for name, value in self.values.items():
            q[name] = "1" if value is True else str(value)
        if self.per_page != DEFAULT_PAGE_SIZE:
            q["per_page"] = str(self.per_page)
        if self.sort:
            q["sort"] = self.sort
        for k, v in changes.items():
            if v is None:
                q.pop(k, None)
            else:
                q[k] = str(v)
        return q.urlencode()

    @property
    def export_url(self) -> str:
        return "?" + self.querystring(format="xlsx")

    def page_url(self, number: int) -> str:
        return "?" + self.querystring(page=number)

    @property
    def prev_url(self) -> str | None:
        assert self.page is not None
        return (
            self.page_url(self.page.previous_page_number())
            if self.page.has_previous()
            else None
        )

    @property
    def next_url(self) -> str | None:
        assert self.page is not None
        return (
            self.page_url(self.page.next_page_number())
            if self.page.has_next()
            else None
        )

    @property
    def page_links(self) -> list[dict[str, Any]]:
        """Page numbers around the current one, with gaps as None."""
        assert self.page is not None
        n, cur = self.page.paginator.num_pages, self.page.number
        wanted = sorted({1, n, *range(max(1, cur - 2), min(n, cur + 2) + 1)})
        links: list[dict[str, Any]] = []
        prev = 0
        for p in wanted:
            if p - prev > 1:
                links.append({"gap": True})
            links.append({"number": p, "url": self.page_url(p), "current": p == cur})
            prev = p
        return links

    @property
    def page_size_links(self) -> list[dict[str, Any]]:
        return [
            {
                "size": s,
                "url": "?" + self.querystring(per_page=s, page=None),
                "current": s == self.per_page,
            }
            for s in PAGE_SIZES
        ]

    # -- export -----------------------------------------------------------
    def export_response(self) -> HttpResponse:
        """The filtered rows as XLSX, audited. Needs `data.export`."""
        if not self.can_export:
            raise PermissionDenied(_("您没有导出数据的权限"))
        assert self.queryset is not None, "bind() first"
        columns = [c for c in self.columns if c.export]
        rows = [
            [excel_value(c.get_value(obj)) for c in columns]
            for obj in self.queryset[:EXPORT_MAX_ROWS]
        ]
        body = build_xlsx([str(c.label) for c in columns], rows)
        audit_export(
            actor=self.user,
            what=str(self.export_name),
            filters={**self.values, **({"sort": self.sort} if self.sort else {})},
            rows=len(rows),
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        base = str(self.export_title) or (self.export_name or "export").replace(
            ":", "-"
        )
        name = f"{base}-{stamp}.xlsx"
        response = HttpResponse(
            body,
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
        )
        ascii_name = f"{(self.export_name or 'export').replace(':', '-')}-{stamp}.xlsx"
        response["Content-Disposition"] = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
        )
        return response


def neutralise_formula(text: str) -> str:
    """Make a cell that a spreadsheet would evaluate read as plain text."""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def excel_value(value: Any) -> Any:
    """A Python value as an XLSX cell value: numbers and dates stay typed, aware
    datetimes become Asia/Shanghai wall time, text is formula-neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return neutralise_formula(str(value))


def build_xlsx(headers: list[str], rows: list[list[Any]]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def cn_date(value: date | None) -> str:
    """2026年11月25日 (the way dates are written in Chinese documents)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: datetime | None) -> str:
    """2026年11月25日 14:05 in Asia/Shanghai."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default
