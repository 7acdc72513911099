"""Structured logs: every record carries the organisation and user of the request or task."""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime

log_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "log_context", default=None
)


def bind(**values) -> contextvars.Token:
    return log_context.set({**(log_context.get() or {}), **values})


def reset(token: contextvars.Token) -> None:
    log_context.reset(token)


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        context = log_context.get() or {}
        record.org = context.get("org", "-")
        record.user = context.get("user", "-")
        record.context = context
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **(getattr(record, "context", None) or {}),
        }
        for key in ("method", "path", "status", "duration_ms", "task", "task_id"):
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["traceback"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)
