from django.core.management.base import BaseCommand

from audit.transfer import export_archive


class Command(BaseCommand):
    help = ("Write the audit archive (docs/audit-trail.md) to FILE: every published methodology version as YAML, "
            "every run with its counts, results and seal, and a manifest of hashes.")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        manifest = export_archive(file)
        head = manifest["head"]
        self.stdout.write(f"Wrote {manifest['entries']} ledger entries to {file}"
                          + (f"; head seal {head['seal']} at position {head['position']}." if head else "."))
