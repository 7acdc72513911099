"""The grants models, one module per area; import them from `grants.models`."""

from grants.models.applications import (
    Application,
    ApplicationComment,
    Disbursement,
    ReferenceSequence,
    TransitionLog,
)
from grants.models.catalogue import Call, DocumentSlot, Policy, PriorityArea, Programme
from grants.models.documents import Document
from grants.models.dossiers import Dossier
from grants.models.reminders import Reminder

__all__ = [
    "Application",
    "ApplicationComment",
    "Call",
    "Disbursement",
    "Document",
    "DocumentSlot",
    "Dossier",
    "Policy",
    "PriorityArea",
    "Programme",
    "ReferenceSequence",
    "Reminder",
    "TransitionLog",
]
