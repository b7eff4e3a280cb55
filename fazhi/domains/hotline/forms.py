"""Forms of the hotline pages. They collect input; every check that matters
is the service's, whose ValidationError is put back on the field."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.web.formkit import MultipleFileField

from . import categories
from .rules import GRADES, MAX_ATTACHMENTS, TEXT_MAX, TicketType, Urgency


def new_token() -> str:
    return uuid.uuid4().hex


class SubmitForm(forms.Form):
    """The citizen's form; the hidden token makes a double click one ticket."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    service_code = forms.ChoiceField(label=_("诉求类别"), choices=categories.CHOICES)
    ticket_type = forms.ChoiceField(
        label=_("诉求类型"), choices=TicketType.choices, initial=TicketType.COMPLAINT
    )
    content = forms.CharField(
        label=_("诉求内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明时间、地点、事情经过和您的诉求（不超过%(n)d字）")
        % {"n": TEXT_MAX},
        max_length=TEXT_MAX,
        error_messages={
            "max_length": _(
                "诉求内容不能超过 %(limit_value)d 个字（现有 %(show_value)d 个字），"
                "请精简后再提交"
            )
        },
    )
    location = forms.CharField(label=_("事发地点"), required=False, max_length=200)
    caller_name = forms.CharField(label=_("姓名"), required=False, max_length=50)
    phone = forms.CharField(
        label=_("联系电话"), help_text=_("查询进度时需要手机号后四位")
    )
    attachments = MultipleFileField(
        label=_("图片或材料"),
        required=False,
        help_text=_("JPG、PNG、PDF，最多%(n)d个，每个不超过10MB")
        % {"n": MAX_ATTACHMENTS},
    )


class OperatorForm(SubmitForm):
    """A call typed in by a centre operator."""

    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)
    area = forms.ChoiceField(label=_("所属区域"), required=False)

    # On a call: what and how urgent, then where, then who.
    field_order = [
        "token",
        "service_code",
        "ticket_type",
        "urgency",
        "content",
        "location",
        "area",
        "caller_name",
        "phone",
        "attachments",
    ]

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area"].choices = [("", _("不确定")), *areas]
        self.fields["caller_name"].label = _("来电人姓名")
        self.fields["phone"].label = _("来电号码")
        self.fields["phone"].help_text = _("回访和短信告知使用；可为带区号的固定电话")
        self.fields["content"].help_text = _("按来电人原意记录时间、地点、经过和诉求")


class TrackForm(forms.Form):
    number = forms.CharField(label=_("工单编号"), max_length=40)
    phone_tail = forms.CharField(label=_("手机号后四位"), max_length=8)


class RateForm(forms.Form):
    grade = forms.TypedChoiceField(
        label=_("评价"),
        coerce=int,
        choices=sorted(GRADES.items(), reverse=True),
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("评价意见"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class DispatchForm(forms.Form):
    agency = forms.ChoiceField(label=_("主办单位"))
    assist = forms.MultipleChoiceField(
        label=_("协办单位"),
        required=False,
        help_text=_("需要其他单位配合时选择，可多选（按住 Ctrl 键点选）；不选则无协办"),
    )
    note = forms.CharField(label=_("派单意见"), required=False, max_length=500)

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        # No agency preselected unless the suggestion names one: a default
        # first option would be dispatched to by mistake.
        self.fields["agency"].choices = [("", _("请选择承办单位")), *targets]
        self.fields["assist"].choices = targets


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("延期（工作日）"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("延期理由"), max_length=500)


class VisitForm(forms.Form):
    reached = forms.BooleanField(
        label=_("已联系上诉求人"), required=False, initial=True
    )
    grade = forms.TypedChoiceField(
        label=_("市民评价"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—"), *sorted(GRADES.items(), reverse=True)],
    )
    note = forms.CharField(label=_("回访记录"), required=False, max_length=1000)
