"""The search form: every field optional, every bad value ignored rather
than refused (a citizen's mistyped date should not cost them the results)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level, Status
from .search import Filters


class SearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=400)
    level = forms.ChoiceField(
        label=_("效力层级"), required=False, choices=[("", _("全部")), *Level.choices]
    )
    status = forms.ChoiceField(
        label=_("时效性"),
        required=False,
        choices=[("", _("全部"))] + [c for c in Status.choices if c[0]],
    )
    region = forms.CharField(label=_("地区"), required=False, max_length=50)
    issuer = forms.CharField(label=_("制定机关"), required=False, max_length=100)
    date_from = forms.DateField(label=_("公布日期自"), required=False)
    date_to = forms.DateField(label=_("至"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=1000)

    def values(self) -> tuple[str, Filters, int]:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        filters = Filters(
            level=data.get("level") or "",
            status=data.get("status") or "",
            region=(data.get("region") or "").strip(),
            issuer=(data.get("issuer") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        return data.get("q") or "", filters, data.get("page") or 1
