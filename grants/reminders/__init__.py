"""Deadlines and reminders."""
