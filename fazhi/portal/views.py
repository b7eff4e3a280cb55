"""The public portal: no sign-in, mobile first."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fazhi.web.nav import route_exists


@dataclass(frozen=True)
class Entry:
    key: str
    title: str | Promise
    desc: str | Promise
    icon: str
    # URL names to try, then paths; the first that exists is linked. Until a
    # domain app provides one, the card shows "即将开放" and links nowhere.
    url_names: tuple[str, ...]
    paths: tuple[str, ...]

    def url(self) -> str | None:
        for name in self.url_names:
            try:
                return reverse(name)
            except NoReverseMatch:
                continue
        for p in self.paths:
            if route_exists(p):
                return p
        return None


ENTRIES = (
    Entry(
        "12345",
        _("12345 诉求"),
        _("咨询、求助、投诉、举报、建议，一号受理，限时办结"),
        "phone",
        ("hotline:portal_submit", "hotline:portal_index"),
        ("/hotline/", "/12345/"),
    ),
    Entry(
        "disclosure",
        _("政府信息公开申请"),
        _("依申请公开政府信息，在线提交、全程可查"),
        "doc",
        ("disclosure:portal_apply", "disclosure:portal_index"),
        ("/disclosure/",),
    ),
    Entry(
        "laws",
        _("法规查询"),
        _("地方性法规、政府规章和行政规范性文件统一查询"),
        "book",
        ("laws:portal_search", "laws:portal_index"),
        ("/laws/",),
    ),
    Entry(
        "report",
        _("法治政府建设年度报告"),
        _("每年4月1日前公开上一年度法治政府建设情况"),
        "doc",
        ("plan_portal:reports",),
        ("/fazhi-baogao/",),
    ),
    Entry(
        "track",
        _("进度查询"),
        _("凭受理编号和查询码查看办理进度与答复"),
        "track",
        ("portal:track", "hotline:portal_track"),
        ("/track/",),
    ),
)

SITE_DEFAULTS: dict[str, Any] = {
    "name": _("黄石市法治政府建设"),
    "owner": _("黄石市人民政府"),
    "operator": _("黄石市司法局"),
    "site_code": "4202000001",
    "icp": "鄂ICP备00000000号",
    "police": "鄂公网安备 42020002000000号",
    "phone": "12345",
    "demo": True,
}


def site_info() -> dict[str, Any]:
    """Identification shown in the footer; FAZHI_SITE in settings overrides it."""
    return {**SITE_DEFAULTS, **getattr(settings, "FAZHI_SITE", {})}


def index(request: HttpRequest) -> HttpResponse:
    entries = [{"entry": e, "url": e.url()} for e in ENTRIES]
    return render(request, "portal/index.html", {"entries": entries})


def responsibility_list(request: HttpRequest) -> HttpResponse:
    """权责清单公示: every agency's current list, searchable in either script."""
    from django.core.paginator import Paginator

    from fazhi.kernel.deadlines.calendar import today
    from fazhi.kernel.org.models import Agency, ResponsibilityItem
    from fazhi.kernel.org.queries import public_responsibility_items

    q = request.GET.get("q", "").strip()[:50]
    item_type = request.GET.get("type", "")
    if item_type not in ResponsibilityItem.ItemType.values:
        item_type = ""
    agency_code = request.GET.get("agency", "")
    items = public_responsibility_items(
        q=q, item_type=item_type, agency_code=agency_code, on_date=today()
    )
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    agencies = (
        Agency.objects.filter(responsibility_items__is_current=True)
        .distinct()
        .order_by("path")
    )
    return render(
        request,
        "portal/responsibility_list.html",
        {
            "page": page,
            "q": q,
            "item_type": item_type,
            "agency_code": agency_code,
            "types": ResponsibilityItem.ItemType.choices,
            "agencies": agencies,
        },
    )
