"""The one-command set-up explains a missing Python instead of silently using an old one."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_install_says_in_one_sentence_that_python_3_12_is_missing(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ["Makefile", "requirements.txt", "requirements-dev.txt"]:
        shutil.copy(ROOT / name, project / name)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # The only Python on this PATH is too old.
    old_python = bin_dir / "python3"
    old_python.write_text("#!/bin/sh\nexit 1\n")
    old_python.chmod(0o755)
    result = subprocess.run(
        [shutil.which("make"), "install"],
        cwd=project,
        env={"PATH": f"{bin_dir}:/bin:/usr/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Partnership Tracker needs Python 3.12 or newer and none was found" in result.stderr
    assert not (project / ".venv").exists()
