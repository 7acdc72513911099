"""The application workflow: creation, transitions, documents, comments, notifications.

Every change to an application goes through these services; pages, the API and commands call
them and never save an application themselves.
"""

from grants.workflow.comments import comment_add
from grants.workflow.creation import application_create, application_update, next_reference
from grants.workflow.documents import checklist, document_upload, may_upload
from grants.workflow.transitions import (
    TRANSITION_FIELDS,
    TransitionRefused,
    application_transition,
    available_transitions,
)

__all__ = [
    "TRANSITION_FIELDS",
    "TransitionRefused",
    "application_create",
    "application_transition",
    "application_update",
    "available_transitions",
    "checklist",
    "comment_add",
    "document_upload",
    "may_upload",
    "next_reference",
]
