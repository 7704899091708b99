"""Every option of every command has a Dutch help text, and says its default."""

from __future__ import annotations

import argparse

import pytest

from lerenwerkt.cli import main, parser


def _subcommands():
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices.items()


@pytest.mark.parametrize(("naam", "p"), list(_subcommands()), ids=[n for n, _ in _subcommands()])
def test_every_option_has_help_with_its_default(naam, p):
    for action in p._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert action.help, f"{naam} {action.option_strings or action.dest}: geen helptekst"
        if action.option_strings and action.default not in (None, False) and not action.required:
            assert "standaard" in action.help, f"{naam} {action.option_strings}: noemt de standaardwaarde niet"


def test_chapter_choices_are_listed_and_checked(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--chapter", "bestaat-niet"])
    err = capsys.readouterr().err
    assert "invalid choice" in err and "verzuim" in err and "absoluut_verzuim" in err
