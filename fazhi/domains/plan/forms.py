"""Forms of the plan pages. They shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.kernel.org.models import Agency
from fazhi.web.formkit import MultipleFileField

from .models import Assignment, Target
from .rules import EVIDENCE_MAX_FILES

# <input type=date> takes only ISO dates; the locale format would show blank.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("方案文件"),
        help_text=_("纯文本（.txt），UTF-8 或 GBK 编码，简体或繁体均可"),
    )
    title = forms.CharField(
        label=_("方案名称"),
        required=False,
        max_length=255,
        help_text=_("文件没有标题行时使用；留空则用文件名"),
    )


class NodeEditForm(forms.Form):
    number = forms.CharField(label=_("序号"), max_length=16, required=False)
    title = forms.CharField(label=_("标题"), max_length=255)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 6}))
    note = forms.CharField(label=_("修改说明"), max_length=255, required=False)


class NodeSplitForm(forms.Form):
    first_title = forms.CharField(label=_("第一部分标题"), max_length=255)
    first_text = forms.CharField(
        label=_("第一部分内容"), widget=forms.Textarea(attrs={"rows": 4})
    )
    second_title = forms.CharField(label=_("第二部分标题"), max_length=255)
    second_text = forms.CharField(
        label=_("第二部分内容"), widget=forms.Textarea(attrs={"rows": 4})
    )
    note = forms.CharField(label=_("拆分说明"), max_length=255, required=False)


class NodeMergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("合并到"), queryset=None)  # type: ignore[arg-type]
    note = forms.CharField(label=_("合并说明"), max_length=255, required=False)

    def __init__(self, *args: Any, choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = choices  # type: ignore[attr-defined]
        self.fields["into"].label_from_instance = lambda n: n.label  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("责任单位"), queryset=None)  # type: ignore[arg-type]
    role = forms.ChoiceField(label=_("责任"), choices=Assignment.Role.choices)

    def __init__(self, *args: Any, owner: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            path__startswith=owner.path, is_active=True
        ).order_by("path")


class MilestoneForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("责任单位"), queryset=None)  # type: ignore[arg-type]
    title = forms.CharField(label=_("节点任务"), max_length=200)
    due_date = forms.DateField(label=_("完成时限"), widget=DATE)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = units  # type: ignore[attr-defined]


class TargetForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Target.Kind.choices)
    comparator = forms.ChoiceField(
        label=_("比较"),
        choices=[
            (">=", _("不低于")),
            ("<=", _("不高于")),
            ("=", _("等于")),
            ("by", _("按期完成")),
        ],
    )
    value = forms.CharField(label=_("目标值"), required=False, max_length=20)
    unit = forms.CharField(label=_("单位"), required=False, max_length=16)
    period = forms.ChoiceField(
        label=_("周期"),
        required=False,
        choices=[
            ("", _("不限")),
            ("year", _("每年")),
            ("term", _("任期内")),
            ("plan", _("方案期内")),
        ],
    )
    subject = forms.CharField(label=_("考核内容"), max_length=255)


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("进展情况"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    progress = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    files = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        help_text=_("PDF、OFD、Word、Excel、JPG、PNG，最多%(n)d个，每个不超过20MB")
        % {"n": EVIDENCE_MAX_FILES},
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[
            ("accept", _("通过（继续推进）")),
            ("complete", _("通过（任务已完成）")),
            ("send_back", _("退回")),
        ],
        widget=forms.RadioSelect,
    )
    score = forms.IntegerField(
        label=_("评分"), min_value=0, max_value=100, required=False
    )
    note = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必填"),
    )


class SupervisionForm(forms.Form):
    problem = forms.CharField(
        label=_("督办事由"), widget=forms.Textarea(attrs={"rows": 3})
    )
    requirement = forms.CharField(
        label=_("督办要求"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_("切实加快工作进度，逐项落实方案任务，确保按期完成。"),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 4})
    )


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("督察名称"), max_length=255)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("督察日期"), widget=DATE)
    summary = forms.CharField(
        label=_("督察情况"), widget=forms.Textarea(attrs={"rows": 3})
    )
    finding = forms.CharField(
        label=_("发现问题（可选，每行一条，逐条生成整改任务）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportTextsForm(forms.Form):
    # In the order of the report: 三、不足 四、第一责任人 五、下一年度安排.
    shortcomings = forms.CharField(
        label=_("存在的不足和原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    leaders_duties = forms.CharField(
        label=_("党政主要负责人履行推进法治建设第一责任人职责情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    next_year_plan = forms.CharField(
        label=_("下一年度推进法治政府建设的主要安排"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
