"""`manage.py create_member --org NAME --username U --password P --role R [--company ID]
[--email E]`.

Creates the organisation if it is new, and the user with that membership (api.md).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from companies.models import Membership
from companies.services import member_create


class Command(BaseCommand):
    help = "Create a user with a membership of an organisation (created if needed)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organisation name")
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument(
            "--role", required=True, help="one of: " + ", ".join(Membership.Role.values)
        )
        parser.add_argument("--company", type=int, help="company id (clients only)")
        parser.add_argument("--email", default="")

    def handle(self, *args, **options):
        role = options["role"]
        if role not in Membership.Role.values:
            raise CommandError(
                f"Unknown role {role!r}: use one of {', '.join(Membership.Role.values)}."
            )
        if role == Membership.Role.CLIENT and options["company"] is None:
            raise CommandError("A client member needs --company ID (the client's company).")
        if not options["org"].strip():
            raise CommandError("--org must not be empty.")
        try:
            membership = member_create(
                actor=None,
                organisation_name=options["org"],
                username=options["username"],
                password=options["password"],
                role=role,
                company_id=options["company"],
                email=options["email"],
            )
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(problems) from error
        company = f", company {membership.company_id}" if membership.company_id else ""
        self.stdout.write(
            f"Created {membership.user.username} as {membership.role} of "
            f"{membership.organisation.name}{company}."
        )
