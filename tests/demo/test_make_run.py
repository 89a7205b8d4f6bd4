"""`make run` on another port gives QR codes, mails and links for that port."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_on_another_port_points_every_link_at_it():
    """Every command of `make run` that issues certificates, sends mail or serves pages gets the base URL
    of the port it serves (before, certificates said port 5000 whatever the port)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT)}
    plan = subprocess.run(["make", "-n", "run", "PORT=5057"], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True).stdout
    for command in ("flask --app wsgi demo seed", "flask --app wsgi worker", "gunicorn --bind 127.0.0.1:5057"):
        line = next(line for line in plan.splitlines() if command in line)
        assert "ZONE_BASE_URL=http://127.0.0.1:5057 " in line, line
    explicit = subprocess.run(["make", "-n", "run", "PORT=5057"], cwd=ROOT, capture_output=True, text=True,
                              env={**env, "ZONE_BASE_URL": "https://zone.example.org"}, check=True).stdout
    assert "ZONE_BASE_URL=https://zone.example.org .venv/bin/flask --app wsgi demo seed" in explicit
