"""How the command line is assembled: a command group is one module under tui/cli/ plus its
name in GROUPS, a group may have sub-actions (`case open`), and errors are handled once."""
import sys
from pathlib import Path
from types import ModuleType

import pytest

import tui.cli
from tui.cli import GROUPS, main
from tui.cli.common import Command, Failure

NOT_GROUPS = {"__init__", "__main__", "common", "serving"}   # serving: what `serve` runs per browser


def test_every_module_under_tui_cli_is_a_listed_group_with_unique_command_names():
    modules = {p.stem for p in Path(tui.cli.__file__).parent.glob("*.py")} - NOT_GROUPS
    assert sorted(group.__name__.rsplit(".", 1)[1] for group in GROUPS) == sorted(modules)
    names = [command.name for group in GROUPS
             for command in group.COMMANDS]
    assert len(names) == len(set(names)) == 19


def a_case_group(seen: list):
    """A group with sub-actions and a single command, shaped like issue 15's `case` and
    `inspect` (named `probe` and `poke`: the real ones are GROUPS' own)."""
    def shared(p):
        p.add_argument("--note")

    def open_arguments(p):
        p.add_argument("customer")

    def run_open(args):
        seen.append(("open", args.customer, args.note))
        return 0

    def run_close(args):
        raise Failure(f"case {args.case_no} has an open slip")

    def close_arguments(p):
        p.add_argument("case_no")

    def run_inspect(args):
        seen.append(("inspect", args.unit))
        return 0

    module = ModuleType("tui.cli.probe_test_group")
    module.COMMANDS = (
        Command("probe", "complaint cases", arguments=shared, database=False, actions=(
            Command("open", "open a case", run_open, open_arguments, database=False),
            Command("close", "close a case", run_close, close_arguments, database=False),
        )),
        Command("poke", "inspect a unit", run_inspect,
                lambda p: p.add_argument("unit"), database=False),
    )
    return module


@pytest.fixture
def seen(monkeypatch):
    calls = []
    monkeypatch.setitem(sys.modules, "tui.cli.probe_test_group", a_case_group(calls))
    monkeypatch.setattr(tui.cli, "GROUPS", (*GROUPS, sys.modules["tui.cli.probe_test_group"]))
    return calls


def test_a_new_group_is_one_module_and_one_entry(seen, capsys):
    assert main(["probe", "--note", "n", "open", "ACME"]) == 0
    assert main(["poke", "U000001"]) == 0
    assert seen == [("open", "ACME", "n"), ("inspect", "U000001")]
    assert main(["probe", "close", "2611-001"]) == 1
    assert capsys.readouterr().err == "returns-desk: case 2611-001 has an open slip\n"
    with pytest.raises(SystemExit) as exit_:
        main(["probe"])
    assert exit_.value.code == 2
    assert "the following arguments are required: ACTION" in capsys.readouterr().err


def test_a_command_connects_once_before_it_runs_unless_it_says_not(monkeypatch):
    events = []
    module = ModuleType("tui.cli.connect_test_group")
    module.COMMANDS = tuple(
        Command(name, name, lambda args, name=name: events.append(("run", name)) or 0, **flags)
        for name, flags in (("checked", {}), ("unchecked", {"check_schema": False}),
                            ("offline", {"database": False})))
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(tui.cli, "GROUPS", (*GROUPS, module))
    monkeypatch.setattr(tui.cli, "connect", lambda url, check: events.append(("connect", url, check)))
    for name in ("checked", "unchecked", "offline"):
        assert main(["--db", "sqlite:///x.db", name]) == 0
    assert events == [("connect", "sqlite:///x.db", True), ("run", "checked"),
                      ("connect", "sqlite:///x.db", False), ("run", "unchecked"),
                      ("run", "offline")]


def test_a_command_is_a_handler_or_a_group_of_actions():
    with pytest.raises(TypeError):
        Command("case", "neither")
    with pytest.raises(TypeError):
        Command("case", "both", lambda args: 0, actions=(Command("open", "o", lambda args: 0),))
