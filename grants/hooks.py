"""What grants plugs into companies at start-up (see `companies.hooks`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies import hooks
from companies.models import Company, Project


def _area_choices():
    from grants.models import PriorityArea

    return [(area.code, area.name) for area in PriorityArea.objects.all()]


def _applications_block_deletion(obj) -> list[str]:
    from grants.models import Application

    if isinstance(obj, Company):
        applications = Application.objects.filter(company=obj)
    elif isinstance(obj, Project):
        applications = Application.objects.filter(project=obj)
    else:
        return []
    live = applications.live().count()
    if live:
        return [
            ngettext(
                "It has %(count)d live application; withdraw or close it first.",
                "It has %(count)d live applications; withdraw or close them first.",
                live,
            )
            % {"count": live}
        ]
    if applications.exists():
        return [_("Its applications' history and copies of record must be kept.")]
    return []


def register() -> None:
    from grants.views import applications, catalogue, dashboard, dossiers, matches, reminders

    hooks.set_area_choices(_area_choices)
    hooks.add_deletion_blocker(_applications_block_deletion)
    hooks.add_company_tie(lambda project: project.applications.exists())
    for area in (catalogue, matches, applications, dossiers, reminders, dashboard):
        area.register_panels()
