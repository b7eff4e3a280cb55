"""The event search form of the audit administrator's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EventSearchForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), max_length=150, required=False)
    action = forms.CharField(label=_("操作"), max_length=64, required=False)
    record_type = forms.CharField(label=_("记录类型"), max_length=64, required=False)
    record_id = forms.CharField(label=_("记录编号"), max_length=64, required=False)
    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data
