"""python manage.py compute_energy FILE [--region R] [--methodology-dir DIR | --version N] [--format table|json]"""

import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from calculations.engine.analytics import AnalyticsError
from calculations.engine.config import ConfigError, load_config_dir
from calculations.engine.pipeline import UnknownRegion, evaluate
from calculations.reporting import format_table


class Command(BaseCommand):
    help = "Compute the energy and carbon of an analytics file (FILE, or - for standard input)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version means the methodology version here, not Django's version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="analytics file (YAML, JSON, CSV or a real export), or - for stdin")
        parser.add_argument("--region", help="region code (default: the methodology's default region)")
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--methodology-dir", help="read config.yaml and config_model.yaml from DIR (no database)")
        source.add_argument("--version", type=int, dest="version_number",
                            help="published methodology version number (default: the latest)")
        parser.add_argument("--profile", help="usage profile for reports that carry no model (OpenAI ungrouped)")
        parser.add_argument("--unknown-models", choices=["generic"], dest="unknown_models",
                            help="generic: models of a usage report that no alias matches count as the usage "
                                 "profile 'generic' (refused when the version has none)")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument("--save", action="store_true", help="save the run (database methodology only)")
        parser.add_argument("--label", default="", help="label of the saved run")
        parser.add_argument("--project", default="", help="code of the project the saved run is filed under "
                                                          "(default: the default project)")

    def handle(self, *args, **options):
        if options["label"] and not options["save"]:  # honoured or refused, never ignored (issue 15.4)
            raise CommandError("--label names a saved run: add --save, or leave --label out.")
        if options["project"] and not options["save"]:
            raise CommandError("--project files a saved run: add --save, or leave --project out.")
        filename = None if options["file"] == "-" else options["file"]
        try:
            data = sys.stdin.buffer.read() if filename is None else open(filename, "rb").read()
        except OSError as error:
            raise CommandError(f"Cannot read {filename}: {error.strerror}") from None
        try:
            if options["methodology_dir"]:
                if options["save"]:
                    raise CommandError("--save needs a published methodology version, not --methodology-dir.")
                parameters = load_config_dir(options["methodology_dir"])
                document = evaluate(data, parameters, region=options["region"], profile=options["profile"],
                                    filename=filename, draws=settings.UNCERTAINTY_DRAWS,
                                    unknown_models=options["unknown_models"])
            else:
                document = self._evaluate_from_database(data, filename, options)
        except AnalyticsError as error:
            raise CommandError("The analytics were refused:\n" + "\n".join(f"  - {issue}" for issue in error.issues))
        except (ConfigError, UnknownRegion) as error:
            raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(document, indent=2))
        else:
            self.stdout.write(format_table(document))

    def _evaluate_from_database(self, data, filename, options):
        from calculations.models import RunSource
        from calculations.services import InvalidOption, evaluate_upload, resolve_project, save_run
        from calculations.selectors import run_document

        try:
            project = resolve_project(options["project"]) if options["save"] else None
            evaluation = evaluate_upload(data, version_number=options["version_number"], region=options["region"],
                                         profile=options["profile"], filename=filename,
                                         unknown_models=options["unknown_models"])
        except InvalidOption as error:
            raise CommandError(f"--{error.field}: {error}") from None
        if not options["save"]:
            return evaluation.document()
        run = save_run(evaluation, user=None, source=RunSource.CLI, label=options["label"],
                       profile_option=options["profile"] or "", project=project)
        self.stderr.write(f"Saved run {run.pk} in project {run.project.code}.")
        return {**run_document(run), "run": {"id": run.pk, "project": run.project.code}}
