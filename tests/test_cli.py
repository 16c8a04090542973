"""The command line as a user meets it: version, help with examples, finding the ledger."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from conftest import run, snapshot

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
        "collectctl: COLLECTCTL_WORKERS='abc': use a whole number from 1 to 64\n"
    )


@pytest.mark.parametrize(
    ("variable", "value", "args", "says"),
    [
        ("COLLECTCTL_TODAY", "2026-13-01", ["due"], "COLLECTCTL_TODAY"),
        ("COLLECTCTL_LEDGER", "/nowhere", ["due"], "COLLECTCTL_LEDGER=/nowhere: no collectctl.yaml"),
        ("COLLECTCTL_COLLECTOR", "nobody", ["note", "delta-fab", "x"], "'nobody' is not a collector"),
        ("COLLECTCTL_LOCK_TIMEOUT", "soon", ["note", "delta-fab", "x"], "COLLECTCTL_LOCK_TIMEOUT='soon'"),
        ("COLLECTCTL_TEMPLATE_TIME_LIMIT", "-1", ["brief", "delta-fab"], "COLLECTCTL_TEMPLATE_TIME_LIMIT='-1'"),
        ("COLLECTCTL_SMTP_PORT", "99999", ["due", "--mail-to", "a@b.test"], "COLLECTCTL_SMTP_PORT='99999'"),
        ("COLLECTCTL_SMTP_TIMEOUT", "nan", ["due", "--mail-to", "a@b.test"], "COLLECTCTL_SMTP_TIMEOUT='nan'"),
        ("COLLECTCTL_SMTP_SECURITY", "tls", ["due", "--mail-to", "a@b.test"], "COLLECTCTL_SMTP_SECURITY"),
    ],
)  # fmt: skip
def test_every_environment_variable_is_checked_in_one_line(sample, variable, value, args, says):
    env = {"COLLECTCTL_SMTP_HOST": "127.0.0.1", variable: value}
    before = snapshot(sample)
    result = (
        run("-L", str(sample), *args, env=env)
        if variable != "COLLECTCTL_LEDGER"
        else run(*args, cwd=sample, env=env)
    )
    assert result.code in (1, 2) and "Traceback" not in result.err, result.err
    assert says in result.err and result.err.count("\n") == 1, result.err
    assert snapshot(sample) == before


ASCII_ONLY = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
EVERY_COMMAND = [
    ["due"], ["brief", "nordlicht"], ["brief", "nordlicht", "--format", "markdown"],
    ["followups"], ["report", "aging"], ["report", "html", "-"], ["history"], ["check"],
    ["dispute", "list"], ["export", "nordlicht"],
    ["statement", "nordlicht"], ["completion", "bash"], ["--help"], ["due", "--help"],
    ["note", "nordlicht", "Frau Vogel: Überweisung kommt — nächste Woche"],
    ["log-call", "nordlicht", "--outcome", "reached", "--notes", "Grüße · ok"],
    ["promise", "nordlicht", "--amount", "500", "--by", "2026-12-04"],
    ["pay", "nordlicht", "--amount", "100", "--reference", "Überweisung-1"],
    ["customer", "add", "zurich", "--name", "Zürich Straße AG"],
    ["import", "customers", "-"], ["review", "HEAD~3..HEAD"], ["history", "nordlicht"],
]  # fmt: skip


def test_every_command_works_on_a_terminal_that_is_not_utf8(sample):
    """Under LC_ALL=C, what cannot be shown becomes a replacement character; nothing
    prints a traceback, and what is typed in the ledger's own language is kept."""
    for args in EVERY_COMMAND:
        stdin = "Name,Email\nMüller GmbH,ap@mueller.example\n" if args[0] == "import" else None
        result = run("-L", str(sample), *args, env=ASCII_ONLY, input=stdin)
        assert result.code == 0 and "Traceback" not in result.err, (args, result.err)
    note = run("-L", str(sample), "brief", "nordlicht", "--format", "json").out
    assert "Überweisung kommt" in note  # stored as typed


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
