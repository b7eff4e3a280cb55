from django.apps import AppConfig


class TextzhConfig(AppConfig):
    name = "fazhi.kernel.textzh"
    label = "textzh"
