"""`collectctl check`: every problem in the ledger as path:line: message, for people and CI."""

import json

from conftest import run


def test_the_sample_ledger_is_clean(sample):
    result = run("-L", str(sample), "check")
    assert (result.code, result.out, result.err) == (0, "ledger OK\n", "")


def break_the_sample(sample):
    def edit(rel, old, new):
        path = sample / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new))

    edit("customers/delta-fab/customer.yaml", "credit_limit: 15000.00", "credit_lmit: 15000.00")
    edit("customers/delta-fab/invoices.yaml", "due: 2026-10-21", "due: 2026-10-32")
    edit(
        "customers/harbor-marine/activity/2026-11-10T090500Z-promise-maria.yaml",
        "contact: Luis Ortega",
        "contact: Luis Ortego",
    )
    edit("customers/cobalt-tool/invoices.yaml", "INV-2026-0128", "INV-2026-0093")
    edit(
        "customers/ironclad/activity/2026-11-05T080000Z-payment-dev.yaml",
        "invoice: INV-2026-0072",
        "invoice: INV-2026-0073",
    )
    edit("customers/brightway/customer.yaml", "authorizes_payment: true", "authorizes_payment: yes")
    edit(
        "customers/lakeside-print/invoices.yaml",
        "amount: 3115.25\n",
        "amount: 3115.255\n",
    )
    (sample / "customers/juniper-labs/activity/notes.txt").write_text("call him back\n")


def test_check_reports_every_problem_with_its_line(sample):
    break_the_sample(sample)
    result = run("-L", str(sample), "check")

    assert result.code == 1
    assert result.out.splitlines() == [
        "customers/brightway/customer.yaml:15: authorizes_payment: expected true or false, got 'yes'",
        "customers/delta-fab/customer.yaml:3: unknown key 'credit_lmit' (did you mean 'credit_limit'?)",
        "customers/delta-fab/invoices.yaml:5: due: '2026-10-32' is not a date (write YYYY-MM-DD)",
        "customers/harbor-marine/activity/2026-11-10T090500Z-promise-maria.yaml:4: names contact "
        "'Luis Ortego', who is not in customer.yaml",
        "customers/ironclad/activity/2026-11-05T080000Z-payment-dev.yaml:8: names invoice "
        "INV-2026-0073, which ironclad does not have",
        "customers/juniper-labs/activity/notes.txt: activity file name should be "
        "DATE'T'TIME-KIND-COLLECTOR.yaml",
        "customers/lakeside-print/invoices.yaml:11: amount: 3115.255 has more than 2 decimal places for USD",
        "customers/meridian-health/invoices.yaml:2: invoice INV-2026-0093 also belongs to cobalt-tool",
    ]


def test_check_json_is_machine_readable(sample):
    break_the_sample(sample)
    result = run("-L", str(sample), "check", "--format", "json")
    problems = json.loads(result.out)
    assert result.code == 1
    assert problems[0] == {
        "path": "customers/brightway/customer.yaml",
        "line": 15,
        "message": "authorizes_payment: expected true or false, got 'yes'",
    }
    assert len(problems) == 8, problems


def test_check_validates_the_configuration(sample):
    path = sample / "collectctl.yaml"
    text = path.read_text()
    text = text.replace("first_call_after_due: 5", "first_call_after_due: -5")
    text = text.replace("    security: starttls", "    security: starttls\n    password: hunter2")
    path.write_text(text)
    lines = text.splitlines()
    first_call = lines.index("  first_call_after_due: -5  # net 30 + 5: on the phone by day 35") + 1
    password = lines.index("    password: hunter2") + 1

    result = run("-L", str(sample), "check")

    assert result.code == 1
    assert result.out.splitlines() == [
        f"collectctl.yaml:{first_call}: first_call_after_due: '-5' is not a whole number",
        f"collectctl.yaml:{password}: never keep a password in the ledger; set COLLECTCTL_SMTP_PASSWORD instead",
    ]


def test_numbers_past_any_calendar_are_reported_not_a_traceback(sample):
    # a day count this large made every read die with OverflowError in date arithmetic
    config = sample / "collectctl.yaml"
    config.write_text(
        config.read_text()
        .replace("first_call_after_due: 5 ", "first_call_after_due: 99999999999 ")
        .replace("    port: 587", "    port: 99999999")
    )
    customer = sample / "customers/delta-fab/customer.yaml"
    customer.write_text(customer.read_text().replace("terms: 30", "terms: 36501"))

    result = run("-L", str(sample), "check")

    assert result.code == 1
    assert [line.split(":", 2)[2] for line in result.out.splitlines()] == [
        " first_call_after_due: 99999999999 is above the maximum of 36500",
        " port: 99999999 is above the maximum of 65535",
        " terms: 36501 is above the maximum of 36500",
    ]
    result = run("-L", str(sample), "due")
    assert result.code == 1
    assert result.err.startswith("collectctl: collectctl.yaml:")
    assert result.err.endswith("first_call_after_due: 99999999999 is above the maximum of 36500\n")


def test_events_with_missing_fields_are_reported(sample):
    path = sample / "customers/juniper-labs/activity/2026-11-21T100000-call-maria.yaml"
    path.write_text("kind: call\ndate: 2026-11-21\ncollector: maria\noutcome: shouted\n")
    result = run("-L", str(sample), "check")
    assert result.out.splitlines() == [
        "customers/juniper-labs/activity/2026-11-21T100000-call-maria.yaml:4: outcome: 'shouted' is "
        "not one of reached, voicemail, no-answer, wrong-person, promise, check-in-mail, "
        "invoice-not-received, dispute, refused, hostile, escalate",
    ]


HARBOR_PROMISE = "2026-11-10T090500Z-promise-maria.yaml"


def test_a_correction_takes_the_place_of_the_event_it_names(sample):
    """Event files are never rewritten: a promise logged by mistake is put right by a new
    event naming it, and from then on the promise no longer counts."""
    before = json.loads(run("-L", str(sample), "due", "--all", "--format", "json").out)
    harbor = next(r for r in before if r["customer"] == "harbor-marine")
    assert harbor["why"][0]["code"] == "promise-broken"
    correction = sample / "customers/harbor-marine/activity/2026-11-23T100000-note-maria.yaml"
    correction.write_text(
        "kind: note\ndate: 2026-11-23\ncollector: maria\n"
        f"corrects: {HARBOR_PROMISE}\nnotes: Luis never promised; logged on the wrong account\n"
    )
    assert run("-L", str(sample), "check").out == "ledger OK\n"
    after = json.loads(run("-L", str(sample), "due", "--all", "--format", "json").out)
    harbor = next(r for r in after if r["customer"] == "harbor-marine")
    assert [w["code"] for w in harbor["why"]] == ["past-due"]
    brief = run("-L", str(sample), "brief", "harbor-marine").out
    assert "PROMISES\nnone" in brief


def test_a_correction_must_name_another_event(sample):
    path = "customers/harbor-marine/activity/2026-11-23T100000-note-maria.yaml"
    (sample / path).write_text(
        "kind: note\ndate: 2026-11-23\ncollector: maria\ncorrects: 2026-11-10T000000-call-x.yaml\n"
    )
    result = run("-L", str(sample), "check")
    assert result.code == 1
    assert result.out == (
        f"{path}: corrects 2026-11-10T000000-call-x.yaml, which is not another file in activity/\n"
    )


def test_an_invoice_in_another_currency_than_its_customer_is_refused(sample):
    """One currency per customer: a JPY invoice on a USD customer would have payments in
    dollars applied to yen (issue 13, item 1)."""
    path = sample / "customers/cobalt-tool/invoices.yaml"
    path.write_text(
        path.read_text().replace("    amount: 6400.00", "    currency: JPY\n    amount: 6400")
    )
    result = run("-L", str(sample), "check")
    assert result.code == 1
    assert result.out == (
        "customers/cobalt-tool/invoices.yaml:6: currency: JPY is not the customer's USD "
        "(collectctl keeps one currency per customer: bill another currency to a customer "
        "of its own)\n"
    )
    assert run("-L", str(sample), "pay", "cobalt-tool", "--amount", "10.50").code == 1


def test_what_only_failed_when_sending_is_refused_by_check(sample):
    """A sender with a line break (a header injection) and an invoice document outside the
    customer's folder: check names them, not the next send (issue 13, item 14)."""
    config = sample / "collectctl.yaml"
    config.write_text(config.read_text().replace(
        "from: ar@harborline.example", 'from: "ar@harborline.example\\nBcc: x@evil.example"'
    ))  # fmt: skip
    invoices = sample / "customers/cobalt-tool/invoices.yaml"
    invoices.write_text(invoices.read_text() + "    document: /etc/hostname\n")
    result = run("-L", str(sample), "check")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("collectctl.yaml:") and "is not one email address" in lines[0]
    assert lines[-1].endswith(
        "document: '/etc/hostname' must be a path inside the customer's folder"
    )


def test_a_symlinked_activity_file_is_refused(sample, tmp_path):
    outside = tmp_path / "call.yaml"
    outside.write_text("kind: call\ndate: 2026-11-20\ncollector: maria\noutcome: hostile\n")
    event = sample / "customers/cobalt-tool/activity/2026-11-20T100000-call-maria.yaml"
    event.parent.mkdir(exist_ok=True)
    event.symlink_to(outside)
    result = run("-L", str(sample), "check")
    assert (result.code, result.out) == (
        1,
        "customers/cobalt-tool/activity/2026-11-20T100000-call-maria.yaml: is a symlink; "
        "ledgers hold only real files\n",
    )


def test_a_symlinked_activity_folder_is_refused(sample, tmp_path):
    activity = sample / "customers/cobalt-tool/activity"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if activity.exists():
        activity.rename(elsewhere / "activity")
    activity.symlink_to(elsewhere)
    result = run("-L", str(sample), "check")
    assert (result.code, result.out) == (
        1,
        "customers/cobalt-tool/activity: is a symlink; ledgers hold only real files\n",
    )


def test_a_dispute_resolved_with_a_blank_resolution_is_reported_not_dropped(sample):
    # it was read as no event at all: the dispute stayed open, and check said nothing
    activity = sample / "customers/fulton-foods/activity"
    (activity / "2026-11-20T100000Z-dispute-maria.yaml").write_text(
        "kind: dispute\ndate: 2026-11-20\ncollector: maria\ninvoice: INV-2026-0095\n"
        "resolution: '  '\n"
    )
    result = run("-L", str(sample), "check")
    assert (result.code, result.out) == (
        1,
        "customers/fulton-foods/activity/2026-11-20T100000Z-dispute-maria.yaml:5: "
        "resolution: must not be empty\n",
    )
