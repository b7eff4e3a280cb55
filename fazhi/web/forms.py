"""Forms of the staff site."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The sign-in form, with messages that say what to do in plain Chinese."""

    error_messages = {
        "invalid_login": _(
            "用户名或密码不正确。请注意区分大小写；"
            "连续输错 %(limit)s 次后账号将被暂时锁定。"
        ),
        "inactive": _("该账号已停用，请联系安全管理员。"),
    }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update(
            {"placeholder": _("请输入用户名"), "autocomplete": "username"}
        )
        self.fields["password"].widget.attrs.update(
            {"placeholder": _("请输入密码"), "autocomplete": "current-password"}
        )

    def get_invalid_login_error(self) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )
