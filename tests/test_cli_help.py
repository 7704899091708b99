"""Every option of every command has a Dutch help text, and says its default."""

from __future__ import annotations

import argparse

import pytest

from lerenwerkt.cli import main, parser


def _subcommands(p: argparse.ArgumentParser | None = None, prefix: tuple[str, ...] = ()):
    """Every (sub)command, nested ones too (``research absoluut-verzuim``)."""
    p = p or parser()
    out = []
    for a in p._actions:
        if isinstance(a, argparse._SubParsersAction):
            for name, q in a.choices.items():
                out.append((" ".join((*prefix, name)), q))
                out.extend(_subcommands(q, (*prefix, name)))
    return out


@pytest.mark.parametrize(("naam", "p"), _subcommands(), ids=[n for n, _ in _subcommands()])
def test_every_option_has_help_with_its_default(naam, p):
    for action in p._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        assert action.help, f"{naam} {action.option_strings or action.dest}: geen helptekst"
        takes_value = action.nargs != 0  # not a switch such as --force
        if action.option_strings and takes_value and not action.required:
            assert "standaard" in action.help, f"{naam} {action.option_strings}: noemt de standaardwaarde niet"
        if action.choices and action.option_strings:
            shown = action.help % {"default": action.default}
            assert all(str(c) in shown or str(c) in (action.metavar or "") or action.metavar is None for c in action.choices), f"{naam} {action.option_strings}"


@pytest.mark.parametrize(("naam", "p"), _subcommands(), ids=[n for n, _ in _subcommands()])
def test_help_text_is_shown(naam, p, capsys):
    with pytest.raises(SystemExit) as stop:
        main([*naam.split(), "--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    for action in p._actions:
        for option in action.option_strings:
            assert option in text, f"{naam}: {option}"


def test_build_help_lists_chapters_defaults_and_the_package_options(capsys):
    from lerenwerkt.chapters import CHAPTERS, RESEARCH

    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for chapter in [*CHAPTERS, *RESEARCH]:
        assert chapter in text
    for option in ("--sjabloon", "--teksten", "--geen-pakket", "--jobs", "--publicatie"):
        assert option in text
    assert "standaard: intern" in text and "standaard: alle hoofdstukken" in text


def test_chapter_choices_are_listed_and_checked(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--chapter", "bestaat-niet"])
    err = capsys.readouterr().err
    assert "ongeldige keuze" in err and "kies uit" in err and "verzuim" in err and "absoluut_verzuim" in err


def test_argparse_speaks_dutch_and_no_command_prints_the_help(capsys):
    assert main([]) == 0
    text = capsys.readouterr().out
    assert text.startswith("gebruik: lerenwerkt") and "opdrachten:" in text and "opties:" in text
    assert "toon deze hulp en stop" in text and "usage:" not in text and "options:" not in text
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = capsys.readouterr().out
    assert "gebruik: lerenwerkt build" in text and "show this help" not in text and "papermill" not in text
    with pytest.raises(SystemExit) as stop:
        main(["tables"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "lerenwerkt tables: fout: deze argumenten ontbreken: --out" in err and "error" not in err


def test_placeholders_are_named_once_per_gemeente_with_the_file_to_write(tmp_path):
    from lerenwerkt.cli import nog_te_schrijven

    jaar = tmp_path / "2024-2025"
    (jaar / "gemeenten").mkdir(parents=True)
    (jaar / "verhalen").mkdir()
    for rel in ("lerenwerkt.md", "ontwikkelingen.md", "verhalen/1-een.md", "gemeenten/aalten.md"):
        (jaar / rel).write_text("Tekst.\n", encoding="utf-8")
    assert nog_te_schrijven("2024-2025", "Aalten", teksten_dir=tmp_path) is None
    line = nog_te_schrijven("2024-2025", "Doesburg", teksten_dir=tmp_path)
    assert line.startswith("Doesburg: ") and "nog te schrijven" in line and "\n" not in line
    assert "gemeenten/doesburg.md (raadsmededeling en lokaal katern)" in line and "ontwikkelingen.md" not in line
    (jaar / "ontwikkelingen.md").write_text("  \n", encoding="utf-8")
    assert "ontwikkelingen.md (lokaal katern)" in nog_te_schrijven("2024-2025", "Aalten", teksten_dir=tmp_path)
    assert nog_te_schrijven("2024-2025", "Aalten", delen=("memo",), teksten_dir=tmp_path) is None
