from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "fazhi.demo"
    label = "demo"

    def ready(self) -> None:
        from .workflow import register_demo_case_type

        register_demo_case_type()
