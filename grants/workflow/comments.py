"""Comments on an application, from consultants and the client; shown in the timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.activity import application_activity_record
from grants.models import Application, ApplicationComment
from grants.workflow.documents import may_upload

if TYPE_CHECKING:
    from accounts.models import User

MAX_COMMENT = 5000


def comment_add(*, application: Application, author: User, body: str) -> ApplicationComment:
    """Add a comment. The organisation's staff and the company's client users may comment."""
    if not may_upload(application, author):
        raise PermissionDenied(_("You may not comment on this application."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write a comment first.")]})
    if len(body) > MAX_COMMENT:
        raise ValidationError(
            {"body": [_("At most %(limit)d characters, please.") % {"limit": MAX_COMMENT}]}
        )
    with transaction.atomic():
        comment = ApplicationComment.objects.create(
            application=application, author=author, body=body, created_at=timezone.now()
        )
        application_activity_record(
            application=application, actor=author, verb="commented", data={"comment": comment.pk}
        )
    return comment
