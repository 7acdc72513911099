"""`manage.py load_catalogue`: upsert the seeded catalogue from grants/catalogue/catalogue.yaml."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grants.catalogue.loader import DEFAULT_PATH, CatalogueError, catalogue_load


class Command(BaseCommand):
    help = (
        "Upsert the seeded catalogue (policies, priority areas, programmes, document slots) by "
        "code from grants/catalogue/catalogue.yaml. Idempotent; prints what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_PATH,
            help="the catalogue file (default: grants/catalogue/catalogue.yaml)",
        )

    def handle(self, *args, **options):
        try:
            report = catalogue_load(path=options["file"])
        except CatalogueError as exc:
            raise CommandError(f"The catalogue was not loaded: {exc}")
        for line in report.lines():
            self.stdout.write(line)
