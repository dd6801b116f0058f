"""Issue 13 item 12: the demo's data folder (SQLite database, secret key, API key, messages) is
readable by its owner only, whatever the umask, and a folder an older version left open is
tightened."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_demo_data_folder_is_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    old = data / "old-notes.txt"  # what an earlier version left world-readable
    old.write_text("x", encoding="utf-8")
    old.chmod(0o644)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "MINWON_MODE"}
    }
    result = subprocess.run(
        [sys.executable, "-m", "minwon.cli", "demo", "--data-dir", str(data), "--no-serve"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
        check=False,
        preexec_fn=lambda: os.umask(0o022),  # a permissive umask, as on most desktops
    )
    assert result.returncode == 0, result.stderr
    assert (data / "minwon.sqlite3").exists() and (data / "secret_key").exists()
    entries = [data, *data.rglob("*")]
    assert len(entries) > 3
    opened = [
        (str(p.relative_to(tmp_path)), oct(stat.S_IMODE(p.lstat().st_mode)))
        for p in entries
        if not p.is_symlink() and p.lstat().st_mode & 0o077
    ]
    assert opened == []
