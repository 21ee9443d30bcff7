"""The house's rules, checked by the tools that own them: the layer contracts in
pyproject.toml (import-linter), ruff's lint, and mypy where the types are kept."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_tool(*command: str) -> subprocess.CompletedProcess:
    tool = shutil.which(command[0], path=str(Path(sys.executable).parent)) or shutil.which(command[0])
    if tool is None:
        pytest.fail(f"{command[0]} is not installed: pip install -e '.[test]'")
    return subprocess.run([tool, *command[1:]], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_layer_contracts_hold():
    done = run_tool("lint-imports", "--no-cache")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_ruff_finds_nothing():
    done = run_tool("ruff", "check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_mypy_finds_nothing():
    done = run_tool("mypy")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
