from django.core.management.base import BaseCommand, CommandError

from calculations.engine.config import write_config_dir
from methodology.selectors import VersionNotFound, get_published_version, parameter_set_for
from methodology.translations import with_french_names


class Command(BaseCommand):
    help = "Write published methodology version N as DIR/config.yaml and DIR/config_model.yaml."

    def add_arguments(self, parser):
        parser.add_argument("number", type=int)
        parser.add_argument("directory")

    def handle(self, *args, number, directory, **options):
        try:
            version = get_published_version(number)
        except VersionNotFound as error:
            raise CommandError(str(error)) from None
        write_config_dir(with_french_names(parameter_set_for(version), version), directory)
        self.stdout.write(f"Wrote methodology v{number} to {directory} (sha256 {version.sha256}).")
