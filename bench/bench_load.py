"""Issue #8: throughput of the consultant home under load, against /healthz in the same run.

gunicorn with 2 workers serves the app (production settings, DEBUG off) on the benchmark
database with the demo data; wrk (a second process, on loopback) loads /healthz and then the
consultant home with a signed-in session. The home must serve at least 40% of /healthz's
throughput, with no errors.

This is the steady state a signed-in user meets: between data changes the home is served from
the per-user page cache (core.panels.page_cache_key). The full, uncached render is measured by
bench_dashboard ("consultant home with 2000 applications").
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.core import Context, Result

BASE_DIR = Path(__file__).resolve().parent.parent
DURATION = "8s"
ROUNDS = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wrk(url: str, cookie: str | None, duration: str) -> tuple[float, int, int]:
    """(requests per second, requests, non-2xx/3xx + socket errors)."""
    cmd = ["wrk", "-t2", "-c8", f"-d{duration}", "--latency", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    return rps, total, errors


def _session_cookie(base: str, username: str, password: str) -> str:
    import http.cookiejar
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data)
    request.add_header("Referer", f"{base}/accounts/login/")
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("could not sign in for the load test")
    # Every cookie the browser would send back (the session and the CSRF cookie).
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _cannot_run(reason: str) -> Result:
    """A failed result that says why the load test could not run here."""
    return Result("#8", "consultant home vs /healthz (wrk)", 0, "ratio", "≥ 0.40", False, reason)


def run(ctx: Context) -> list[Result]:
    if not shutil.which("wrk"):
        return [_cannot_run("wrk is not installed (apt-get install wrk)")]
    from django.conf import settings
    from django.core.management import call_command, get_commands

    call_command("load_catalogue", verbosity=0)
    if "seed_demo" not in get_commands():
        return [_cannot_run("seed_demo is not available")]
    # The benchmark's settings hash passwords with MD5 (fast tests); gunicorn runs the production
    # settings, which cannot verify MD5: seed the demo passwords with the production hashers.
    from django.conf import global_settings
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
        call_command("seed_demo", verbosity=0)
    from accounts.models import User
    from grants.demo.data import ORGANISATION

    # The demo's first consultant (other benchmarks made users of their own in this database).
    consultant = (
        User.objects.filter(
            membership__role="consultant", membership__organisation__name=ORGANISATION
        )
        .order_by("pk")
        .first()
    )
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        database_url = f"sqlite:///{db['NAME']}"
    else:
        database_url = os.environ["DATABASE_URL"]

    var_dir = Path(tempfile.mkdtemp(prefix="grantdesk-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "GRANTDESK_IGNORE_DOTENV": "1",
        "GRANTDESK_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": "load-test-only-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "false",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), 0.2):
                    break
            except OSError:
                time.sleep(0.1)
        cookie = _session_cookie(
            base, consultant.username, os.environ.get("DEMO_PASSWORD", "demo-pass-2026")
        )
        duration = "3s" if ctx.quick else DURATION
        _wrk(f"{base}/", cookie, "2s")  # warm-up: both workers compute and cache the panels
        # Alternating rounds, so both URLs see the same machine load; the median ratio counts.
        rounds = []
        for _ in range(ROUNDS):
            rounds.append(
                (_wrk(f"{base}/healthz", None, duration), _wrk(f"{base}/", cookie, duration))
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
        shutil.rmtree(var_dir, ignore_errors=True)
    ratios = sorted(home[0] / health[0] for health, home in rounds if health[0])
    ratio = statistics.median(ratios) if ratios else 0
    health_rps = statistics.median(health[0] for health, _ in rounds)
    home_rps = statistics.median(home[0] for _, home in rounds)
    health_err = sum(health[2] for health, _ in rounds)
    home_err = sum(home[2] for _, home in rounds)
    notes = (
        f"/healthz {health_rps:.0f} req/s, consultant home {home_rps:.0f} req/s (medians of "
        f"{ROUNDS} alternating rounds of {duration}; ratios "
        f"{', '.join(f'{r:.2f}' for r in ratios)}); "
        f"errors: {health_err} and {home_err}; gunicorn 2 workers, wrk -t2 -c8 on loopback; "
        "the home from the per-user page cache between data changes (its full render: the "
        "dashboard row)"
    )
    return [
        Result(
            "#8",
            "consultant home ÷ /healthz throughput",
            ratio,
            "ratio",
            "≥ 0.40",
            ratio >= 0.40 and home_err == 0 and health_err == 0,
            notes,
        )
    ]
