"""labels/ stands alone: no UI, no database (STYLE.md, "The house")."""

import ast
import subprocess
import sys
from pathlib import Path

LABELS = Path(__file__).resolve().parent.parent / "labels"
FORBIDDEN = ("textual", "tui", "models", "peewee")


def test_labels_sources_import_no_ui_and_no_database():
    offenders = []
    for source in sorted(LABELS.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            offenders += [
                f"{source.name}: {name}" for name in names if name.split(".")[0] in FORBIDDEN
            ]
    assert offenders == []


def test_importing_labels_loads_no_ui_and_no_database():
    code = (
        "import sys, labels, labels.printers, labels.preview; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=LABELS.parent, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
