"""The house rules of STYLE.md: models/ never imports the UI or labels; labels/ needs neither
the UI nor the database. Checked in the sources and in what importing them loads."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "models": ("textual", "tui", "labels"),
    "labels": ("textual", "tui", "models", "peewee"),
}


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_sources_import_nothing_forbidden(package):
    forbidden = LAYERS[package]
    offenders = []
    for source in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            offenders += [f"{source.name}: {name}" for name in names
                          if name.split(".")[0] in forbidden]
    assert offenders == []


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_importing_loads_nothing_forbidden(package):
    forbidden = LAYERS[package]
    modules = [f"{package}.{p.stem}" for p in (ROOT / package).glob("*.py") if p.stem != "__init__"]
    code = (f"import sys, {', '.join(modules)}; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
