"""The test settings clean up after themselves: one media folder per run, removed at the end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import BASE_DIR

SCRIPT = (
    "import django; django.setup(); from pathlib import Path; from django.conf import settings; "
    "media = Path(settings.MEDIA_ROOT); (media / 'upload.txt').write_text('x'); print(media)"
)


def _run(**env_changes: str) -> Path:
    env = {k: v for k, v in os.environ.items() if k != "GRANTDESK_TEST_MEDIA"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings_test", **env_changes)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return Path(out.stdout.strip())


def test_it_removes_the_media_folder_it_made_when_the_process_ends():
    media = _run()
    assert media.name.startswith("grantdesk-test-media-")
    assert not media.exists()


def test_it_keeps_a_media_folder_it_was_given(tmp_path):
    given = tmp_path / "shared-media"
    given.mkdir()
    media = _run(GRANTDESK_TEST_MEDIA=str(given))
    assert media == given
    assert (given / "upload.txt").exists()


def test_this_run_shares_its_media_folder_with_the_processes_it_starts(settings):
    assert os.environ["GRANTDESK_TEST_MEDIA"] == str(settings.MEDIA_ROOT)
