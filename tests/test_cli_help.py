"""The command line speaks Swedish, also in its help and usage errors."""

from __future__ import annotations

import pytest

from indikator_xl.cli import build_parser, run

COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_swedish(capsys, command):
    with pytest.raises(SystemExit) as exc:
        run([command, "--help"] if command else ["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.count("användning:") == 1
    for english in ("usage:", "options:", "show this help", "positional arguments"):
        assert english not in out


def test_every_command_has_a_help_line():
    sub = build_parser()._subparsers._group_actions[0]
    helps = {a.dest: a.help for a in sub._choices_actions}
    assert set(helps) == set(COMMANDS)
    assert all(h and h[0].islower() for h in helps.values()), helps


def test_usage_error_is_swedish_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        run(["validera"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument saknas" in err and "användning:" in err
