from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fazhi.kernel.audit"
    label = "audit"
    verbose_name = "全过程记录"

    def ready(self) -> None:
        from django.contrib.auth import signals as auth_signals
        from django.db.backends.signals import connection_created

        from . import signals
        from .guard import register_sqlite_functions

        connection_created.connect(
            register_sqlite_functions, dispatch_uid="audit.sqlite_functions"
        )
        auth_signals.user_logged_in.connect(
            signals.on_logged_in, dispatch_uid="audit.logged_in"
        )
        auth_signals.user_logged_out.connect(
            signals.on_logged_out, dispatch_uid="audit.logged_out"
        )
        auth_signals.user_login_failed.connect(
            signals.on_login_failed, dispatch_uid="audit.login_failed"
        )
