"""Users (language, reminder emails, calendar token) and their in-app notifications."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class User(AbstractUser):
    """A person who signs in. Their organisation and role come from `companies.Membership`."""

    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Pages and emails use this language. Empty: the browser's language."),
    )
    reminder_emails = models.BooleanField(
        _("deadline reminder emails"),
        default=True,
        help_text=_("Send me a digest email when deadlines approach."),
    )
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one user (transitions, reminders).

    Written once in every language of the site (`texts`), so the list reads in the language the
    user has now, not the one they had when it was sent. `title` and `body` hold the text in the
    user's language at sending (the admin's view, and the fallback for older rows).
    """

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Application update")
        REMINDER = "reminder", _("Deadline reminder")
        DOSSIER = "dossier", _("Dossier")
        MEMBERSHIP = "membership", _("Membership")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    texts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def written(cls, *, user: User, render: Callable[[str], tuple[str, str]], **fields):
        """An unsaved notification for `user`, its text from `render(language)` -> (title, body),
        called once per site language with that language active."""
        texts = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                title, body = render(code)
            texts[code] = {"title": str(title)[:300], "body": str(body)}
        own = texts.get(user.email_language) or next(iter(texts.values()))
        return cls(user=user, title=own["title"], body=own["body"], texts=texts, **fields)

    def _text(self) -> dict:
        return self.texts.get(translation.get_language() or "") or {
            "title": self.title,
            "body": self.body,
        }

    @property
    def shown_title(self) -> str:
        """The title in the active language."""
        return self._text()["title"]

    @property
    def shown_body(self) -> str:
        return self._text()["body"]
