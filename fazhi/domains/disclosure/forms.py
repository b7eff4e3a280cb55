"""Forms of the disclosure pages. They collect input; every check that
matters is the service's, whose ValidationError is put back on the field."""

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from fazhi.kernel.deadlines.rules import get_rule
from fazhi.kernel.textzh import ID_DOCUMENT_TYPES
from fazhi.web.formkit import MultipleFileField

from . import categories as cat
from .models import Consultation, Delivery, FeeNotice
from .rules import CHANNEL_CHOICES, CORRECTION_RULE, unused_date_fields

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplyForm(forms.Form):
    agency = forms.ChoiceField(label=_("受理机关"))
    applicant_type = forms.ChoiceField(
        label=_("申请人类型"), choices=cat.APPLICANT_TYPES
    )
    applicant_name = forms.CharField(label=_("姓名或名称"), max_length=100)
    id_type = forms.ChoiceField(
        label=_("证件类型"),
        required=False,
        choices=ID_DOCUMENT_TYPES,
        initial="resident_id",
        help_text=_("自然人填写；港澳台居民和外国人可用通行证、护照等"),
    )
    id_number = forms.CharField(
        label=_("证件号码"), required=False, help_text=_("自然人填写")
    )
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), required=False, help_text=_("法人或其他组织填写")
    )
    legal_rep = forms.CharField(label=_("法定代表人或负责人"), required=False)
    contact_name = forms.CharField(label=_("联系人"), required=False)
    phone = forms.CharField(
        label=_("联系电话"), help_text=_("查询进度时需要手机号后四位")
    )
    email = forms.CharField(label=_("电子邮箱"), required=False)
    address = forms.CharField(label=_("通信地址"), required=False)
    content = forms.CharField(
        label=_("所需政府信息的名称、文号或者便于查询的其他特征性描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    provision_form = forms.ChoiceField(
        label=_("提供形式"),
        required=False,
        choices=[("纸质", _("纸质")), ("电子文档", _("电子文档"))],
    )
    obtain_method = forms.ChoiceField(
        label=_("获取方式"),
        required=False,
        choices=[
            ("邮寄", _("邮寄")),
            ("电子邮件", _("电子邮件")),
            ("当面领取", _("当面领取")),
            ("在线查看", _("在线查看")),
        ],
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("身份证明等，最多5个，每个不超过10MB，PDF、JPG、PNG、DOCX、OFD"),
    )

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("请选择")), *agencies]


class StaffApplyForm(ApplyForm):
    channel = forms.ChoiceField(label=_("提交渠道"), choices=CHANNEL_CHOICES)
    submitted_on = forms.DateField(label=_("提交日期"), widget=DATE)
    signed_on = forms.DateField(
        label=_("签收日期"),
        required=False,
        widget=DATE,
        help_text=_("挂号信、快递等需签收的邮件"),
    )
    confirmed_on = forms.DateField(
        label=_("确认日期"),
        required=False,
        widget=DATE,
        help_text=_("平常信函、传真、网络：与申请人确认收到之日"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The page hides the dates the chosen channel does not use (art. 31);
        # one typed before the channel was changed is not sent on unseen.
        for name in unused_date_fields(data.get("channel", "")):
            data[name] = None
        return data


class ReceiveForm(forms.Form):
    signed_on = forms.DateField(label=_("签收日期"), required=False, widget=DATE)
    confirmed_on = forms.DateField(label=_("确认日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, channel: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the date this channel's receipt is fixed by (art. 31); at the
        # counter the submission day already is the receipt day.
        if channel:
            for name in unused_date_fields(channel):
                del self.fields[name]


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("需要补正的事项"), widget=forms.Textarea(attrs={"rows": 3})
    )
    days = forms.IntegerField(
        label=_("申请人补正期限（工作日）"),
        help_text=_(
            "申请人收到告知后补正的期限，由本机关合理确定（第三十条）；"
            "与“收到申请后7个工作日内一次性告知补正”不是同一期限"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The default and the range come from the rule (a city may set them).
        rule = get_rule(CORRECTION_RULE)
        low, high = rule.min_days or 1, rule.max_days or rule.days
        field = self.fields["days"]
        field.initial = rule.days
        field.widget.attrs.update({"min": low, "max": high})
        field.validators = [MinValueValidator(low), MaxValueValidator(high)]


class CorrectionReceivedForm(forms.Form):
    received_on = forms.DateField(label=_("收到补正日期"), widget=DATE)
    # The 补正 adds to or corrects the request; the original stays on record
    # and the letters quote both, so only what the applicant supplied is typed.
    text = forms.CharField(
        label=_("补正内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "只填写申请人补充或更正的部分（如“所需信息时间范围为2026年1月至11月”），"
            "无需重复原申请内容，文书中将一并引述；申请人已在线补正的，此处显示其补正，可修改"
        ),
    )


class ConsultForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("征求对象"),
        choices=Consultation.Kind.choices,
        help_text=_(
            "第三方：涉及商业秘密、个人隐私（第三十二条）；"
            "共同制作机关：两个以上机关共同制作的信息（第三十四条）"
        ),
    )
    third_party = forms.CharField(label=_("征求对象名称"), max_length=200)
    sent_on = forms.DateField(
        label=_("送达日期"),
        widget=DATE,
        help_text=_(
            "对方收到征求意见书之日，15个工作日自此计算（第三十二条、第三十四条）"
        ),
    )


class ConsultDoneForm(forms.Form):
    answered_on = forms.DateField(label=_("收到意见日期"), widget=DATE)
    opinion = forms.CharField(
        label=_("第三方意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FeeForm(forms.Form):
    method = forms.ChoiceField(label=_("计收方式"), choices=FeeNotice.Method.choices)
    quantity = forms.IntegerField(
        label=_("件数或页数"),
        min_value=1,
        help_text=_(
            "按件计收：该申请人本月向本机关提出的第几件申请（系统已按登记记录预填）；"
            "按量计收：本申请提供信息的页数"
        ),
    )
    reason = forms.CharField(
        label=_("收费理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("申请数量、频次明显超过合理范围的情况（第四十二条）"),
    )
    pay_by = forms.CharField(
        label=_("缴纳方式"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_(
            "凭本通知书到本机关政府信息公开工作机构开具非税收入缴款书，通过银行柜台或湖北省非税收入网上缴款渠道缴纳。"
        ),
    )


class FeePaidForm(forms.Form):
    paid_on = forms.DateField(label=_("缴费日期"), widget=DATE)


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("延期理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("写明需要延长的原因；批准人即当前登录的负责人，由系统记录"),
    )
    days = forms.IntegerField(
        label=_("延长工作日"), initial=20, min_value=1, max_value=20
    )


class ReplyForm(forms.Form):
    result_code = forms.ChoiceField(label=_("答复类型"), choices=cat.REPLY_CHOICES)
    doc_number = forms.CharField(label=_("文号"), required=False, max_length=60)
    body = forms.CharField(
        label=_("答复正文或理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    replied_on = forms.DateField(label=_("答复日期"), widget=DATE)
    files = MultipleFileField(
        label=_("提供的政府信息（附件）"),
        required=False,
        help_text=_("申请人可在门户下载；最多5个，每个不超过10MB"),
    )


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label=_("送达方式"), choices=Delivery.Method.choices)
    delivered_on = forms.DateField(label=_("送达日期"), widget=DATE)
    reference = forms.CharField(label=_("邮件号或回执"), required=False, max_length=100)


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=cat.FOLLOWUP_KINDS)
    number = forms.CharField(label=_("案号"), max_length=80)
    filed_on = forms.DateField(label=_("申请或立案日期"), widget=DATE)


class SettleForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("结果"),
        choices=[(k, v) for k, v in cat.OUTCOMES if k != cat.PENDING],
    )
    outcome_on = forms.DateField(label=_("结果日期"), widget=DATE)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class TrackForm(forms.Form):
    number = forms.CharField(label=_("受理编号"), max_length=40)
    phone_tail = forms.CharField(
        label=_("手机号后四位"),
        min_length=4,
        max_length=4,
        help_text=_("申请时填写的联系电话的后四位"),
    )


class PublicCorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("补正内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_(
            "按补正告知的要求，填写需要补充或更正的内容；原申请内容保留，无需重复填写"
        ),
    )
    attachments = MultipleFileField(
        label=_("补充材料"),
        required=False,
        help_text=_("可选；PDF、JPG、PNG、DOCX、OFD，每个不超过10MB"),
    )


class AttachForm(forms.Form):
    attachments = MultipleFileField(label=_("附件"))
    for_applicant = forms.BooleanField(
        label=_("作为答复附件提供给申请人（申请人可在门户下载）"), required=False
    )


# -- proactive disclosure ------------------------------------------------------


class EntryForm(forms.Form):
    name = forms.CharField(label=_("目录类别"), max_length=100)
    focus = forms.ChoiceField(label=_("重点领域"), choices=cat.FOCUS_AREAS)
    basis = forms.CharField(label=_("公开依据"), required=False, max_length=200)
    review_on = forms.DateField(label=_("下次审核日期"), widget=DATE)


class ReviewForm(forms.Form):
    next_review_on = forms.DateField(label=_("下次审核日期"), widget=DATE)
    keep = forms.BooleanField(label=_("继续保留该类别"), required=False, initial=True)


class ItemForm(forms.Form):
    entry = forms.ChoiceField(label=_("目录类别"))
    title = forms.CharField(label=_("标题"), max_length=200)
    doc_number = forms.CharField(label=_("文号"), required=False, max_length=60)
    formed_on = forms.DateField(label=_("形成或变更日期"), widget=DATE)
    body = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, entries: list[tuple[int, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["entry"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(k), v) for k, v in entries]
