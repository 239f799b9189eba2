"""`--help` and `--version` answer without building every command's parser: `--help` lists
each command from names and help lines only, `--version` builds no parser at all."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from editor_app import cli

ROOT = Path(__file__).resolve().parents[2]


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no subcommands")


def test_the_help_lists_every_command_the_full_parser_has(capsys) -> None:
    full = cli.build_parser()
    assert list(_commands(full)) == list(cli.COMMANDS)
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert shown == full.format_help()
    flat = " ".join(shown.split())
    for name, text in cli.COMMANDS.items():
        assert f"\n    {name} " in shown and " ".join(text.split()) in flat, name


def test_each_command_built_alone_is_the_same_as_in_the_full_parser() -> None:
    full = _commands(cli.build_parser())
    for name in cli.COMMANDS:
        alone = _commands(cli.build_parser({name}))
        assert alone[name].format_help() == full[name].format_help(), name
        others = [n for n in alone if n != name]
        # The others are names only: no parser was made for them.
        assert not any(isinstance(alone[n], argparse.ArgumentParser) for n in others), name


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--version"], (None, True)),
        (["--db", "sqlite:///x", "--version"], (None, True)),
        (["--db=sqlite:///x", "--vers"], (None, True)),
        (["--db", "--version"], (None, False)),  # the URL; argparse says what is wrong
        (["list", "--version"], ("list", False)),
        (["--db", "u", "list", "articles"], ("list", False)),
        (["-h"], (None, False)),
        ([], (None, False)),
    ],
)
def test_the_command_and_version_are_read_as_argparse_reads_them(argv, expected) -> None:
    assert cli._scan(argv) == expected


def _run(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return out.stdout.strip()


HEAVY = ("sqlalchemy", "editor_app.formats.detect", "editor_app.services.container", "lxml")


def test_version_builds_no_parser_and_help_imports_nothing_heavy() -> None:
    code = (
        "import sys, editor_app.cli as c\n"
        "built = []\n"
        "real = c.build_parser\n"
        "c.build_parser = lambda *a: built.append(a) or real(*a)\n"
        "code = c.main(['--db', 'sqlite:///nowhere/x.sqlite3', '--version'])\n"
        f"print(code, built, [m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    version, rest = _run(code).rsplit("\n", 1)
    assert version.startswith("editor-app ")
    assert rest == "0 [] []"
    code = (
        "import sys, contextlib, io, editor_app.cli as c\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    c.main(['--help'])\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    assert _run(code) == "[]"


def test_the_version_is_the_installed_package_s() -> None:
    from importlib.metadata import version

    assert cli._installed_version() == version("editor-app")
