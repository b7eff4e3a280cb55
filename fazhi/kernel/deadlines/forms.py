from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarUploadForm(forms.Form):
    file = forms.FileField(
        label=_("年度节假日安排文件（JSON）"),
        help_text=_(
            "按国务院办公厅当年通知整理，格式见页面说明；载入会替换该年度已有数据。"
        ),
    )
