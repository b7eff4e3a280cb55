"""Pages: the public search and reading view, and the staff search."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
    page = search(q, filters=filters, page=page_no) if q.strip() else None
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "form": form,
        "page": page,
        "choices": queries.filter_choices(),
        "base_query": urlencode(list(params.lists()), doseq=True),
        "searched": bool(q.strip()),
    }


def portal_search(request: HttpRequest) -> HttpResponse:
    return render(request, "laws/portal_search.html", _search_context(request))


def portal_document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = queries.document_get(pk)
    on_text = request.GET.get("on", "")
    if on_text:
        try:
            on = date.fromisoformat(on_text)
        except ValueError:
            on = None
        version = queries.version_in_force(doc, on) if on else None
        if version is not None and version.pk != doc.pk:
            return redirect(f"{request.path.rsplit('/', 2)[0]}/{version.pk}/?on={on}")
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
        },
    )


@login_required
def staff_search(request: HttpRequest) -> HttpResponse:
    if not has_perm_anywhere(request.user, CASE_VIEW):
        raise PermissionDenied(_("您没有使用法规库的权限。"))
    context = _search_context(request)
    context["stats"] = queries.corpus_stats()
    return render(request, "laws/staff_search.html", context)
