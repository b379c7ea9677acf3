from django.core.management.base import BaseCommand, CommandError

from audit.archive import ArchiveError
from audit.transfer import RestoreRefused, restore_archive


class Command(BaseCommand):
    help = ("Restore an audit archive into an empty database (disaster recovery): it is verified first, "
            "then every methodology version, run and ledger entry is recreated as it was.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            count = restore_archive(file)
        except (RestoreRefused, ArchiveError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {count} ledger entries from {file}. Check them with: manage.py verify_ledger")
