"""A collector's whole day, driven through the installed command with --today."""

import json

from conftest import run


def day(ledger, today, *args, collector="Sam"):
    result = run("-L", str(ledger), "--today", today, "--collector", collector, *args)
    assert result.code == 0, result.err
    return result.out


def due(ledger, today, collector="Sam"):
    return json.loads(day(ledger, today, "due", "--format", "json", collector=collector))


def fresh_ledger(tmp_path):
    ledger = tmp_path / "books"
    assert run("init", str(ledger), "--company", "Fresh Co").code == 0
    day(ledger, "2026-10-01", "customer", "add", "acme", "--name", "Acme Inc.")
    day(
        ledger,
        "2026-10-01",
        "contact",
        "add",
        "acme",
        "--name",
        "Bob",
        "--role",
        "payables",
        "--phone",
        "555-0101",
    )
    day(
        ledger,
        "2026-10-01",
        "invoice",
        "add",
        "acme",
        "INV-1",
        "--amount",
        "5000",
        "--issued",
        "2026-10-01",
        "--po",
        "PO-1",
    )
    return ledger


def test_promise_kept(tmp_path):
    ledger = fresh_ledger(tmp_path)
    # due 2026-10-31; first call on day 35 of net 30
    assert due(ledger, "2026-11-04") == []
    [row] = due(ledger, "2026-11-05")
    assert row["reasons"] == ["5 days past due — first call"]
    assert row["contact"]["name"] == "Bob"

    assert "Acme Inc." in day(ledger, "2026-11-05", "brief", "acme")
    out = day(
        ledger,
        "2026-11-05",
        "log-call",
        "acme",
        "--contact",
        "Ann",
        "--outcome",
        "promise",
        "--amount",
        "5000",
        "--by",
        "2026-11-13",
        "--method",
        "ach",
        "--notes",
        "Ann approves; ACH next Friday",
    )
    assert "next: check on 2026-11-16" in out  # the 14th is a Saturday
    assert due(ledger, "2026-11-06") == []  # a pending promise says wait

    follow = json.loads(day(ledger, "2026-11-16", "followups", "--format", "json"))
    assert [(f["kind"], f["detail"]) for f in follow] == [
        ("promise-check", "promise of 5,000.00 due 2026-11-13")
    ]

    paid = day(ledger, "2026-11-13", "pay", "acme", "--amount", "5000", "--reference", "ACH-1")
    assert "promise of 5,000.00 kept" in paid
    assert due(ledger, "2026-11-16") == []
    brief = json.loads(day(ledger, "2026-11-16", "brief", "acme", "--format", "json"))
    assert brief["promises"][0]["status"] == "kept"
    assert brief["spoke_to_last"] == "Ann"


def test_promise_broken_brings_the_account_back_to_the_top(tmp_path):
    ledger = fresh_ledger(tmp_path)
    day(ledger, "2026-10-01", "customer", "add", "zeta", "--name", "Zeta LLC")
    day(
        ledger,
        "2026-10-01",
        "invoice",
        "add",
        "zeta",
        "Z-1",
        "--amount",
        "90000",
        "--issued",
        "2026-09-15",
    )
    day(ledger, "2026-11-05", "promise", "acme", "--amount", "2000", "--by", "2026-11-13")
    assert [r["customer"] for r in due(ledger, "2026-11-06")] == ["zeta"]

    on_check_day = due(ledger, "2026-11-16")
    assert [r["customer"] for r in on_check_day] == ["acme", "zeta"]
    assert on_check_day[0]["reasons"][0] == "promise of 2,000.00 due 2026-11-13"
    after = due(ledger, "2026-11-17")
    assert [r["customer"] for r in after] == ["acme", "zeta"]
    assert after[0]["reasons"][0] == "promise of 2,000.00 broken on 2026-11-17"
    brief = json.loads(day(ledger, "2026-11-17", "brief", "acme", "--format", "json"))
    assert brief["promises"][0]["status"] == "broken"
    assert "That payment hasn't reached us." in brief["opener"]


def test_the_sample_day(sample):
    """Monday morning on the sample ledger: work the top of the list."""

    def maria(today, *args):
        return day(sample, today, *args, collector="maria")

    top = due(sample, "2026-11-23", "maria")[:3]  # her own accounts (keystone-build is Dev's)
    assert [r["customer"] for r in top] == ["fulton-foods", "harbor-marine", "nordlicht"]
    promised = ["--outcome", "promise", "--amount", "2000", "--by", "2026-11-27"]
    maria("2026-11-23", "log-call", "harbor-marine", "--contact", "Luis Ortega", *promised)
    assert "harbor-marine" not in [r["customer"] for r in due(sample, "2026-11-24", "maria")]
    # Friday 27th is a holiday, +1 day of grace is a Saturday: the check is Monday the 30th
    follow = json.loads(maria("2026-11-30", "followups", "--format", "json"))
    checks = [(f["date"], f["customer"], f["kind"]) for f in follow]
    assert ("2026-11-30", "harbor-marine", "promise-check") in checks
    maria("2026-11-27", "pay", "harbor-marine", "--amount", "2000", "--reference", "5521")
    brief = json.loads(maria("2026-11-30", "brief", "harbor-marine", "--format", "json"))
    assert [p["status"] for p in brief["promises"]] == ["kept", "broken"]
