"""collectctl in the shell: completion scripts that complete from the ledger."""

import os
import subprocess
from pathlib import Path

import pytest
from conftest import COLLECTCTL, run


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    ledger = tmp_path_factory.mktemp("shell") / "acme"
    assert run("init", str(ledger), "--sample").code == 0
    return ledger


def complete_in_bash(ledger, line):
    """What bash offers after sourcing `collectctl completion bash` and pressing tab at
    the end of `line`."""
    script = run("completion", "bash").out
    words = line.split(" ")
    program = (
        f"{script}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
        "_collectctl_completion collectctl\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    path = f"{Path(COLLECTCTL).parent}:{os.environ['PATH']}"
    done = subprocess.run(
        ["bash", "--norc", "-c", program],
        cwd=ledger,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": path},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


def test_bash_completes_commands_and_options(company):
    assert "brief" in complete_in_bash(company, "collectctl br")
    assert complete_in_bash(company, "collectctl due --for") == ["--format"]


def test_bash_completes_customer_ids_contacts_invoices_and_collectors(company):
    assert complete_in_bash(company, "collectctl brief b") == ["brightway"]
    assert complete_in_bash(company, "collectctl log-call brightway --contact ") == [
        "Alice Kwan",
        "Paul Brightway",
    ]
    assert complete_in_bash(company, "collectctl pay brightway --invoice INV-2026-01") == [
        "INV-2026-0151",
        "INV-2026-0160",
    ]
    assert complete_in_bash(company, "collectctl due --collector m") == ["maria"]
    assert complete_in_bash(company, "collectctl --collector g") == ["grace"]


def test_completion_outside_a_ledger_offers_nothing_and_prints_nothing(tmp_path):
    assert complete_in_bash(tmp_path, "collectctl brief ") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_name_the_program(shell):
    result = run("completion", shell)
    assert result.code == 0 and "collectctl" in result.out and "_COLLECTCTL_COMPLETE" in result.out


def test_zsh_and_fish_complete_customer_ids(company):
    zsh = run(cwd=company, env={"_COLLECTCTL_COMPLETE": "complete_zsh",
              "_TYPER_COMPLETE_ARGS": "collectctl brief ir"})  # fmt: skip
    assert "ironclad" in zsh.out
    fish = run(cwd=company, env={"_COLLECTCTL_COMPLETE": "complete_fish",
               "_TYPER_COMPLETE_FISH_ACTION": "get-args",
               "_TYPER_COMPLETE_ARGS": "collectctl brief ir"})  # fmt: skip
    assert fish.out.split() == ["ironclad"]
