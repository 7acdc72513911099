"""Every string of the app has a Simplified Chinese translation that is neither missing nor fuzzy.

The catalogue is extracted afresh from the code (in a copy, so the repository is untouched), so
a new string without a translation fails here even if nobody ran makemessages.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import BASE_DIR
from tests.services import need

SOURCES = ("accounts", "companies", "config", "core", "grants", "templates", "locale", "manage.py")


def _untranslated(po_file) -> list[str]:
    entries = []
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(po_file)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        entries += [
            line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""'
        ]
    return entries


def test_every_string_has_a_chinese_translation(tmp_path):
    need(shutil.which("msgattrib") is not None, "gettext tools are not installed (apt gettext)")
    for name in SOURCES:
        source = BASE_DIR / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, target)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--ignore",
            "tests/*",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    missing = _untranslated(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert not missing, f"{len(missing)} strings lack a zh-hans translation:\n" + "\n".join(
        missing[:40]
    )
