from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "fazhi.kernel.indicators"
    label = "indicators"
