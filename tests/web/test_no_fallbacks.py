"""Domains import each other directly: no code path runs on when another domain is missing."""

from __future__ import annotations

import re
from pathlib import Path

ZONE = Path(__file__).resolve().parents[2] / "zone"
FALLBACK = re.compile(r"except\s+\(?[^)\n]*\b(ImportError|ModuleNotFoundError)\b|\bimportlib\b|find_spec\(")


def test_no_domain_falls_back_when_another_is_missing():
    found = [f"{path.relative_to(ZONE.parent)}:{number}: {line.strip()}"
             for path in sorted(ZONE.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if FALLBACK.search(line)]
    assert not found, "import fallbacks hide a missing domain:\n" + "\n".join(found)


def test_every_blueprint_is_registered_by_name():
    from zone import create_app

    app = create_app("test")
    modules = {bp.import_name for bp in app.blueprints.values()}
    declared = {f"zone.{path.parent.name}.{path.stem}" for path in ZONE.glob("*/*.py")
                if re.search(r"^(api_)?bp = Blueprint\(", path.read_text(encoding="utf-8"), re.M)}
    assert declared <= modules, sorted(declared - modules)
