"""`manage.py create_member` exactly as api.md says."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from companies.models import Activity, Membership, Organisation
from tests.factories import CompanyFactory


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_member", *args, stdout=out)
    return out.getvalue()


def test_it_creates_the_organisation_and_an_admin_who_can_sign_in(db):
    output = run(
        "--org", "Huangpu Advisory", "--username", "ada", "--password", "s3cret-pass",
        "--role", "admin", "--email", "ada@example.com",
    )  # fmt: skip
    assert "Created ada as admin of Huangpu Advisory" in output
    membership = Membership.objects.get(user__username="ada")
    assert membership.organisation.name == "Huangpu Advisory"
    assert membership.user.email == "ada@example.com"
    assert Client().login(username="ada", password="s3cret-pass")
    assert Activity.objects.filter(verb="member_added", actor=None).exists()


def test_it_joins_an_existing_organisation(cast):
    run(
        "--org",
        cast.org.name,
        "--username",
        "bo",
        "--password",
        "pw-123456",
        "--role",
        "consultant",
    )
    assert Organisation.objects.filter(name=cast.org.name).count() == 1
    assert Membership.objects.get(user__username="bo").organisation == cast.org


def test_a_client_names_its_company(cast):
    run(
        "--org", cast.org.name, "--username", "cli", "--password", "pw-123456",
        "--role", "client", "--company", str(cast.company.pk),
    )  # fmt: skip
    assert Membership.objects.get(user__username="cli").company == cast.company


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "owner"], "Unknown role 'owner'"),
        (["--role", "client"], "needs --company"),
        (["--role", "client", "--company", "999999"], "No company has the id 999999"),
        (["--role", "consultant", "--company", "{company}"], "Only a client member"),
        (["--role", "client", "--company", "{foreign}"], "not in the organisation"),
        (["--role", "admin", "--username", "kai_client"], "already belongs"),
        (["--role", "admin", "--username", "bad name!"], "username"),
    ],
)
def test_bad_input_is_a_clear_command_error(cast, args, message):
    args = [a.format(company=cast.company.pk, foreign=cast.foreign_company.pk) for a in args]
    base = {"--org": cast.org.name, "--username": "newbie", "--password": "pw-123456"}
    for flag in ("--username",):
        if flag in args:
            base.pop(flag)
    flat = [x for pair in base.items() for x in pair] + args
    with pytest.raises(CommandError, match=message):
        run(*flat)
    assert not Membership.objects.filter(user__username="newbie").exists()


def test_the_company_must_belong_to_the_named_organisation(db):
    company = CompanyFactory()
    with pytest.raises(CommandError, match="not in the organisation"):
        run("--org", "Fresh Org", "--username", "x", "--password", "pw-123456",
            "--role", "client", "--company", str(company.pk))  # fmt: skip
    assert not Organisation.objects.filter(name="Fresh Org").exists()  # rolled back
