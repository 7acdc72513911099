"""Settings of the worker processes the exactly-once tests start.

The test settings, but with the email backend from EMAIL_URL (the tests point it at a folder or
at an SMTP server they run) and, when TEST_VISIBILITY_TIMEOUT is set, a short Redis visibility
timeout so a message left unacknowledged by a killed worker comes back within seconds.
"""

import os

from config import env
from config.settings_test import *  # noqa: F403

globals().update(env.email("EMAIL_URL", "consolemail://"))
EMAIL_TIMEOUT = 60

if os.environ.get("TEST_VISIBILITY_TIMEOUT"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ["TEST_VISIBILITY_TIMEOUT"]),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
