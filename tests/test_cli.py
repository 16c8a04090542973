"""The command line as a user meets it: version, help with examples, finding the ledger."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from conftest import run

from collectctl import __version__
from collectctl.cli.app import app

README = (Path(__file__).parent.parent / "README.md").read_text()


def all_commands(command=None, path=()):
    command = command or typer.main.get_command(app)
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        if getattr(sub, "commands", None):
            yield from all_commands(sub, (*path, name))
        else:
            yield (*path, name)


COMMANDS = list(all_commands())


def test_version():
    result = run("--version")
    assert (result.code, result.out) == (0, f"collectctl {__version__}\n")


def test_python_dash_m_works_too():
    done = subprocess.run(
        [sys.executable, "-m", "collectctl", "--version"], capture_output=True, text=True
    )
    assert done.stdout == f"collectctl {__version__}\n"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_a_description_and_an_example(command):
    result = run(*command, "--help")
    assert result.code == 0
    description = result.out.split("\n\n")[1].strip()
    assert description and not description.startswith(("Usage", "Options"))
    assert re.search(r"Examples?:", result.out) and f"collectctl {' '.join(command)}" in result.out


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_is_in_the_readme(command):
    assert f"collectctl {' '.join(command)}" in README


def test_the_top_level_help_lists_every_command():
    result = run("--help")
    root = typer.main.get_command(app)
    for command in {c[0] for c in COMMANDS if not root.commands[c[0]].hidden}:  # plumbing
        assert f"  {command} " in result.out


def test_the_ledger_is_found_from_a_subfolder(sample):
    result = run("history", "--limit", "1", cwd=sample / "customers/delta-fab/activity")
    assert result.code == 0 and "sample ledger with dates as of" in result.out


def test_the_ledger_comes_from_the_environment(sample, tmp_path):
    result = run("check", cwd=tmp_path, env={"COLLECTCTL_LEDGER": str(sample)})
    assert (result.code, result.out) == (0, "ledger OK\n")


def test_ci_runs_exactly_the_readme_test_command():
    blocks = README.split("```sh\n")
    test_command = blocks[2].split("\n```")[0]
    ci = (Path(__file__).parent.parent / ".ci/run").read_text()
    assert "pytest" in test_command
    assert test_command in ci.splitlines()


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_reader_that_goes_away_is_not_an_error(sample, fmt):
    """`collectctl due --format csv | head -c100`: the pipe closes, collectctl ends quietly."""
    import subprocess

    from conftest import COLLECTCTL

    reader = subprocess.Popen(
        [COLLECTCTL, "-L", str(sample), "due", "--format", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    reader.stdout.close()  # gone before the first line
    assert reader.wait(timeout=60) == 0
    assert reader.stderr.read() == b""


def test_a_bad_environment_variable_is_one_line(sample):
    result = run("-L", str(sample), "check", env={"COLLECTCTL_WORKERS": "abc"})
    cold = run("-L", str(sample), "due", env={"COLLECTCTL_WORKERS": "abc"})
    for done in (result, cold):
        assert "Traceback" not in done.err
    assert cold.code == 2 and cold.err == (
        "collectctl: COLLECTCTL_WORKERS='abc': give a whole number from 1 to 64\n"
    )


def test_a_terminal_that_is_not_utf8_gets_replacement_characters(sample):
    for args in (["due"], ["brief", "nordlicht"], ["followups"], ["report", "aging"]):
        result = run("-L", str(sample), *args, env={"LC_ALL": "C", "PYTHONUTF8": "0",
                                                    "PYTHONIOENCODING": ""})  # fmt: skip
        assert result.code == 0 and "Traceback" not in result.err, (args, result.err)


def test_mail_that_could_not_go_exits_3_for_cron(sample):
    result = run("-L", str(sample), "due", "--mail-to", "maria@example.test")
    assert result.code == 3
    assert result.err.startswith("collectctl: no SMTP host configured: saved outbox/")
    assert result.err.rstrip().endswith("(not sent)")


def test_the_readme_promise_example_works_on_the_sample(sample):
    line = next(x for x in README.splitlines() if x.startswith("collectctl promise "))
    args = line.split()[1:]
    result = run("-L", str(sample), "--collector", "maria", *args)
    assert result.code == 0, result.err
    assert "note:" not in result.out  # no earlier promise it would double


def test_a_commit_never_gets_an_empty_author_email(empty, tmp_path):
    from conftest import commit_count

    config = tmp_path / "nameonly.gitconfig"
    config.write_text("[user]\n\tname = Pat Doe\n")
    before = commit_count(empty)
    result = run("-L", str(empty), "note", "acme", "called the front desk",
                 env={"GIT_CONFIG_GLOBAL": str(config)})  # fmt: skip
    assert result.code == 1
    assert result.err == (
        "collectctl: no email address for Pat Doe: set the collector's email in "
        "collectctl.yaml or git's user.email\n"
    )
    assert commit_count(empty) == before
