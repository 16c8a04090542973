"""Recording the day: log-call, promise, pay, escalate — each one commit."""

import json
import re

import pytest
from conftest import commit_count, git, run, snapshot

from collectctl.storage import store


def ledger_run(sample, *args, **kwargs):
    return run("-L", str(sample), "--collector", "maria", *args, **kwargs)


def last_event(sample, customer, kind=""):
    """The newest activity file of a customer (of that kind, if given), read."""
    folder = sample / f"customers/{customer}/activity"
    newest = sorted(p for p in folder.iterdir() if f"-{kind}-" in p.name or not kind)[-1]
    return newest.name, store.read(newest, newest.name)


def test_log_call_check_in_mail_books_the_chase(sample):
    before = commit_count(sample)
    result = ledger_run(
        sample,
        "log-call",
        "nordlicht",
        "--contact",
        "katrin vogel",
        "--outcome",
        "check-in-mail",
        "--check-number",
        "88123",
        "--check-amount",
        "18950.00",
        "--mailed",
        "2026-11-20",
        "--notes",
        "Sent by post to the Chicago lockbox.",
    )
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:] == ["  next: check-in-mail on 2026-11-30"]
    assert result.out.startswith(
        "log-call nordlicht: check #88123 for 18,950.00 EUR mailed 2026-11-20 (Katrin Vogel) ["
    )
    assert commit_count(sample) == before + 1
    name, event = last_event(sample, "nordlicht")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{6}Z-call-maria\.yaml", name)  # UTC, written
    assert event["contact"] == "Katrin Vogel"  # spelled as the ledger spells it
    assert event["check"] == {"number": "88123", "amount": "18950.00", "mailed": "2026-11-20"}
    assert event["follow_up"] == "2026-11-30"
    assert (
        git(sample, "log", "-1", "--format=%(trailers:key=Collectctl-Action,valueonly)").strip()
        == "log-call"
    )


def test_a_hostile_call_books_a_callback_on_the_next_business_day(sample):
    result = ledger_run(
        sample,
        "--today",
        "2026-11-25",
        "log-call",
        "juniper-labs",
        "--outcome",
        "hostile",
        "--notes",
        "Shouting again.",
    )
    assert result.code == 0, result.err
    assert "next: callback on 2026-11-30" in result.out  # Thanksgiving, Friday off, weekend


def test_a_new_name_joins_the_contacts_in_the_same_commit(sample):
    result = ledger_run(
        sample,
        "log-call",
        "cobalt-tool",
        "--contact",
        "Jim Beam",
        "--outcome",
        "wrong-person",
        "--notes",
        "Jim is in shipping.",
    )
    assert result.code == 0, result.err
    files = git(sample, "show", "--name-only", "--format=", "HEAD").split()
    assert files[0] == "customers/cobalt-tool/activity/" + last_event(sample, "cobalt-tool")[0]
    assert files[1] == "customers/cobalt-tool/customer.yaml"
    assert "  - name: Jim Beam\n" in (sample / "customers/cobalt-tool/customer.yaml").read_text()
    brief = json.loads(run("-L", str(sample), "brief", "cobalt-tool", "--format", "json").out)
    assert brief["last_contacts"][0]["who"] == "Jim Beam"


def test_notes_from_standard_input_and_a_recording_reference(sample):
    result = ledger_run(
        sample,
        "log-call",
        "meridian-health",
        "--contact",
        "Robert Chen",
        "--outcome",
        "reached",
        "--notes",
        "-",
        "--recording",
        "https://calls.example/rec/8812",
        input="Robert approved the invoice.\nPayment run is Friday.\n",
    )
    assert result.code == 0, result.err
    _, event = last_event(sample, "meridian-health")
    assert event["notes"] == "Robert approved the invoice.\nPayment run is Friday.\n"
    assert event["recording"] == "https://calls.example/rec/8812"
    assert "next: call-again on 2026-11-30" in result.out


def test_a_dispute_marks_the_invoice_and_holds_back_only_its_part(sample):
    result = ledger_run(
        sample,
        "log-call",
        "fulton-foods",
        "--outcome",
        "dispute",
        "--invoice",
        "INV-2026-0119",
        "--reason",
        "wrong-product",
        "--disputed-amount",
        "300",
        "--notes",
        "Got 12 oz jars, ordered 16 oz.",
    )
    assert result.code == 0, result.err
    invoices = sample / "customers/fulton-foods/invoices.yaml"
    assert "dispute" not in invoices.read_text()  # a dispute is an event, never a copy
    name, event = last_event(sample, "fulton-foods", "dispute")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{6}Z-dispute-maria\.yaml", name)
    assert event["date"] == "2026-11-23"  # the business day is the event's date
    assert {k: event[k] for k in ("invoice", "reason", "amount", "notes")} == {
        "invoice": "INV-2026-0119",
        "reason": "wrong-product",
        "amount": "300.00",
        "notes": "Got 12 oz jars, ordered 16 oz.",
    }
    brief = json.loads(run("-L", str(sample), "brief", "fulton-foods", "--format", "json").out)
    disputed = next(i for i in brief["open_invoices"] if i["number"] == "INV-2026-0119")
    assert disputed["dispute"] == {
        "reason": "wrong-product",
        "opened": "2026-11-23",
        "amount": "300.00",
        "notes": "Got 12 oz jars, ordered 16 oz.",
    }
    due = json.loads(run("-L", str(sample), "due", "--all", "--format", "json").out)
    fulton = next(r for r in due if r["customer"] == "fulton-foods")
    assert (fulton["overdue"], fulton["disputed"]) == ("9300.00", "1760.00")  # 300 more held


def test_invoice_not_received_points_to_resend_invoice(sample):
    result = ledger_run(
        sample,
        "log-call",
        "cobalt-tool",
        "--contact",
        "Sue Park",
        "--outcome",
        "invoice-not-received",
        "--invoice",
        "INV-2026-0128",
    )
    assert result.code == 0, result.err
    assert "send the copy now: collectctl resend-invoice cobalt-tool INV-2026-0128" in result.out


def test_log_call_with_a_promise_reads_well_in_git_log(sample):
    result = ledger_run(
        sample,
        "log-call",
        "harbor-marine",
        "--contact",
        "Luis Ortega",
        "--outcome",
        "promise",
        "--amount",
        "4000",
        "--by",
        "2026-12-01",
        "--method",
        "wire",
    )
    assert result.code == 0, result.err
    assert git(sample, "log", "-1", "--format=%s").strip() == (
        "log-call harbor-marine: promise 4,000.00 USD by 2026-12-01"
    )
    assert "next: check on 2026-12-02" in result.out
    files = git(sample, "show", "--name-only", "--format=", "HEAD").split()
    assert [f.rsplit("-", 2)[1] for f in files] == ["call", "promise"]


def test_escalate_outcome_hands_the_account_to_the_credit_manager(sample):
    result = ledger_run(
        sample,
        "log-call",
        "meridian-health",
        "--outcome",
        "escalate",
        "--notes",
        "Robert will not commit to a date.",
    )
    assert result.code == 0, result.err
    due = json.loads(run("-L", str(sample), "due", "--collector", "grace", "--format", "json").out)
    assert "meridian-health" in [r["customer"] for r in due]


CALL_ERRORS = {
    "check without details": (
        ["--outcome", "check-in-mail"],
        2,
        "collectctl: --outcome check-in-mail needs --check-number, --check-amount and --mailed",
    ),
    "part of a check": (
        ["--outcome", "check-in-mail", "--check-number", "1"],
        2,
        "collectctl: a check in the mail needs --check-number, --check-amount and --mailed",
    ),
    "dispute without reason": (
        ["--outcome", "dispute", "--invoice", "INV-2026-0128"],
        2,
        "collectctl: --outcome dispute needs --invoice and --reason",
    ),
    "unknown invoice": (
        ["--outcome", "invoice-not-received", "--invoice", "INV-9"],
        1,
        "collectctl: cobalt-tool has no invoice INV-9",
    ),
    "promise without amount": (
        ["--outcome", "promise"],
        2,
        "collectctl: --outcome promise needs --amount and --by (or record it with 'collectctl promise')",
    ),
    "stray check": (
        [
            "--outcome",
            "reached",
            "--check-number",
            "1",
            "--check-amount",
            "1",
            "--mailed",
            "2026-11-20",
        ],
        2,
        "collectctl: --check-number/--check-amount/--mailed does not go with --outcome reached",
    ),
    "bad outcome": (
        ["--outcome", "shouted"],
        2,
        "collectctl log-call: Invalid value for '--outcome': 'shouted' is not one of 'reached', "
        "'voicemail', 'no-answer', 'wrong-person', 'promise', 'check-in-mail', "
        "'invoice-not-received', 'dispute', 'refused', 'hostile', 'escalate'. "
        "(see 'collectctl log-call --help')",
    ),
    "future mailing": (
        [
            "--outcome",
            "check-in-mail",
            "--check-number",
            "1",
            "--check-amount",
            "5",
            "--mailed",
            "2026-11-30",
        ],
        2,
        "collectctl: --mailed 2026-11-30 is in the future (today is 2026-11-23)",
    ),
}


@pytest.mark.parametrize("case", CALL_ERRORS, ids=str)
def test_log_call_refuses_incomplete_calls(sample, case):
    args, code, message = CALL_ERRORS[case]
    before = snapshot(sample)
    result = ledger_run(sample, "log-call", "cobalt-tool", "--notes", "x", *args)
    assert (result.code, result.err) == (code, message + "\n")
    assert snapshot(sample) == before


def test_promise_installments_and_the_confirmation(sample):
    result = ledger_run(
        sample,
        "promise",
        "meridian-health",
        "--amount",
        "15600",
        "--by",
        "2026-12-01",
        "--installments",
        "3",
        "--every",
        "1m",
        "--method",
        "ach",
        "--contact",
        "Robert Chen",
        "--show-email",
    )
    assert result.code == 0, result.err
    assert result.out.startswith(
        "promise meridian-health: 15,600.00 USD in 3 installments, 2026-12-01 to 2027-02-01 ["
    )
    assert "next: check on 2026-12-02" in result.out
    assert "next: check on 2027-01-04" in result.out  # Jan 2 is a Saturday
    _, event = last_event(sample, "meridian-health")
    assert event["installments"] == [
        {"by": "2026-12-01", "amount": "5200.00"},
        {"by": "2027-01-01", "amount": "5200.00"},
        {"by": "2027-02-01", "amount": "5200.00"},
    ]
    assert event["invoices"] == ["INV-2026-0093"]
    assert "Subject: Payment agreement: 15,600.00 USD to Harbor Line Supply Co." in result.out
    assert "Dear Robert Chen," in result.out
    assert "  5,200.00 USD by 2027-01-01" in result.out
    assert "For invoice: INV-2026-0093 (PO MHP-PO-20931)" in result.out


def test_an_uneven_split_puts_the_cents_on_the_last_installment(sample):
    result = ledger_run(
        sample,
        "promise",
        "delta-fab",
        "--amount",
        "1000",
        "--by",
        "2026-11-30",
        "--by",
        "2026-12-07",
        "--by",
        "2026-12-14",
    )
    assert result.code == 0, result.err
    _, event = last_event(sample, "delta-fab")
    assert [i["amount"] for i in event["installments"]] == ["333.33", "333.33", "333.34"]


PROMISE_ERRORS = {
    "past date": (
        ["--amount", "100", "--by", "2026-11-20"],
        2,
        "collectctl: --by 2026-11-20 is in the past (today is 2026-11-23)",
    ),
    "above balance": (
        ["--amount", "3250.01", "--by", "2026-12-01"],
        1,
        "collectctl: 3,250.01 USD is more than the open balance of delta-fab (3,250.00 USD)",
    ),
    "bad period": (
        ["--amount", "100", "--by", "2026-12-01", "--installments", "2", "--every", "fortnight"],
        2,
        "collectctl: --every: 'fortnight' is not a period like 14d, 2w or 1m",
    ),
    "paid invoice": (
        ["--amount", "100", "--by", "2026-12-01", "--invoice", "INV-X"],
        1,
        "collectctl: delta-fab has no invoice INV-X",
    ),
}


@pytest.mark.parametrize("case", PROMISE_ERRORS, ids=str)
def test_promise_refuses_what_cannot_be_kept(sample, case):
    args, code, message = PROMISE_ERRORS[case]
    before = snapshot(sample)
    result = ledger_run(sample, "promise", "delta-fab", *args)
    assert (result.code, result.err) == (code, message + "\n")
    assert snapshot(sample) == before


def test_paying_the_mailed_check_closes_its_follow_up_and_the_invoice(sample):
    result = ledger_run(
        sample,
        "pay",
        "delta-fab",
        "--amount",
        "3250.00",
        "--reference",
        "4411",
        "--method",
        "check",
        "--date",
        "2026-11-20",
    )
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:] == [
        "  INV-2026-0101 paid in full",
        "  check #4411 arrived: its follow-up is closed",
    ]
    invoices = (sample / "customers/delta-fab/invoices.yaml").read_text()
    assert "payments" not in invoices and "paid" not in invoices  # worked out, not copied
    _, event = last_event(sample, "delta-fab", "payment")
    assert (event["date"], event["amount"], event["reference"]) == (
        "2026-11-20",
        "3250.00",
        "4411",
    )
    brief = json.loads(run("-L", str(sample), "brief", "delta-fab", "--format", "json").out)
    assert brief["open_invoices"] == [] and brief["payments"][0]["date"] == "2026-11-20"
    follow = json.loads(run("-L", str(sample), "followups", "--format", "json").out)
    assert "delta-fab" not in [f["customer"] for f in follow]
    due = json.loads(run("-L", str(sample), "due", "--all", "--format", "json").out)
    assert "delta-fab" not in [r["customer"] for r in due]


def test_an_overpayment_is_kept_as_credit_and_shown_in_the_brief(sample):
    result = ledger_run(sample, "pay", "juniper-labs", "--amount", "3000", "--reference", "W-1")
    assert result.code == 0, result.err
    assert "  unapplied credit: 250.00 USD" in result.out
    brief = run("-L", str(sample), "brief", "juniper-labs")
    assert "unapplied credit 250.00" in brief.out
    assert (
        json.loads(run("-L", str(sample), "brief", "juniper-labs", "--format", "json").out)[
            "credit"
        ]
        == "250.00"
    )


def test_payment_applies_oldest_first_and_disputed_last(sample):
    result = ledger_run(sample, "pay", "fulton-foods", "--amount", "2500")
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:] == [
        "  INV-2026-0119 paid in full",
        "  INV-2026-0095: 8,560.00 USD still open",
    ]


def test_payment_errors_leave_the_ledger_alone(sample):
    before = snapshot(sample)
    future = ledger_run(sample, "pay", "delta-fab", "--amount", "1", "--date", "2026-12-01")
    paid = ledger_run(
        sample, "pay", "lakeside-print", "--amount", "1", "--invoice", "INV-2026-0079"
    )
    assert (future.code, future.err) == (
        2,
        "collectctl: --date 2026-12-01 is in the future (today is 2026-11-23)\n",
    )
    assert (paid.code, paid.err) == (1, "collectctl: invoice INV-2026-0079 has no open balance\n")
    assert snapshot(sample) == before


def test_escalate_command(sample):
    result = ledger_run(sample, "escalate", "harbor-marine", "--reason", "Broken promise, no reply")
    assert result.code == 0, result.err
    assert git(sample, "log", "-1", "--format=%s").strip() == (
        "escalate harbor-marine: to grace: Broken promise, no reply"
    )
    rows = json.loads(run("-L", str(sample), "due", "--all", "--format", "json").out)
    row = next(r for r in rows if r["customer"] == "harbor-marine")
    assert row["collector"] == "grace"
    assert (
        "escalated to Grace Okafor on 2026-11-23 by Maria Lopez: Broken promise, no reply"
        in (row["reasons"])
    )


def test_without_notes_an_interactive_shell_opens_the_editor(sample, tmp_path):
    import os
    import subprocess

    from conftest import COLLECTCTL

    editor = tmp_path / "fake-editor"
    editor.write_text('#!/bin/sh\nprintf "Typed in the editor.\\n" >> "$1"\n')
    editor.chmod(0o755)
    primary, secondary = os.openpty()  # a terminal on both ends, as in a real shell
    done = subprocess.run(
        [
            COLLECTCTL,
            "-L",
            str(sample),
            "--collector",
            "maria",
            "log-call",
            "juniper-labs",
            "--outcome",
            "reached",
        ],
        stdin=secondary,
        stdout=secondary,
        stderr=subprocess.PIPE,
        env={**os.environ, "EDITOR": str(editor)},
        timeout=60,
    )
    os.close(secondary)
    os.close(primary)
    assert done.returncode == 0, done.stderr
    _, event = last_event(sample, "juniper-labs")
    assert event["notes"] == "Typed in the editor."


def test_a_second_promise_of_the_whole_balance_is_noted(sample):
    first = ledger_run(sample, "promise", "cobalt-tool", "--amount", "6400", "--by", "2026-12-01")
    assert first.code == 0 and "note:" not in first.out
    second = ledger_run(sample, "promise", "cobalt-tool", "--amount", "6400", "--by", "2026-12-02")
    assert second.code == 0, second.err
    assert second.out.splitlines()[-1] == (
        "  note: promises pending now add up to 12,800.00 USD, more than the 6,400.00 USD "
        "open; record a correction if this one replaces an earlier promise"
    )


def test_activity_files_list_in_the_order_written_whatever_the_time_zone(sample):
    """Names carry the UTC second they were written: a collector in Kiritimati (UTC+14)
    then one in Pago Pago (UTC-11) — local clocks a day apart — still list in order; three
    records in one second get three seconds, never a suffix."""
    folder = sample / "customers/delta-fab/activity"
    before = set(folder.iterdir())
    for zone, text in (("Pacific/Kiritimati", "first"), ("Pacific/Pago_Pago", "second"),
                       ("UTC", "third"), ("UTC", "fourth")):  # fmt: skip
        result = ledger_run(sample, "note", "delta-fab", text, env={"TZ": zone})
        assert result.code == 0, result.err
    written = sorted(set(folder.iterdir()) - before)
    assert [store.read(p, p.name)["notes"] for p in written] == [
        "first",
        "second",
        "third",
        "fourth",
    ]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{6}Z-note-maria\.yaml", p.name) for p in written)
