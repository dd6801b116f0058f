from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "minwon.office"
    label = "office"
