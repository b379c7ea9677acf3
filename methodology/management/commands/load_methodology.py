from django.core.management.base import BaseCommand, CommandError

from calculations.engine.config import ConfigError
from methodology.services import PublishError, load_methodology


class Command(BaseCommand):
    help = "Create and publish a methodology version from DIR/config.yaml and DIR/config_model.yaml, " \
           "unless the latest version already has the same hash."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--label", default="")

    def handle(self, *args, directory, label, **options):
        try:
            version, created = load_methodology(directory, label=label)
        except ConfigError as error:
            raise CommandError(f"Invalid methodology:\n{error}") from None
        except PublishError as error:
            issues = "".join(f"\n  - {issue.path}: {issue.reason}" for issue in error.issues)
            raise CommandError(f"{error}{issues}") from None
        if created:
            self.stdout.write(self.style.SUCCESS(f"Published methodology v{version.number} (sha256 {version.sha256})."))
        else:
            self.stdout.write(f"Methodology v{version.number} already has this content (sha256 {version.sha256}); nothing to do.")
