"""Settings for the test suite: the real settings, with what only tests need changed.

The services (DATABASE_URL, REDIS_URL) still come from the environment, so `.ci/run` runs the
same suite against PostgreSQL and Redis.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("HTTPS", "false")
os.environ["GRANTDESK_IGNORE_DOTENV"] = "1"

from config.settings import *  # noqa: F403
from config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = False


def _remove_test_media(folder: str, owner: int) -> None:
    # Only the process that made the folder removes it, and only under the system temp dir:
    # processes started by the tests (workers, xdist workers) inherit the variable, not the
    # duty, and a fork inherits this handler but not the pid.
    temp = os.path.realpath(tempfile.gettempdir())
    if os.getpid() == owner and os.path.realpath(folder).startswith(temp + os.sep):
        shutil.rmtree(folder, ignore_errors=True)


# One media folder per test run, shared with the processes the tests start (they inherit
# GRANTDESK_TEST_MEDIA), and removed when the process that made it exits.
MEDIA_ROOT = os.environ.get("GRANTDESK_TEST_MEDIA", "")
if not MEDIA_ROOT:
    MEDIA_ROOT = os.environ["GRANTDESK_TEST_MEDIA"] = tempfile.mkdtemp(
        prefix="grantdesk-test-media-"
    )
    atexit.register(_remove_test_media, MEDIA_ROOT, os.getpid())
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a worker process started by a test can open the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}

# Quiet tests; worker processes started by tests log at INFO (their "ready." line is awaited).
_TEST_LOG_LEVEL = os.environ.get("TEST_LOG_LEVEL", "WARNING")
LOGGING["root"]["level"] = _TEST_LOG_LEVEL
for _logger in LOGGING["loggers"].values():
    _logger["level"] = _TEST_LOG_LEVEL

# One process's memory: tests clear it between tests (tests/conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
