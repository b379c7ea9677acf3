"""python manage.py verify_run ID FILE: does FILE, under the run's methodology and region, give the run?"""

from django.core.management.base import BaseCommand, CommandError

from calculations.engine.analytics import AnalyticsError
from calculations.models import Run
from calculations.services import verify_run


class Command(BaseCommand):
    help = "Recompute FILE under run ID's methodology version and region and compare, field by field (exit 1 on mismatch)."

    def add_arguments(self, parser):
        parser.add_argument("run_id", type=int)
        parser.add_argument("file")

    def handle(self, *args, run_id, file, **options):
        run = Run.objects.select_related("methodology_version").filter(pk=run_id).first()
        if run is None:
            raise CommandError(f"No run {run_id}.")
        try:
            with open(file, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            checks = verify_run(run, data, filename=file)
        except AnalyticsError as error:
            self.stderr.write("The file is refused by the parser:\n" + "\n".join(f"  - {i}" for i in error.issues))
            raise SystemExit(1)
        width = max(len(check.field) for check in checks)
        for check in checks:
            mark = "OK      " if check.matches else "MISMATCH"
            self.stdout.write(f"{mark} {check.field:<{width}}  run: {check.stored}  file: {check.recomputed}")
        if all(check.matches for check in checks):
            self.stdout.write(self.style.SUCCESS(f"Run {run.pk} is reproduced by {file}."))
            return
        self.stdout.write(self.style.ERROR(f"Run {run.pk} is NOT reproduced by {file}."))
        raise SystemExit(1)
