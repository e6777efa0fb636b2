"""The set-up scripts: `make test` brings Chromium for the browser tests, or names the command."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "ensure-chromium"


def run_script(tmp_path: Path, user_id: int, chromium: Path) -> tuple[subprocess.CompletedProcess, list[str]]:
    log = tmp_path / "apt.log"
    apt = tmp_path / "apt-get"
    apt.write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    apt.chmod(0o755)
    env = {**os.environ, "CHROMIUM_PATH": str(chromium), "APT_GET": str(apt), "USER_ID": str(user_id)}
    result = subprocess.run([str(SCRIPT)], capture_output=True, text=True, env=env, timeout=60)
    return result, log.read_text().splitlines() if log.exists() else []


def test_root_without_chromium_installs_it_with_apt_get(tmp_path):
    result, calls = run_script(tmp_path, 0, tmp_path / "no-chromium")
    assert result.returncode == 0, result.stderr
    assert calls == ["update -q", "install -y -q chromium"]


def test_user_without_chromium_is_told_the_command(tmp_path):
    result, calls = run_script(tmp_path, 1000, tmp_path / "no-chromium")
    assert result.returncode == 0 and calls == []
    assert "sudo apt-get install -y chromium" in result.stderr


def test_present_chromium_needs_nothing(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    result, calls = run_script(tmp_path, 0, chromium)
    assert result.returncode == 0 and calls == [] and result.stdout == result.stderr == ""


def test_make_test_brings_the_browser_first():
    dry_run = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert dry_run.returncode == 0, dry_run.stderr
    lines = dry_run.stdout.splitlines()
    browser = next(i for i, line in enumerate(lines) if "ensure-chromium" in line)
    tests = next(i for i, line in enumerate(lines) if "bin/pytest" in line)
    assert browser < tests


def test_install_shows_its_steps_and_pip_progress():
    dry_run = subprocess.run(["make", "-n", "-B", "install"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert dry_run.returncode == 0, dry_run.stderr
    pip_lines = [line for line in dry_run.stdout.splitlines() if "pip install" in line]
    assert len(pip_lines) == 2 and all("--progress-bar on" in line and "--quiet" not in line for line in pip_lines)
    assert "installing torch" in dry_run.stdout and "next: make run" in dry_run.stdout
