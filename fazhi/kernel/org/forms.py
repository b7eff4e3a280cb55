"""Forms for the org pages. They only parse input; the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Agency, Membership, ResponsibilityItem
from .roles import role_choices


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "　" * obj.depth + obj.name


class ResponsibilityItemForm(forms.Form):
    code = forms.CharField(label=_("事项编码"), max_length=64)
    name = forms.CharField(label=_("事项名称"), max_length=255)
    item_type = forms.ChoiceField(
        label=_("事项类型"), choices=ResponsibilityItem.ItemType.choices
    )
    legal_basis = forms.CharField(
        label=_("设定依据"), widget=forms.Textarea(attrs={"rows": 3})
    )
    agency = AgencyChoiceField(label=_("实施机关"), queryset=Agency.objects.none())
    # type=date inputs need ISO dates whatever the locale's display format.
    effective_from = forms.DateField(
        label=_("生效日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    effective_to = forms.DateField(
        label=_("失效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, agencies: Any, editing: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = agencies
        if editing:
            self.fields["code"].disabled = True


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSX 文件"),
        help_text=_(
            "列：事项编码、事项名称、事项类型、设定依据、实施机关代码、实施机关、生效日期、失效日期"
        ),
    )
    dry_run = forms.BooleanField(
        label=_("仅校验，不写入"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 10 MB"))
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 文件"))
        return f


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=64)
    phone = forms.CharField(label=_("手机号"), max_length=16, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput)


class GrantForm(forms.Form):
    agency = AgencyChoiceField(label=_("机构"), queryset=Agency.objects.all())
    role = forms.ChoiceField(label=_("角色"), choices=role_choices)
    scope = forms.ChoiceField(label=_("权限范围"), choices=Membership.Scope.choices)
