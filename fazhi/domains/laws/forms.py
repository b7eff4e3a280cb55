"""The search form: every field optional, every bad value ignored rather
than refused (a citizen's mistyped date should not cost them the results),
but each ignored value is named in `notes()` so the person knows the
results are not filtered the way they asked."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level, Status
from .search import Filters


class SearchForm(forms.Form):
    # No max_length: an over-long query is cut (as the search does anyway),
    # not refused, which would drop it and show nothing.
    q = forms.CharField(label=_("关键词"), required=False)
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

    # How an ignored field is named to the person (the form's "至" alone
    # says nothing out of context).
    NAMES = {
        "level": _("效力层级"),
        "status": _("时效性"),
        "region": _("地区"),
        "issuer": _("制定机关"),
        "date_from": _("公布日期自"),
        "date_to": _("公布日期至"),
        "page": _("页码"),
    }

    def _data(self) -> dict:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        low, high = data.get("date_from"), data.get("date_to")
        if low and high and low > high:
            data["date_from"], data["date_to"] = high, low
        return data

    def values(self) -> tuple[str, Filters, int]:
        data = self._data()
        filters = Filters(
            level=data.get("level") or "",
            status=data.get("status") or "",
            region=(data.get("region") or "").strip(),
            issuer=(data.get("issuer") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        return (data.get("q") or "")[:400], filters, data.get("page") or 1

    def notes(self) -> list[str]:
        """What was ignored or changed, one sentence each, naming the field."""
        self.is_valid()
        out = [
            _("“%(field)s”的值无效，已忽略。") % {"field": self.NAMES.get(name, name)}
            for name in self.errors
        ]
        low, high = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if low and high and low > high:
            out.append(_("“公布日期自”晚于“公布日期至”，已按两个日期之间检索。"))
        return out
