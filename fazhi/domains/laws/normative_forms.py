"""Forms of the normative-document pages; the services validate the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.kernel.deadlines.rules import get_rule

from .models import Disposition, NormativeDocument, NormativeOpinion
from .services.normative import LEGALITY_RULE

Verdict = NormativeOpinion.Verdict
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegisterForm(forms.Form):
    agency = forms.ChoiceField(label=_("起草（制定）机关"))
    title = forms.CharField(label=_("文件名称"), max_length=300)
    doc_number = forms.CharField(label=_("拟用文号"), max_length=100, required=False)
    summary = forms.CharField(
        label=_("起草说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    text = forms.CharField(
        label=_("草案正文"), widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args, agencies=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = list(agencies)


class DayForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE)


def _review_days_field(required: bool) -> forms.IntegerField:
    return forms.IntegerField(label=_("合法性审核期限（工作日）"), required=required)


class _ReviewDaysMixin:
    """The range comes from the kernel rule (the service checks it and names
    the field); the widget only tells the browser."""

    def _range(self) -> None:
        rule = get_rule(LEGALITY_RULE)
        low, high = rule.min_days or 1, rule.max_days or rule.days
        field = self.fields["review_days"]  # type: ignore[attr-defined]
        field.widget.attrs.update({"min": low, "max": high})
        field.help_text = _(
            "可在%(low)d至%(high)d个工作日内确定（%(basis)s）；不填按%(days)d个工作日"
        ) % {"low": low, "high": high, "basis": rule.citation, "days": rule.days}


class SubmitReviewForm(_ReviewDaysMixin, DayForm):
    review_days = _review_days_field(required=False)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._range()


class ReviewPeriodForm(_ReviewDaysMixin, forms.Form):
    review_days = _review_days_field(required=True)
    reason = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._range()


class NoteForm(DayForm):
    text = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RequiredNoteForm(DayForm):
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}))


class LegalityForm(DayForm):
    verdict = forms.ChoiceField(
        label=_("审核意见"),
        choices=[
            (Verdict.LAWFUL.value, Verdict.LAWFUL.label),
            (Verdict.REVISE.value, Verdict.REVISE.label),
            (Verdict.RETURN.value, Verdict.RETURN.label),
        ],
    )
    text = forms.CharField(
        label=_("审核意见书内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("修改后出台、退回修改的，应写明问题和依据。"),
    )


class ReviseForm(forms.Form):
    title = forms.CharField(label=_("文件名称"), max_length=300)
    summary = forms.CharField(
        label=_("起草说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    text = forms.CharField(
        label=_("草案正文"), widget=forms.Textarea(attrs={"rows": 8})
    )


class PublishForm(forms.Form):
    title = forms.CharField(
        label=_("公布的文件名称"),
        max_length=300,
        required=False,
        help_text=_("不带“（草案）”等草案标记；空缺为草案名称去掉草案标记"),
    )
    doc_number = forms.CharField(label=_("文号"), max_length=100)
    published_on = forms.DateField(label=_("公布日期"), widget=DATE)
    effective_on = forms.DateField(
        label=_("施行日期"), required=False, widget=DATE, help_text=_("空缺为公布之日")
    )
    expires_on = forms.DateField(
        label=_("有效期至"), widget=DATE, help_text=_("有效期一般不超过5年")
    )


class FaultForm(RequiredNoteForm):
    result = forms.ChoiceField(
        label=_("审查结论"),
        choices=[
            (v.value, v.label)
            for v in (
                NormativeDocument.FilingResult.UNLAWFUL,
                NormativeDocument.FilingResult.INAPPROPRIATE,
            )
        ],
    )


class CorrectForm(RequiredNoteForm):
    method = forms.ChoiceField(
        label=_("纠正方式"), choices=NormativeDocument.Correction.choices
    )
    new_text = forms.CharField(
        label=_("修改后的正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("纠正方式为“修改”时必填，将同步更新法规查询平台。"),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), max_length=500)


_DISPOSITIONS = [(d.value, d.label) for d in Disposition if d != Disposition.PENDING]


class EvaluationForm(forms.Form):
    evaluated_on = forms.DateField(label=_("评估日期"), widget=DATE)
    conclusion = forms.ChoiceField(label=_("评估结论"), choices=_DISPOSITIONS)
    summary = forms.CharField(
        label=_("评估报告摘要"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CampaignForm(forms.Form):
    agency = forms.ChoiceField(label=_("组织机关"))
    name = forms.CharField(label=_("清理名称"), max_length=200)
    basis = forms.CharField(label=_("清理依据"), max_length=300, required=False)
    due_on = forms.DateField(label=_("完成时限"), widget=DATE)

    def __init__(self, *args, agencies=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = list(agencies)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("清理意见"), choices=_DISPOSITIONS)
    note = forms.CharField(
        label=_("理由"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("修改、废止的应写明理由")}),
    )
