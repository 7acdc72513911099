"""factory_boy factories for every model. Later issues add theirs beside these."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from companies.models import Company, CostLine, Membership, Organisation, Project
from companies.validators import USCC_ALPHABET, uscc_check_character
from grants.models import Application, Call, DocumentSlot, Policy, PriorityArea, Programme

PASSWORD = "correct-horse-battery-staple"


def make_uscc(n: int) -> str:
    """A valid unified social credit code, distinct for each n."""
    body = "913101"
    digits = []
    value = n
    for _ in range(11):
        digits.append(USCC_ALPHABET[value % 31])
        value //= 31
    first17 = body + "".join(reversed(digits))
    return first17 + uscc_check_character(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Consultancy {n}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Company {n} Ltd")
    name_zh = factory.Sequence(lambda n: f"测试公司{n}")
    uscc = factory.Sequence(make_uscc)
    district = "pudong"
    established_on = dt.date(2015, 6, 1)
    employees = 120
    tax_credit_rating = "A"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.CONSULTANT
    company = None


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    summary = "A large-model service for industrial inspection."
    areas = factory.LazyFunction(lambda: ["large_models", "manufacturing"])
    start_date = dt.date(2025, 1, 1)
    end_date = dt.date(2026, 12, 31)


class CostLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostLine

    project = factory.SubFactory(ProjectFactory)
    kind = "rd_investment"
    amount = Decimal("1000000.00")
    months = None
    supplier = "Supplier Co."
    related_party = False
    position = factory.Sequence(lambda n: n)


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Policy
        django_get_or_create = ("code",)

    code = "sh-ai-applications"
    title_en = "Several Measures for Expanding AI Applications"
    title_zh = "上海市进一步扩大人工智能应用的若干措施"
    tier = Policy.Tier.TOP_LEVEL
    issuer = "SHEITC"


class PriorityAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"area_{n}")
    group = PriorityArea.Group.VERTICAL
    name_en = factory.LazyAttribute(lambda o: o.code.replace("_", " ").title())
    name_zh = "领域"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"programme_{n}")
    name_en = factory.LazyAttribute(lambda o: o.code.replace("_", " ").title())
    name_zh = "项目"
    policy = factory.SubFactory(PolicyFactory)
    basis = "rd_investment"
    ratio = Decimal("0.30")
    cap = Decimal("50000000.00")
    requires_shanghai_registration = True


class DocumentSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentSlot

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"slot_{n}")
    name_en = factory.LazyAttribute(lambda o: o.code.replace("_", " ").title())
    name_zh = "材料"
    required = True
    position = factory.Sequence(lambda n: n)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"2026 call {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=40))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application created directly (for tests that need one in a given state).

    Real applications are created by `grants.workflow` services; this bypasses the rules.
    """

    class Meta:
        model = Application

    project = factory.SubFactory(ProjectFactory)
    company = factory.LazyAttribute(lambda o: o.project.company)
    organisation = factory.LazyAttribute(lambda o: o.project.company.organisation)
    programme = factory.SubFactory(ProgrammeFactory)
    call = None
    reference = factory.Sequence(lambda n: f"GD-2026-{n + 1:06d}")
    requested_amount = Decimal("300000.00")
