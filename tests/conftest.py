"""The fixed cast every test may use, and the real services some tests need.

Cast: two organisations. In the first, an admin, a consultant, and two client companies with a
client user each; the second has its own consultant (the outsider) and company.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from companies.models import Company, Membership, Organisation
from tests import services
from tests.factories import (
    PASSWORD,
    CompanyFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still synchronous and safe (pytest-django's live_server documents this).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache (cached panels, throttles)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class Cast:
    org: Organisation
    other_org: Organisation
    company: Company
    other_company: Company
    foreign_company: Company
    admin: object
    consultant: object
    client_user: object
    other_client: object
    outsider: object


@pytest.fixture
def cast(db) -> Cast:
    org = OrganisationFactory(name="Bund Grants Consulting")
    other_org = OrganisationFactory(name="Elsewhere Advisory")
    company = CompanyFactory(
        organisation=org, name="Lujiazui Vision Ltd", name_zh="陆家嘴视觉科技有限公司"
    )
    other_company = CompanyFactory(
        organisation=org, name="Zhangjiang Robotics", name_zh="张江机器人有限公司"
    )
    foreign_company = CompanyFactory(
        organisation=other_org, name="Foreign Firm", name_zh="外部公司"
    )

    def member(username, organisation, role, company=None):
        return MembershipFactory(
            user=UserFactory(username=username),
            organisation=organisation,
            role=role,
            company=company,
        ).user

    return Cast(
        org=org,
        other_org=other_org,
        company=company,
        other_company=other_company,
        foreign_company=foreign_company,
        admin=member("alice_admin", org, Membership.Role.ADMIN),
        consultant=member("carol_consultant", org, Membership.Role.CONSULTANT),
        client_user=member("kai_client", org, Membership.Role.CLIENT, company),
        other_client=member("olga_client", org, Membership.Role.CLIENT, other_company),
        outsider=member("oscar_outsider", other_org, Membership.Role.CONSULTANT),
    )


@pytest.fixture
def login():
    """login(user) -> a Django test client signed in as that user."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api():
    """api(user) -> a DRF client authenticated with the user's token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def _api(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _api


# --- real services --------------------------------------------------------------------------


@pytest.fixture
def postgres(db):
    services.need_postgres()


@pytest.fixture(scope="session")
def redis_url() -> str:
    return services.need_redis()


def _database_url() -> str:
    from django.db import connection

    conf = connection.settings_dict
    if conf["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{conf['NAME']}"
    user = conf.get("USER") or "postgres"
    password = f":{conf['PASSWORD']}" if conf.get("PASSWORD") else ""
    host = conf.get("HOST") or "127.0.0.1"
    port = conf.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{conf['NAME']}"


class WorkerProcess:
    """A real `celery -A config worker` process on its own queue, against the test database."""

    def __init__(self, redis: str, extra_env: dict[str, str] | None = None):
        self.redis = redis
        self.queue = f"test-{uuid.uuid4().hex[:10]}"
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = BASE_DIR / "var" / f"{self.queue}.log"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.redis,
            "CELERY_BROKER_URL": self.redis,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "TEST_LOG_LEVEL": "INFO",
            "C_FORCE_ROOT": "1",
            **self.extra_env,
        }

    def start(self) -> WorkerProcess:
        self.log_path.parent.mkdir(exist_ok=True)
        log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self._log = log
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                self.queue,
                "--pool",
                "prefork",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{self.queue}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log()}")
            if b"ready." in self.log_path.read_bytes():
                return
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, sig: int | None = None) -> None:
        if self.process and self.process.poll() is None:
            if sig is None:
                self.process.terminate()
            else:
                self.process.send_signal(sig)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if getattr(self, "_log", None):
            self._log.close()


def fresh_broker_pool(app) -> None:
    """Drop the app's producer connections (as Celery does after a fork): `force_close_all`
    alone leaves a closed pool behind, on which the next `delay()` fails."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.__dict__["amqp"]._producer_pool = None
    pools.reset()


@pytest.fixture
def celery_worker_process(redis_url, settings, transactional_db):
    """Start a real worker on a private queue; route this test's tasks to it."""
    from config.celery import app

    worker = WorkerProcess(redis_url).start()
    previous = (app.conf.task_default_queue, app.conf.broker_url, app.conf.result_backend)
    app.conf.task_default_queue = worker.queue
    app.conf.broker_url = redis_url
    app.conf.result_backend = redis_url
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    fresh_broker_pool(app)
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.task_default_queue, app.conf.broker_url, app.conf.result_backend = previous
        fresh_broker_pool(app)
        worker.log_path.unlink(missing_ok=True)


# --- browser -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = services.need_chromium()
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture
def sign_in(live_server):
    """sign_in(page, user) signs in through the real form."""

    def _sign_in(page, user, password: str = PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").or_(page.get_by_label("用户名")).fill(user.username)
        page.get_by_label("Password").or_(page.get_by_label("密码")).fill(password)
        page.locator("form button[type=submit]").click()
        page.wait_for_load_state()

    return _sign_in
