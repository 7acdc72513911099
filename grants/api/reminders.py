"""API routes: reminders.

The calendar feed (`GET /calendar/{token}.ics`, api.md "Other URLs") lives outside /api/v1/;
config/urls.py routes it to `calendar_feed`, re-exported here from the reminder pages.
"""

from grants.views.reminders import calendar_feed

__all__ = ["calendar_feed"]

urlpatterns: list = []
