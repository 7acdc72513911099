"""Strict readers for environment settings.

django-environ is lenient: ``DEBUG=ture`` reads as ``False`` and ``UPLOAD_MAX_MB=20MB`` raises a
bare ``ValueError`` that does not say which variable was wrong. Every reader here names the
variable and refuses a value it cannot read exactly, so a mistyped deployment fails at start-up
instead of running with a silently different configuration.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

_env = environ.Env()

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def _fail(name: str, value: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name}={value!r} is not valid: expected {expected}.")


def str_(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None or value == "" else value


def bool_(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise _fail(name, value, "one of true/false, yes/no, on/off, 1/0")


def int_(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise _fail(name, value, "a whole number") from None
    if minimum is not None and number < minimum:
        raise _fail(name, value, f"a whole number of at least {minimum}")
    return number


def int_list(name: str, default: list[int], *, minimum: int = 0) -> list[int]:
    value = _raw(name)
    if value is None or value == "":
        return list(default)
    try:
        numbers = [int(part) for part in value.split(",") if part.strip() != ""]
    except ValueError:
        raise _fail(name, value, "comma-separated whole numbers, e.g. 30,14,7") from None
    if not numbers or any(n < minimum for n in numbers):
        raise _fail(name, value, f"one or more whole numbers of at least {minimum}")
    return sorted(set(numbers), reverse=True)


def list_(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return list(default)
    return [part.strip() for part in value.split(",") if part.strip()]


def database(name: str, default: str, base_dir: Path) -> dict:
    url = str_(name, default)
    scheme = urlparse(url).scheme
    if scheme not in _env.DB_SCHEMES:
        raise _fail(name, url, f"a database URL ({', '.join(sorted(_env.DB_SCHEMES))})")
    try:
        config = _env.db_url_config(url)
    except Exception as exc:  # django-environ raises several kinds on a malformed URL
        raise _fail(name, url, f"a database URL ({exc})") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        path = Path(config["NAME"])
        if config["NAME"] != ":memory:" and not path.is_absolute():
            path = base_dir / path
        path.parent.mkdir(parents=True, exist_ok=True)
        config["NAME"] = str(path)
    return config


def email(name: str, default: str) -> dict:
    url = str_(name, default)
    scheme = urlparse(url).scheme
    if scheme not in _env.EMAIL_SCHEMES:
        raise _fail(name, url, f"an email URL ({', '.join(sorted(_env.EMAIL_SCHEMES))})")
    return _env.email_url_config(url)


def url(name: str, default: str | None = None, *, schemes: set[str]) -> str | None:
    value = str_(name, default)
    if value is None:
        return None
    if urlparse(value).scheme not in schemes:
        raise _fail(name, value, f"a URL starting with one of {', '.join(sorted(schemes))}")
    return value


def path(name: str, default: Path, base_dir: Path) -> Path:
    value = str_(name)
    result = Path(value) if value else default
    return result if result.is_absolute() else base_dir / result
