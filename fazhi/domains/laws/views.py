"""Pages: the public search and reading view, and the staff search."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fazhi.kernel.org.policy import has_perm_anywhere
from fazhi.kernel.org.roles import CASE_VIEW

from . import queries
from .forms import SearchForm
from .search import search


def _search_context(request: HttpRequest) -> dict[str, object]:
    form = SearchForm(request.GET or None)
    q, filters, page_no = form.values() if request.GET else ("", None, 1)
    notes = form.notes() if request.GET else []
    exact = request.GET.get("exact") == "1"
    page = search(q, filters=filters, page=page_no, exact=exact) if q.strip() else None
    if page is not None and page.total and page.page > page.pages:
        # A page past the end (an old link, a hand-edited URL) showed "找到 300
        # 条结果" over "没有找到相关法规": show the last page instead.
        page = search(q, filters=filters, page=page.pages, exact=exact)
    if page is None and filters is not None and filters.active:
        page = queries.documents_browse(filters, page=page_no)
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "form": form,
        "page": page,
        "choices": queries.filter_choices(),
        "base_query": urlencode(list(params.lists()), doseq=True),
        "searched": page is not None,
        "notes": notes,
    }


def portal_search(request: HttpRequest) -> HttpResponse:
    return render(request, "laws/portal_search.html", _search_context(request))


def portal_document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = queries.document_get(pk)
    on_text = request.GET.get("on", "").strip()[:40]
    on: date | None = None
    on_error = ""
    if on_text:
        try:
            on = date.fromisoformat(on_text)
        except ValueError:
            on_error = _(
                "“查看某日有效的版本”的日期应写作 YYYY-MM-DD，例如 2020-06-01。"
            )
    # Which text applied on that day: another version is a redirect; this
    # one is said so on the page; none (the day is before every version's
    # start) is said too, not left to look like an answer.
    on_version = queries.version_in_force(doc, on) if on else None
    if on_version is not None and on_version.pk != doc.pk:
        return redirect(f"{request.path.rsplit('/', 2)[0]}/{on_version.pk}/?on={on}")
    articles = queries.document_articles(doc)
    versions = queries.document_versions(doc)
    return render(
        request,
        "laws/document.html",
        {
            "doc": doc,
            "blocks": queries.reading_blocks(articles),
            "toc": queries.table_of_contents(articles),
            "versions": versions,
            "newer": queries.newer_version(doc, versions),
            "relations": queries.document_relations(doc),
            "on": on_text,
            "on_date": on,
            "on_found": on_version is not None,
            "on_error": on_error,
            "back_url": _back_to_search(request),
        },
    )


def _back_to_search(request: HttpRequest) -> str:
    """The search the reader came from, with its query and filters, when the
    referring page is one of our two search pages; else the plain portal
    search. (The back link used to drop the search.)"""
    plain = reverse("laws:portal_search")
    ref = urlsplit(request.META.get("HTTP_REFERER", ""))
    searches = {plain, reverse("laws_staff:search")}
    if ref.netloc == request.get_host() and ref.path in searches and ref.query:
        return f"{ref.path}?{ref.query}"
    return plain


@login_required
def staff_search(request: HttpRequest) -> HttpResponse:
    if not has_perm_anywhere(request.user, CASE_VIEW):
        raise PermissionDenied(
            _("您没有使用法规库工作台的权限。公开的法规查询在 /laws/，人人可用。")
        )
    context = _search_context(request)
    context["stats"] = queries.corpus_stats()
    return render(request, "laws/staff_search.html", context)
