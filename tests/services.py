"""Real services for the tests that need them, and the rule for when one is missing.

Each check answers whether a service is here. When it is not, the test skips with the reason,
unless STRICT_SERVICES=1 (as `.ci/run` sets), which turns the skip into a failure: CI must run
everything for real.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from functools import cache
from urllib.parse import urlparse

import pytest

STRICT = os.environ.get("STRICT_SERVICES", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def need(available: bool, reason: str) -> None:
    if available:
        return
    if STRICT:
        pytest.fail(f"STRICT_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


@cache
def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url or not _port_open(url, 6379):
        return None
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError:
        return None
    return url


@cache
def chromium_path() -> str | None:
    return CHROMIUM if os.path.exists(CHROMIUM) else None


@cache
def cjk_font_available() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(out.stdout.strip())


@cache
def poppler_available() -> bool:
    return bool(shutil.which("pdffonts") and shutil.which("pdftotext"))


def need_postgres() -> None:
    from django.db import connection

    need(
        connection.vendor == "postgresql", "PostgreSQL is not the test database (set DATABASE_URL)"
    )


def need_redis() -> str:
    url = redis_url()
    need(url is not None, "Redis does not answer at REDIS_URL")
    return url  # type: ignore[return-value]


def need_chromium() -> str:
    path = chromium_path()
    need(path is not None, f"Chromium is not installed at {CHROMIUM}")
    return path  # type: ignore[return-value]


def need_cjk_fonts() -> None:
    need(cjk_font_available(), "no CJK font is installed (fonts-noto-cjk)")


def need_poppler() -> None:
    need(poppler_available(), "pdffonts/pdftotext are not installed (poppler-utils)")
