from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zones.importer import BundleError, import_bundle, read_bundle

PROGRESS_BAR_FROM_ROWS = 500


class Command(BaseCommand):
    help = (
        "Import a spreadsheet bundle (a folder of CSV files or one XLSX workbook). "
        "Every row is validated first; any error rejects the whole bundle."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a folder of <sheet>.csv files, or an .xlsx workbook")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, write nothing"
        )

    def handle(self, *args, path, dry_run, **options):
        try:
            sheets = read_bundle(path)
            rows = sum(len(sheet.rows) for sheet in sheets)
            bar = None
            if rows >= PROGRESS_BAR_FROM_ROWS:
                bar = tqdm(total=2 * rows, unit="row", desc="import", file=self.stderr._out)

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            try:
                report = import_bundle(sheets, dry_run=dry_run, progress=bar and progress)
            finally:
                if bar:
                    bar.close()
        except BundleError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Nothing imported: {len(exc.errors)} error(s) in the bundle."
            ) from exc
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {path}: {report.summary()}"))
