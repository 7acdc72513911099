"""Settings are read strictly: a malformed value stops the app with the variable's name."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import BASE_DIR

LOAD = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def run_with(**env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    full.update({"DJANGO_SETTINGS_MODULE": "config.settings", "GRANTDESK_IGNORE_DOTENV": "1"})
    full.update(env)
    return subprocess.run(
        [sys.executable, "-c", LOAD], cwd=BASE_DIR, env=full, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "ture"),
        ("UPLOAD_MAX_MB", "20MB"),
        ("UPLOAD_MAX_MB", "0"),
        ("REMINDER_OFFSETS_DAYS", "30,seven"),
        ("DATABASE_URL", "not-a-database"),
        ("EMAIL_URL", "carrier-pigeon://coo"),
        ("REDIS_URL", "localhost:6379"),
        ("LOG_FORMAT", "xml"),
    ],
)
def test_it_refuses_a_malformed_value_naming_the_variable(name, value):
    result = run_with(**{"DEBUG": "true", name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_it_requires_a_secret_key_unless_debug():
    result = run_with(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_it_starts_with_defaults_in_debug():
    result = run_with(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_time_zones_are_shanghai(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_celery_is_strict_json_with_late_acks_and_limits(settings):
    from config.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit
    assert "send-reminders" in app.conf.beat_schedule


def test_the_file_system_broker_keeps_every_folder_under_var(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_BROKER_URL); print(settings.CELERY_BROKER_TRANSPORT_OPTIONS)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="true",
        GRANTDESK_IGNORE_DOTENV="1",
        GRANTDESK_VAR_DIR=str(tmp_path),
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("filesystem://")
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        assert f"'{key}': '{tmp_path}" in out.stdout
    assert (tmp_path / "celery" / "control").is_dir()


def test_sqlite_is_set_up_for_web_and_worker_together(settings):
    import environ

    from config import env

    config = env.database("X_TEST_DB", "sqlite:///var/x.sqlite3", BASE_DIR)
    assert config["NAME"] == str(BASE_DIR / "var" / "x.sqlite3")
    assert environ  # django-environ is the reader underneath
