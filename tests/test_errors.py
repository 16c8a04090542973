"""Every bad input: one line on stderr naming what is wrong, a non-zero exit, and the
ledger (files and git state) exactly as it was."""

import os

import pytest
from conftest import run, snapshot

INVOICE = [
    "invoice",
    "add",
    "cobalt-tool",
    "INV-9001",
    "--amount",
    "100.00",
    "--issued",
    "2026-11-01",
]

CASES = {
    "an empty --to": (
        ["resend-invoice", "cobalt-tool", "INV-2026-0128", "--to", ""],
        2,
        "collectctl: --to '' is not one email address",
    ),
    # bounded: every number and date a person can type (issue 13, items 6 and 14)
    "an amount too large": (
        ["pay", "cobalt-tool", "--amount", "12345678901234567890123456"],
        2,
        "collectctl: --amount: 12345678901234567890123456 is too large (at most 13 digits "
        "before the point)",
    ),
    "digits that are not ASCII": (
        ["pay", "cobalt-tool", "--amount", "\uff11\uff12"],
        2,
        "collectctl: --amount: '\uff11\uff12' is not an amount (write it like 1234.50)",
    ),
    "a date in year 1": (
        ["pay", "cobalt-tool", "--amount", "5", "--date", "0001-01-01"],
        2,
        "collectctl pay: Invalid value for '--date': 0001-01-01 is outside the years "
        "1900-2999 (see 'collectctl pay --help')",
    ),
    "a plan past ten years": (
        [
            "promise",
            "cobalt-tool",
            "--amount",
            "100",
            "--by",
            "2026-12-01",
            "--installments",
            "3",
            "--every",
            "999999999d",
        ],
        2,
        "collectctl: --every 999999999d: the plan would run past ten years",
    ),
    "an address in angle brackets": (
        ["resend-invoice", "cobalt-tool", "INV-2026-0128", "--to", "<a@b.example>"],
        2,
        "collectctl: --to '<a@b.example>' is not one email address",
    ),
    "terms of a million days": (
        ["customer", "add", "newco", "--name", "New", "--terms", "99999999"],
        2,
        "collectctl customer add: Invalid value for '--terms': 99999999 is not in the range "
        "0<=x<=3650. (see 'collectctl customer add --help')",
    ),
    # what check would reject is never committed (issue 13, item 4 and 9)
    "installments of nothing": (
        [
            "promise",
            "cobalt-tool",
            "--amount",
            "0.01",
            "--by",
            "2026-12-01",
            "--installments",
            "2",
            "--every",
            "1d",
        ],
        2,
        "collectctl: --amount 0.01 in 2 installments leaves nothing for each; promise more, "
        "or in fewer installments",
    ),
    "negative credit limit": (
        ["customer", "add", "newco", "--name", "New", "--credit-limit", "-5"],
        2,
        "collectctl: --credit-limit: -5 must be more than zero",
    ),
    "zero credit limit": (
        ["customer", "add", "newco", "--name", "New", "--credit-limit", "0"],
        2,
        "collectctl: --credit-limit: 0 must be more than zero",
    ),
    "credit limit with extra decimals": (
        ["customer", "add", "newco", "--name", "New", "--credit-limit", "1.005"],
        2,
        "collectctl: --credit-limit: 1.005 has more than 2 decimal places for USD",
    ),
    "a contact on two lines": (
        [
            "log-call",
            "cobalt-tool",
            "--contact",
            "Bob\nSmith",
            "--outcome",
            "reached",
            "--notes",
            "x",
        ],
        2,
        "collectctl: --contact: 'Bob\\nSmith' must be one line",
    ),
    "a customer name on two lines": (
        ["customer", "add", "newco", "--name", "New\rCo"],
        2,
        "collectctl: --name: 'New\\rCo' must be one line",
    ),
    "unknown customer": (
        ["invoice", "add", "cobolt-tool", "INV-9", "--amount", "1", "--issued", "2026-11-01"],
        1,
        "collectctl: unknown customer 'cobolt-tool' (did you mean 'cobalt-tool'?)",
    ),
    "bad date": (
        ["invoice", "add", "cobalt-tool", "INV-9", "--amount", "1", "--issued", "2026-02-30"],
        2,
        "collectctl invoice add: Invalid value for '--issued': '2026-02-30' is not a date "
        "(write YYYY-MM-DD) (see 'collectctl invoice add --help')",
    ),
    "bad amount": (
        ["invoice", "add", "cobalt-tool", "INV-9", "--amount", "12,34.5", "--issued", "2026-11-01"],
        2,
        "collectctl: --amount: '12,34.5' is not an amount (write it like 1234.50)",
    ),
    "too many decimals": (
        ["invoice", "add", "cobalt-tool", "INV-9", "--amount", "1.005", "--issued", "2026-11-01"],
        2,
        "collectctl: --amount: 1.005 has more than 2 decimal places for USD",
    ),
    "negative amount": (
        ["invoice", "add", "cobalt-tool", "INV-9", "--amount", "-5", "--issued", "2026-11-01"],
        2,
        "collectctl: --amount: -5 must be more than zero",
    ),
    "due before issue": (
        [*INVOICE, "--due", "2026-10-01"],
        2,
        "collectctl: --due 2026-10-01 is before --issued 2026-11-01",
    ),
    "duplicate invoice": (
        [
            "invoice",
            "add",
            "cobalt-tool",
            "INV-2026-0128",
            "--amount",
            "1",
            "--issued",
            "2026-11-01",
        ],
        1,
        "collectctl: cobalt-tool already has invoice INV-2026-0128",
    ),
    "invoice of another customer": (
        [
            "invoice",
            "add",
            "cobalt-tool",
            "INV-2026-0093",
            "--amount",
            "1",
            "--issued",
            "2026-11-01",
        ],
        1,
        "collectctl: invoice INV-2026-0093 already belongs to meridian-health",
    ),
    "unsafe invoice number": (
        ["invoice", "add", "cobalt-tool", "../../etc", "--amount", "1", "--issued", "2026-11-01"],
        2,
        "collectctl: invalid invoice number '../../etc': use letters, digits and . _ # / - "
        "(starting with a letter or digit)",
    ),
    "path escape id": (
        ["contact", "add", "../x", "--name", "X"],
        2,
        "collectctl: invalid customer id '../x': use letters, digits, '-' and '_' "
        "(starting with a letter or digit, at most 64)",
    ),
    "absolute id": (
        ["customer", "add", "/etc", "--name", "X"],
        2,
        "collectctl: invalid customer id '/etc': use letters, digits, '-' and '_' "
        "(starting with a letter or digit, at most 64)",
    ),
    "dash id": (
        ["customer", "add", "--name", "X", "--", "-rf"],
        2,
        "collectctl: invalid customer id '-rf': use letters, digits, '-' and '_' "
        "(starting with a letter or digit, at most 64)",
    ),
    "existing customer": (
        ["customer", "add", "delta-fab", "--name", "Delta"],
        1,
        "collectctl: customer 'delta-fab' already exists (customers/delta-fab/customer.yaml)",
    ),
    "existing contact": (
        ["contact", "add", "delta-fab", "--name", "tom reyes"],
        1,
        "collectctl: delta-fab already has a contact named 'tom reyes'",
    ),
    "two email addresses": (
        ["contact", "add", "delta-fab", "--name", "X", "--email", "a@x.example, b@x.example"],
        2,
        "collectctl: --email: 'a@x.example, b@x.example' is not one email address",
    ),
    "bad currency": (
        ["customer", "add", "newco", "--name", "New", "--currency", "usd"],
        2,
        "collectctl: --currency: 'usd' is not a currency code (three capital letters, like USD)",
    ),
    "unknown owner": (
        ["customer", "add", "newco", "--name", "New", "--owner", "zed"],
        2,
        "collectctl: --owner: 'zed' is not a collector (collectctl.yaml lists: maria, dev, grace)",
    ),
    "unknown collector": (
        ["--collector", "zed", *INVOICE],
        2,
        "collectctl: --collector: 'zed' is not a collector (collectctl.yaml lists: maria, dev, grace)",
    ),
    "bad --today": (
        ["--today", "23.11.2026", "check"],
        2,
        "collectctl: --today: '23.11.2026' is not a date (write YYYY-MM-DD)",
    ),
    "missing option": (
        ["invoice", "add", "cobalt-tool", "INV-9", "--issued", "2026-11-01"],
        2,
        "collectctl invoice add: Missing option '--amount'. (see 'collectctl invoice add --help')",
    ),
    "unknown command": (
        ["dance"],
        2,
        "collectctl: No such command 'dance'. (see 'collectctl --help')",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input_gives_one_line_and_leaves_the_ledger_alone(sample, case):
    args, code, message = CASES[case]
    before = snapshot(sample)

    result = run("-L", str(sample), *args)

    assert (result.code, result.err) == (code, message + "\n")
    assert result.out == ""
    assert snapshot(sample) == before


def test_malformed_yaml_names_file_and_line_and_blocks_writes(sample):
    path = sample / "customers/cobalt-tool/invoices.yaml"
    path.write_text(path.read_text().replace("    status: open", "    status: [open"))
    before = snapshot(sample)

    result = run("-L", str(sample), *INVOICE)

    assert result.code == 1
    assert result.err.startswith("collectctl: customers/cobalt-tool/invoices.yaml:")
    assert len(result.err.splitlines()) == 1
    assert snapshot(sample) == before


def test_a_wrong_type_names_file_and_line(sample):
    path = sample / "customers/delta-fab/customer.yaml"
    path.write_text(path.read_text().replace("terms: 30", "terms: thirty"))
    result = run("-L", str(sample), "history")
    assert result.code == 1
    assert result.err == (
        "collectctl: customers/delta-fab/customer.yaml:2: terms: 'thirty' is not a whole number\n"
    )


def test_no_ledger_found(tmp_path):
    result = run("check", cwd=tmp_path)
    assert result.code == 1
    assert result.err == (
        f"collectctl: no ledger here: no collectctl.yaml in {tmp_path.resolve()} or any folder "
        "above it (pass --ledger PATH, set COLLECTCTL_LEDGER, or run 'collectctl init DIR')\n"
    )


def test_ledger_option_pointing_nowhere(tmp_path):
    result = run("-L", str(tmp_path / "nope"), "check")
    assert (result.code, result.err) == (
        1,
        f"collectctl: --ledger {tmp_path / 'nope'}: no collectctl.yaml there\n",
    )


def test_a_symlinked_customer_folder_is_refused(sample, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "customer.yaml").write_text("name: Sneaky\n")
    os.symlink(outside, sample / "customers/sneaky")

    checked = run("-L", str(sample), "check")
    added = run("-L", str(sample), "contact", "add", "sneaky", "--name", "X")

    assert "customers/sneaky: is a symlink; ledgers hold only real files" in checked.out
    assert added.code == 2
    assert added.err == "collectctl: customers/sneaky is a symlink; ledgers hold only real files\n"
    assert not (outside / "customer.yaml").read_text().count("X")


def test_debug_shows_the_traceback(sample):
    result = run("-L", str(sample), "--debug", "contact", "add", "nobody", "--name", "X")
    assert result.code == 1
    assert "Traceback" in result.err and "NotFoundError" in result.err


def test_a_ledger_outside_git_cannot_be_changed(tmp_path):
    ledger = tmp_path / "plain"
    ledger.mkdir()
    (ledger / "collectctl.yaml").write_text("format: 2\ncompany: Plain Co\n")
    result = run("-L", str(ledger), "customer", "add", "acme", "--name", "Acme")
    assert result.code == 1
    assert result.err == (
        f"collectctl: {ledger} is not in a git repository; run 'git init' there first\n"
    )
    assert not (ledger / "customers").exists()
    history = run("-L", str(ledger), "history")
    assert (history.code, history.err) == (
        1,
        f"collectctl: {ledger} is not in a git repository: it has no history\n",
    )


def test_a_held_lock_times_out_with_a_clear_message(sample):
    import fcntl

    (sample / ".collectctl").mkdir(exist_ok=True)
    with open(sample / ".collectctl/lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = run(
            "-L",
            str(sample),
            "contact",
            "add",
            "delta-fab",
            "--name",
            "Jo",
            env={"COLLECTCTL_LOCK_TIMEOUT": "0.3"},
        )
    assert result.code == 1
    assert (
        result.err == "collectctl: the ledger is locked by another collectctl process; try again\n"
    )


def test_an_oversized_file_is_named_with_its_size(sample):
    event = sample / "customers/delta-fab/activity/2026-11-20T100000-note-maria.yaml"
    event.parent.mkdir(exist_ok=True)
    event.write_text("kind: note\ndate: 2026-11-20\ncollector: maria\nnotes: x\n" + "#" * 4_200_000)
    result = run("-L", str(sample), "check")
    assert result.code == 1
    assert result.out == (
        "customers/delta-fab/activity/2026-11-20T100000-note-maria.yaml: "
        "file is 4,200,054 bytes; the limit is 4,194,304\n"
    )


def test_a_file_that_is_not_utf8_is_named(sample):
    (sample / "customers/delta-fab/customer.yaml").write_bytes(b"name: Caf\xe9 Delta\n")
    result = run("-L", str(sample), "check")
    assert result.code == 1
    assert result.out == (
        "customers/delta-fab/customer.yaml: not UTF-8 text (invalid continuation byte)\n"
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("kind: note\nlist:\n  - " + "- " * 50_000 + "x\n", 3),  # a list in a list in …
        ("kind: note\nlist: " + "[" * 50_000 + "\n", 2),
        ("kind: note\nnotes: ok\nmap: " + "{a: " * 50_000 + "\n", 3),
    ],
    ids=["dashes", "brackets", "braces"],
)
def test_a_file_nested_fifty_thousand_deep_on_one_line_is_named(sample, text, line):
    """libyaml's composer would recurse until the process died; refused in one line."""
    event = sample / "customers/delta-fab/activity/2026-11-20T100000-note-maria.yaml"
    event.parent.mkdir(exist_ok=True)
    event.write_text(text)
    result = run("-L", str(sample), "check")
    assert (result.code, result.err) == (1, "")
    assert result.out == (
        f"customers/delta-fab/activity/2026-11-20T100000-note-maria.yaml:{line}: "
        "nesting is too deep\n"
    )


def test_a_file_nested_past_the_stack_is_named(sample):
    """1,500 keys each indented under the last: refused in one line, on every
    path a file is read by (the plain reader hands it to libyaml, which says why)."""
    event = sample / "customers/delta-fab/activity/2026-11-20T100000-note-maria.yaml"
    event.parent.mkdir(exist_ok=True)
    event.write_text("".join(" " * depth + f"k{depth}:\n" for depth in range(1500)))
    result = run("-L", str(sample), "check")
    assert result.code == 1
    assert result.out == (
        "customers/delta-fab/activity/2026-11-20T100000-note-maria.yaml: nesting is too deep\n"
    )
    listed = run("-L", str(sample), "due", "--all")  # dev's own list does not read maria's
    assert listed.code != 0
    assert listed.err.count("\n") == 1 and "nesting is too deep" in listed.err
