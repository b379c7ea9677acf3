from django.apps import AppConfig


class CalculationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "calculations"
    verbose_name = "Calculations"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from calculations.middleware import session_seen_at_login

        user_logged_in.connect(session_seen_at_login, dispatch_uid="calculations.session_seen_at_login")
