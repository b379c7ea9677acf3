from django.core.management.base import BaseCommand, CommandError

from audit.verification import verify_ledger


class Command(BaseCommand):
    help = ("Check every seal and the chain of the ledger and recompute every run from its stored counts; "
            "exit 0 when all holds, else name each run or version altered, deleted or inserted.")

    def add_arguments(self, parser):
        parser.add_argument("--no-record", action="store_true",
                            help="Do not record this check (the admin shows the last recorded one).")

    def handle(self, *args, no_record: bool = False, **options):
        problems, entries = verify_ledger(record=not no_record)
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"The ledger does not hold: {len(problems)} problem(s) in {entries} entries.")
        self.stdout.write(f"Ledger intact: {entries} entries, every seal and every run reproduced.")
