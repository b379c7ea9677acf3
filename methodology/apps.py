from django.apps import AppConfig


class MethodologyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "methodology"
    verbose_name = "Methodology"
