"""Production settings pass Django's deployment checklist; compose names real targets."""

from __future__ import annotations

import importlib
import os
import shlex
import subprocess
import sys

import yaml

from tests.conftest import BASE_DIR


def test_check_deploy_is_clean_with_production_settings():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        GRANTDESK_IGNORE_DOTENV="1",
        DEBUG="false",
        SECRET_KEY="x9#kq!v2Lr8$Tz0wYp4@Hn6&Jd1^Mb3*Fs5(Gc7)Ae9-Ru2=Wl4+Qo6%Ix8~Kv0",
        ALLOWED_HOSTS="grantdesk.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_csp_forbids_inline_script(settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]


def _compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def test_compose_has_the_multi_machine_shape():
    services = _compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "mail"} <= set(services)
    assert "healthcheck" in services["postgres"]
    assert services["web"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_every_compose_command_names_a_real_module_or_target():
    services = _compose()["services"]
    ours = {name for name, s in services.items() if s.get("image") == "grantdesk:latest"}
    assert {"web", "worker", "beat", "migrate"} <= ours
    for name in ours:
        command = services[name].get("command")
        if command is None:
            continue
        argv = command if isinstance(command, list) else shlex.split(command)
        if argv[0] == "gunicorn":
            module = argv[1].split(":")[0]
            assert hasattr(importlib.import_module(module), "application"), name
        elif argv[0] == "celery":
            app_module = argv[argv.index("-A") + 1]
            assert hasattr(importlib.import_module(app_module), "celery_app"), name
            assert argv[argv.index("-A") + 2] in {"worker", "beat"}, name
        elif argv[0] == "python" and argv[1] == "manage.py":
            from django.core.management import get_commands

            assert argv[2] in get_commands(), name
        else:
            raise AssertionError(f"{name}: unknown command {argv[0]}")
    for name in ours:
        assert services[name]["build"] == ".", name


def _dockerignore() -> list[str]:
    lines = (BASE_DIR / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_the_image_never_gets_local_databases_media_or_secrets():
    """The Dockerfile copies the whole context (`COPY . .`): .dockerignore keeps these out."""
    assert "COPY . ." in (BASE_DIR / "Dockerfile").read_text()
    patterns = {line.rstrip("/") for line in _dockerignore()}
    for needed in (".venv", "var", "node_modules", ".env", "test-artifacts", "__pycache__"):
        assert needed in patterns, needed
    assert {".git", "*.sqlite3"} <= patterns
    assert "**/__pycache__" in patterns  # nested folders too, not only the top one


def test_the_dockerignore_keeps_what_the_build_needs():
    import fnmatch

    patterns = [p.rstrip("/") for p in _dockerignore() if not p.startswith("!")]
    for needed in (
        "requirements.txt",
        "constraints.txt",
        "package.json",
        "package-lock.json",
        "manage.py",
        "config",
        "locale",
        "static",
        "templates",
        ".env.example",
    ):
        ignored = any(fnmatch.fnmatch(needed, p) for p in patterns)
        assert not ignored or f"!{needed}" in _dockerignore(), needed


def test_ci_installs_postgresql_and_redis_when_absent():
    """Syntax only: running it here would install packages."""
    script = BASE_DIR / ".ci" / "run"
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    text = script.read_text()
    assert "missing+=(postgresql)" in text and "missing+=(redis-server)" in text
