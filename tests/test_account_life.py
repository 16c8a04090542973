"""The account's whole life, tried as a collector and a credit manager would on the sample
company: promises counted right, disputes that open and close, escalations the manager
sees, contacts kept current, every touch recorded."""

import json

from conftest import run


def ledger_run(ledger, *args, **kwargs):
    return run("-L", str(ledger), "--collector", "maria", *args, **kwargs)


def brief(ledger, customer, *extra, today=None):
    args = (["--today", today] if today else []) + ["brief", customer, "--format", "json"]
    result = ledger_run(ledger, *args, *extra)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_a_payment_before_two_promises_keeps_neither(sample):
    assert ledger_run(sample, "pay", "cobalt-tool", "--amount", "1000").code == 0
    for by in ("2026-11-30", "2026-12-07"):
        made = ledger_run(sample, "promise", "cobalt-tool", "--amount", "1000", "--by", by)
        assert made.code == 0, made.err
    promises = brief(sample, "cobalt-tool", today="2026-12-09")["promises"]
    assert {p["by"]: p["status"] for p in promises} == {
        "2026-11-30": "broken",
        "2026-12-07": "broken",
    }
    assert ledger_run(sample, "--today", "2026-11-25", "pay", "cobalt-tool",
                      "--amount", "1000", "--date", "2026-11-25").code == 0  # fmt: skip
    promises = brief(sample, "cobalt-tool", today="2026-12-09")["promises"]
    statuses = {p["by"]: p["status"] for p in promises}
    assert statuses == {"2026-11-30": "kept", "2026-12-07": "broken"}  # one payment, one
