from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "fazhi.domains.hotline"
    label = "hotline"
    verbose_name = _("12345政务服务便民热线")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .indicators import register_hotline_indicators
        from .roles import register_hotline_roles
        from .workflow import register_case_type

        register_case_type()
        register_hotline_indicators()
        # The centre's 话务派单员 is a role of its own (roles.py); agency
        # handlers no longer carry hotline.dispatch.
        register_hotline_roles()
