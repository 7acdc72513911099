"""Writes to the catalogue by its maintainers (`is_staff`) through the API.

Each change is recorded in Django's admin log (who, when, what), the same history the admin
shows for changes made there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from grants.catalogue.rules import PROGRAMME_SCALARS
from grants.models import Call, DocumentSlot, Programme

if TYPE_CHECKING:
    from accounts.models import User


def _record(actor: User, obj: models.Model, flag: int, changed: list[str]) -> None:
    """One admin log entry: `actor` added `obj`, or changed the `changed` fields."""
    message = [{"added": {}}] if flag == ADDITION else [{"changed": {"fields": changed}}]
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[obj],
        action_flag=flag,
        change_message=message,
        single_object=True,
    )


def _apply(obj: Programme | Call, data: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    """Set the given `fields` of `data` that differ from `obj`; returns their names."""
    changed = [name for name in fields if name in data and getattr(obj, name) != data[name]]
    for name in changed:
        setattr(obj, name, data[name])
    return changed


def _slots_replace(programme: Programme, slots: list[dict[str, Any]]) -> bool:
    """Make the programme's checklist exactly `slots` (by code, in order). True if it changed."""
    existing = {slot.code: slot for slot in programme.document_slots.all()}
    wanted = {slot["code"] for slot in slots}
    removed = [slot for code, slot in existing.items() if code not in wanted]
    in_use = [slot.code for slot in removed if slot.documents.exists()]
    if in_use:
        raise ValidationError(
            {
                "document_slots": _(
                    "Slots with uploaded documents cannot be removed: %(codes)s. Mark them as "
                    "not required instead."
                )
                % {"codes": ", ".join(sorted(in_use))}
            }
        )
    changed = bool(removed)
    for slot in removed:
        slot.delete()
    for position, data in enumerate(slots):
        values = {
            "name_en": data["name_en"],
            "name_zh": data.get("name_zh", ""),
            "required": data.get("required", True),
            "position": position,
        }
        slot = existing.get(data["code"])
        if slot is None:
            DocumentSlot.objects.create(programme=programme, code=data["code"], **values)
            changed = True
            continue
        differs = [name for name, value in values.items() if getattr(slot, name) != value]
        if differs:
            for name in differs:
                setattr(slot, name, values[name])
            slot.save(update_fields=differs)
            changed = True
    return changed


@transaction.atomic
def programme_create(*, actor: User, data: dict[str, Any]) -> Programme:
    """A new programme with its areas and document slots; its rules apply at once."""
    programme = Programme(code=data["code"], **{k: data[k] for k in PROGRAMME_SCALARS if k in data})
    programme.full_clean(exclude=["policy"])
    programme.save()
    programme.areas.set(data.get("areas", []))
    _slots_replace(programme, data.get("document_slots", []))
    _record(actor, programme, ADDITION, [])
    return programme


@transaction.atomic
def programme_update(*, actor: User, programme: Programme, data: dict[str, Any]) -> Programme:
    """Change the given fields; `areas` and `document_slots`, when given, are replaced whole."""
    # Two maintainers saving at once take turns, each comparing with the committed values, so
    # the admin log names only what really changed.
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    changed = _apply(programme, data, PROGRAMME_SCALARS)
    if changed:
        programme.full_clean(exclude=["policy"])
        programme.save()
    if "areas" in data:
        have = set(programme.areas.values_list("pk", flat=True))
        if have != {area.pk for area in data["areas"]}:
            programme.areas.set(data["areas"])
            changed.append("areas")
    if "document_slots" in data and _slots_replace(programme, data["document_slots"]):
        changed.append("document_slots")
    if changed:
        _record(actor, programme, CHANGE, changed)
    return programme


CALL_FIELDS = ("programme", "title", "opens_at", "deadline")


@transaction.atomic
def call_create(*, actor: User, data: dict[str, Any]) -> Call:
    call = Call(**{k: data[k] for k in CALL_FIELDS})
    call.full_clean()
    call.save()
    _record(actor, call, ADDITION, [])
    return call


@transaction.atomic
def call_update(*, actor: User, call: Call, data: dict[str, Any]) -> Call:
    """Change a call. A moved deadline re-arms its reminders: they are keyed by the instant."""
    call = Call.objects.select_for_update().get(pk=call.pk)  # as in programme_update
    moved = "programme" in data and data["programme"].pk != call.programme_id
    if moved and call.applications.exists():
        # An application's programme and its call's programme must agree: the call stays put.
        raise ValidationError(
            {
                "programme": [
                    _(
                        "Applications use this call, so its programme cannot change. Open a "
                        "new call for the other programme instead."
                    )
                ]
            }
        )
    changed = _apply(call, data, CALL_FIELDS)
    if changed:
        call.full_clean()
        call.save()
        _record(actor, call, CHANGE, changed)
    return call
