from django.core.management.base import BaseCommand, CommandError

from audit.archive import Archive, ArchiveError, verify_archive


class Command(BaseCommand):
    help = ("Check an audit archive with no database: every file's hash, every methodology version's hash, "
            "every seal and the chain, and every run recomputed by the engine from its counts.")
    requires_system_checks = []  # touches no database: it runs on an auditor's machine with none

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            with Archive(file) as archive:
                problems, entries = verify_archive(archive)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"The archive does not verify: {len(problems)} problem(s) in {entries} entries.")
        self.stdout.write(f"Archive verified: {entries} entries, every seal and every run reproduced.")
