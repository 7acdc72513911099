"""`manage.py seed_demo`: the demo organisation, its users, clients and applications.

Idempotent: when the demo organisation exists, nothing changes and the command says so. The
logins are printed every time (the password is `demo-pass-2026`, or $DEMO_PASSWORD). Seeding
sends no email: tasks run in-process and emails are held in memory (see `grants.demo.seed`).
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from grants.demo.data import PASSWORD
from grants.demo.seed import DemoReport, DemoSeedError, demo_seed


class Command(BaseCommand):
    help = (
        "Create the demo consultancy (admin, two consultants, five clients) with projects, "
        "applications in every state, documents, dossiers and demo calls dated from today. "
        "Idempotent; prints the logins."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or PASSWORD
        try:
            report = demo_seed(password=password)
        except DemoSeedError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self._print(report)

    def _print(self, report: DemoReport) -> None:
        counts = ", ".join(f"{n} {name}" for name, n in report.counts.items())
        if report.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo organisation “{report.organisation}” created in "
                    f"{report.seconds:.1f} s: {counts}."
                )
            )
            self.stdout.write(
                f"{report.emails_held} notification emails were held back (not sent) while "
                "seeding; the in-app notifications are there."
            )
        else:
            self.stdout.write(
                f"Demo organisation “{report.organisation}” already exists (seeded on "
                f"{report.seeded_on:%Y-%m-%d}): nothing changed ({counts})."
            )
        self.stdout.write("")
        # The company goes last: its Chinese characters are double width in a terminal.
        rows = [("username", "role", "language", "company")]
        rows += [(x.username, x.role, x.language, x.company or "—") for x in report.logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
        self.stdout.write("")
        self.stdout.write(f"Password for every demo user: {report.password}")
        self.stdout.write(f"Sign in at {report.url}")
