from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import BASE_DIR


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "unavailable"}


def test_healthz_says_the_broker_is_ok_when_it_answers(client, db, redis_url, settings):
    from config.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = redis_url
    try:
        assert client.get("/healthz").json()["broker"] == "ok"
    finally:
        app.conf.broker_url = previous


def test_healthz_is_503_when_the_database_is_down():
    """A real app process whose database does not answer (nothing listens on the port)."""
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', HTTP_HOST='localhost'); print(r.status_code); print(r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/unreachable",
        "CONN_MAX_AGE": "0",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    status, body = out.stdout.strip().split("\n", 1)
    assert status == "503", out.stderr
    assert json.loads(body)["database"] == "unavailable"


def test_healthz_needs_no_login(client, db):
    assert client.get("/healthz").status_code == 200
