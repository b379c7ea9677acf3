import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

EDITORS_GROUP = "Methodology editors"


class Command(BaseCommand):
    help = "Create an 'admin' superuser with a generated password when no superuser exists (printed once)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin account already exists; its password is the one printed when it was created.")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username=username, email="", password=password)
        user.groups.add(*Group.objects.filter(name=EDITORS_GROUP))
        self.stdout.write(self.style.SUCCESS(
            f"Created the admin account.\n  username: {username}\n  password: {password}\n"
            "Write the password down: it is shown only this once (change it in /admin/)."
        ))
