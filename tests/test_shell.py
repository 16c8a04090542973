"""collectctl in the shell: completion scripts that complete from the ledger; listings
that fit the terminal and go through a pager when long, like git's."""

import os
import pty
import subprocess
from pathlib import Path

import pytest
from conftest import COLLECTCTL, copy_ledger, run


@pytest.fixture(scope="module")
def company(tmp_path_factory, sample_master):
    """The sample company, shared by these tests: they only read it (or write the pager's
    and completion's output elsewhere)."""
    return copy_ledger(sample_master, tmp_path_factory.mktemp("shell") / "acme")


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


LISTINGS = [
    ["due"],
    ["followups", "--days", "30"],
    ["history", "--limit", "8"],
    ["brief", "keystone-build"],
    ["report", "aging"],
    ["report", "promises"],
    ["dispute", "list"],
]


@pytest.mark.parametrize("width", [80, 120])
def test_every_listing_fits_the_width_asked_for(company, width):
    for listing in LISTINGS:
        result = run("--width", str(width), *listing, cwd=company)
        assert result.code == 0, (listing, result.err)
        too_wide = [line for line in result.out.splitlines() if len(line) > width]
        assert too_wide == [], listing


def test_the_call_list_keeps_a_row_per_account_and_puts_why_under_it(company):
    wide = run("--width", "120", "due", cwd=company).out.splitlines()
    [row] = [line for line in wide if "keystone-build" in line]
    assert "+1 717 555 0155" in row and "19,550.00" in row  # the row itself is whole
    under = wide[wide.index(row) + 1]
    assert under.startswith(" ") and "promise of 5,000.00 broken" in under


def test_into_a_pipe_each_record_stays_on_one_line(company):
    lines = run("due", cwd=company).out.splitlines()
    [row] = [line for line in lines if "keystone-build" in line]
    assert "promise of 5,000.00 broken" in row and "96 days past due" in row


def on_a_terminal(ledger, *args, columns=80, lines=200, env=None):
    """collectctl with its output on a pseudo-terminal of the given size."""
    leader, follower = pty.openpty()
    screen = {"COLUMNS": str(columns), "LINES": str(lines), "TERM": "dumb", **(env or {})}
    process = subprocess.Popen(
        [COLLECTCTL, *args], cwd=ledger, stdout=follower, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, env={**os.environ, **screen},
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0, process.stderr.read()
    return b"".join(chunks).decode().replace("\r\n", "\n")


def test_on_a_terminal_listings_fit_its_width(company):
    out = on_a_terminal(company, "due", columns=80, env={"COLLECTCTL_PAGER": "cat"})
    assert "keystone-build" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_long_output_goes_through_the_pager(company):
    pager = {"COLLECTCTL_PAGER": "sed 's/^/paged: /'"}
    long = on_a_terminal(company, "brief", "keystone-build", lines=10, env=pager)
    assert long.splitlines()[0].startswith("paged: Keystone Builders")
    short = on_a_terminal(company, "brief", "keystone-build", lines=500, env=pager)
    assert short.startswith("Keystone Builders")  # fits the screen: printed as it is
    asked_not = on_a_terminal(company, "--no-pager", "brief", "keystone-build", lines=10, env=pager)
    assert asked_not.startswith("Keystone Builders")
    into_pipe = run("brief", "keystone-build", cwd=company, env={**pager, "LINES": "10"})
    assert into_pipe.out.startswith("Keystone Builders")


def test_a_dash_for_a_file_means_standard_output(company):
    pdf = subprocess.run([COLLECTCTL, "statement", "brightway", "--format", "pdf", "-o", "-"],
                 cwd=company, capture_output=True, timeout=60)  # fmt: skip
    assert pdf.returncode == 0 and pdf.stdout.startswith(b"%PDF-") and pdf.stderr == b""
    page = run("report", "html", "-", cwd=company)
    assert page.code == 0 and page.out.startswith("<!DOCTYPE html>") and page.err == ""
    calendar = run("followups", "--ics", "-", cwd=company)
    assert calendar.out.startswith("BEGIN:VCALENDAR")
    assert not (company / "-").exists()
