"""Factories for the dashboard tests: the rows the workflow writes, made directly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from companies.models import Activity
from grants.models import Disbursement, Document, TransitionLog
from tests.factories import ApplicationFactory, DocumentSlotFactory


class TransitionLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransitionLog

    application = factory.SubFactory(ApplicationFactory)
    transition = "start"
    from_state = "draft"
    to_state = "preparing"
    actor = None
    at = factory.LazyFunction(timezone.now)


class DisbursementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disbursement

    application = factory.SubFactory(ApplicationFactory)
    amount = Decimal("100000.00")
    paid_on = dt.date(2025, 2, 1)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    application = factory.SubFactory(ApplicationFactory)
    slot = factory.SubFactory(
        DocumentSlotFactory, programme=factory.SelfAttribute("..application.programme")
    )
    version = 1
    file = factory.django.FileField(data=b"%PDF-1.4 test", filename="doc.pdf")
    filename = "doc.pdf"
    content_type = "application/pdf"
    size = 13
    sha256 = "0" * 64


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    organisation = factory.LazyAttribute(lambda o: o.company.organisation)
    company = None
    actor = None
    verb = "created"
    object_type = "company"
    object_id = "1"
    object_label = "Something"
    at = factory.LazyFunction(timezone.now)
