from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # Like Django's own permissions: registered indicators become rows as soon
    # as the schema exists, so no deployment step can be forgotten.
    from .services import sync_indicators

    sync_indicators(actor=None)


class IndicatorsConfig(AppConfig):
    name = "fazhi.kernel.indicators"
    label = "indicators"

    def ready(self) -> None:
        post_migrate.connect(
            _sync_after_migrate, sender=self, dispatch_uid="indicators.sync"
        )
