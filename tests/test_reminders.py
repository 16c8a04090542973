"""`remind`: written reminders by level, tried as a credit team would from cron over a
month, with a real SMTP server on 127.0.0.1: the right level at the right time, one
message per customer, never twice; the accounts passed over and why; the call knows."""

import itertools
import json
import subprocess

import pytest
from conftest import COLLECTCTL, Mailbox, commit_count, git, run, snapshot, start_smtp

TEAM = """collectors:
  - id: maria
    name: Maria Lopez
    email: maria@remind.example
  - id: grace
    name: Grace Okafor
    email: grace@remind.example
    role: credit-manager
"""


def books(tmp_path):
    """acme owes A-1 (due 10-31) and A-2 (due 11-01); bolt owes B-1 (due 11-09); both
    Maria's, each with a payables contact who has an email address."""
    ledger = tmp_path / "books"
    assert run("init", str(ledger), "--company", "Remind Co", "--email-from",
               "ar@remind.example").code == 0  # fmt: skip
    config = ledger / "collectctl.yaml"
    config.write_text(config.read_text().replace("collectors: []\n", TEAM))
    git(ledger, "commit", "-qam", "the team")
    for args in (
        ["customer", "add", "acme", "--name", "Acme Inc.", "--owner", "maria"],
        ["contact", "add", "acme", "--name", "Ann", "--role", "payables",
         "--email", "ann@acme.example"],
        ["invoice", "add", "acme", "A-1", "--amount", "1000", "--issued", "2026-10-01"],
        ["invoice", "add", "acme", "A-2", "--amount", "500", "--issued", "2026-10-02"],
        ["customer", "add", "bolt", "--name", "Bolt LLC", "--owner", "maria"],
        ["contact", "add", "bolt", "--name", "Bo", "--role", "payables",
         "--email", "bo@bolt.example"],
        ["invoice", "add", "bolt", "B-1", "--amount", "800", "--issued", "2026-10-10"],
    ):  # fmt: skip
        done = on(ledger, "2026-10-10", *args)
        assert done.code == 0, done.err
    return ledger


def on(ledger, day, *args, env=None):
    return run("-L", str(ledger), "--today", day, "--collector", "maria", *args, env=env)


def remind(ledger, day, server, *args):
    result = on(ledger, day, "remind", "--send", "--format", "json", *args, env=server.env)
    assert result.code == 0, result.err
    return json.loads(result.out)


def sent_on(report):
    return [(r["customer"], r["level"], r["invoices"]) for r in report["reminders"]]


def reminder_events(ledger, customer):
    found = []
    for path in sorted((ledger / "customers" / customer / "activity").glob("*-email-*.yaml")):
        text = path.read_text()
        if "purpose: reminder" in text:
            found.append(text)
    return found


def test_a_month_of_reminders_from_cron(tmp_path, smtp_server):
    ledger = books(tmp_path)
    mailbox = smtp_server.mailbox

    assert sent_on(remind(ledger, "2026-11-03", smtp_server)) == [("acme", 1, ["A-1", "A-2"])]
    [first] = mailbox.messages()
    assert first["To"] == "Ann <ann@acme.example>"
    assert first["Subject"] == "Reminder: 2 invoices past due (1,500.00 USD)"
    assert first["Reply-To"] == "Maria Lopez <maria@remind.example>"  # the account's collector
    assert first["Auto-Submitted"] == "auto-generated"
    text = first.get_body(preferencelist=("plain",)).get_content()
    assert "A-1" in text and "A-2" in text and "Maria Lopez" in text
    assert git(ledger, "log", "-1", "--format=%s") == "remind: 1 reminder emailed (1 at level 1)\n"
    [event] = reminder_events(ledger, "acme")
    assert "level: 1\n" in event and "invoices:\n  - A-1\n  - A-2\n" in event

    before = commit_count(ledger)  # the same morning again: nothing twice
    assert sent_on(remind(ledger, "2026-11-03", smtp_server)) == []
    assert commit_count(ledger) == before and len(mailbox.envelopes) == 1

    assert sent_on(remind(ledger, "2026-11-12", smtp_server)) == [("bolt", 1, ["B-1"])]
    assert sent_on(remind(ledger, "2026-11-14", smtp_server)) == []  # nothing new reached
    assert sent_on(remind(ledger, "2026-11-15", smtp_server)) == [("acme", 2, ["A-1", "A-2"])]
    firm = mailbox.messages()[-1]
    assert firm["Subject"] == "Second reminder: 1,500.00 USD past due"
    assert "We wrote on 2026-11-03" in firm.get_body(preferencelist=("plain",)).get_content()
    assert sent_on(remind(ledger, "2026-11-16", smtp_server)) == []  # A-2 reached 2: sent

    # bolt pays in full: its second level never comes
    assert (
        on(ledger, "2026-11-20", "pay", "bolt", "--amount", "800", "--reference", "W-1").code == 0
    )
    assert sent_on(remind(ledger, "2026-11-24", smtp_server)) == []

    final = remind(ledger, "2026-11-30", smtp_server)
    assert sent_on(final) == [("acme", 3, ["A-1", "A-2"])]
    last = mailbox.messages()[-1]
    assert last["Subject"] == "Final reminder: 1,500.00 USD past due from Acme Inc."
    assert [part.get_filename() for part in last.iter_attachments()] == [
        "statement-acme-2026-11-30.pdf"
    ]
    assert [m["To"] for m in mailbox.messages()] == [
        "Ann <ann@acme.example>", "Bo <bo@bolt.example>", "Ann <ann@acme.example>",
        "Ann <ann@acme.example>",
    ]  # fmt: skip
    assert sent_on(remind(ledger, "2026-12-31", smtp_server)) == []  # every level sent
    history = on(ledger, "2026-12-01", "history", "--format", "json").out
    runs = [e for e in json.loads(history) if e["action"] == "remind"]
    assert [e["summary"] for e in runs] == [
        "remind: 1 reminder emailed (1 at level 3)", "remind: 1 reminder emailed (1 at level 2)",
        "remind: 1 reminder emailed (1 at level 1)", "remind: 1 reminder emailed (1 at level 1)",
    ]  # fmt: skip
    review = on(ledger, "2026-12-01", "review", "HEAD~1..HEAD").out
    assert "reminder level 3 emailed 2026-11-30 to ann@acme.example about A-1, A-2" in review

    # the call knows: the brief and the opener, and the call list ranks the unanswered
    brief = on(ledger, "2026-12-01", "brief", "acme").out
    assert "Reminder level 3 emailed 2026-11-30 to ann@acme.example about A-1, A-2" in brief
    assert "You'll have seen our reminder, emailed on 2026-11-30 to ann@acme.example." in brief
    assert on(ledger, "2026-12-01", "customer", "add", "cato", "--name", "Cato").code == 0
    assert on(ledger, "2026-12-01", "invoice", "add", "cato", "C-1", "--amount", "9000",
              "--issued", "2026-10-01").code == 0  # fmt: skip
    listed = json.loads(on(ledger, "2026-12-03", "due", "--all", "--format", "json").out)
    # cato's 9,000.00 at 33 days outweighs acme's 1,500.00, but acme's final reminder went
    # unanswered: it is called first
    assert [row["customer"] for row in listed] == ["acme", "cato"]
    assert listed[0]["why"][0]["code"] == "final-reminder"
    assert listed[0]["reasons"][0] == "final reminder emailed 2026-11-30, no answer: call"
    assert git(ledger, "status", "--porcelain") == ""


def test_a_promise_holds_the_next_level_until_it_breaks(tmp_path, smtp_server):
    ledger = books(tmp_path)
    assert sent_on(remind(ledger, "2026-11-03", smtp_server, "--customer", "acme")) == [
        ("acme", 1, ["A-1", "A-2"])
    ]
    promised = on(ledger, "2026-11-10", "log-call", "acme", "--contact", "Ann", "--outcome",
                  "promise", "--amount", "1500", "--by", "2026-11-20")  # fmt: skip
    assert promised.code == 0, promised.err
    held = remind(ledger, "2026-11-16", smtp_server, "--customer", "acme")
    assert held["reminders"] == []
    assert held["skipped"] == [{"customer": "acme", "code": "promise",
                                "why": "promise of 1,500.00 USD by 2026-11-20 pending"}]  # fmt: skip
    # broken (a day's grace from Friday the 20th is Monday the 23rd): the next level goes
    assert sent_on(remind(ledger, "2026-11-24", smtp_server, "--customer", "acme")) == [
        ("acme", 2, ["A-1", "A-2"])
    ]


def test_every_reason_to_wait_is_said(tmp_path, smtp_server):
    ledger = books(tmp_path)
    config = ledger / "collectctl.yaml"
    config.write_text(config.read_text().replace("reminder_minimum: 0", "reminder_minimum: 50"))
    git(ledger, "commit", "-qam", "no reminders for small change")
    day = "2026-10-10"
    for customer in ("quiet", "mute", "tiny", "held", "mailed", "promised", "handed", "soon"):
        assert on(ledger, day, "customer", "add", customer, "--name", customer.title()).code == 0
        email = [] if customer == "mute" else ["--email", f"ap@{customer}.example"]
        assert on(ledger, day, "contact", "add", customer, "--name", "Pat", "--role", "payables",
                  *email).code == 0  # fmt: skip
        amount = "20" if customer == "tiny" else "700"
        assert on(ledger, day, "invoice", "add", customer, f"{customer.upper()}-1", "--amount",
                  amount, "--issued", "2026-10-01").code == 0  # fmt: skip
    steps = [
        ("2026-11-01", "customer", "edit", "quiet", "--no-reminders"),
        ("2026-11-01", "dispute", "open", "held", "HELD-1", "--reason", "pricing"),
        ("2026-11-02", "log-call", "mailed", "--contact", "Pat", "--outcome", "check-in-mail",
         "--check-number", "77", "--check-amount", "700", "--mailed", "2026-11-02"),
        ("2026-11-02", "promise", "promised", "--amount", "700", "--by", "2026-11-20"),
        ("2026-11-02", "escalate", "handed", "--reason", "no reply"),
    ]  # fmt: skip
    for day, *args in steps:
        done = on(ledger, day, *args)
        assert done.code == 0, done.err
    assert sent_on(remind(ledger, "2026-11-03", smtp_server, "--customer", "soon")) == [
        ("soon", 1, ["SOON-1"])
    ]
    assert on(ledger, "2026-11-03", "invoice", "add", "soon", "SOON-2", "--amount", "300",
              "--issued", "2026-10-05").code == 0  # due 11-04: at level 1 on the 7th  # fmt: skip
    before = snapshot(ledger)

    found = json.loads(on(ledger, "2026-11-07", "remind", "--format", "json").out)

    assert snapshot(ledger) == before  # without --send nothing is written
    assert sent_on(found) == [("acme", 1, ["A-1", "A-2"])]
    assert {s["customer"]: (s["code"], s["why"]) for s in found["skipped"]} == {
        "handed": ("escalated", "escalated to grace on 2026-11-02"),
        "held": ("disputed", "every overdue invoice is in dispute"),
        "mailed": ("check-in-mail", "a check is in the mail: waiting until 2026-11-09"),
        "mute": ("no-email", "no contact with an email address"),
        "promised": ("promise", "promise of 700.00 USD by 2026-11-20 pending"),
        "quiet": ("no-reminders", "no_reminders: true in customer.yaml"),
        "soon": ("too-soon", "reminded on 2026-11-03; not again before 2026-11-10"),
        "tiny": ("below-minimum", "20.00 USD overdue, under 50.00 USD"),
    }
    table = on(ledger, "2026-11-07", "remind").out
    assert table.startswith("Reminders for Saturday 2026-11-07 · 1 reminder (dry run: nothing")
    assert "Passed over · 8 accounts" in table and "no_reminders: true in customer.yaml" in table


def test_without_smtp_they_go_to_the_outbox_and_nothing_is_recorded(tmp_path):
    ledger = books(tmp_path)
    before = snapshot(ledger)
    result = on(ledger, "2026-11-12", "remind", "--send")
    assert result.code == 3
    assert result.err == (
        "collectctl: no SMTP host configured: saved 2 reminders to outbox/ (not sent, not "
        "recorded)\n"
    )
    saved = sorted(path.name.split("-reminder-")[1] for path in (ledger / "outbox").iterdir())
    assert saved == ["1-acme.eml", "1-bolt.eml"]
    after = snapshot(ledger)
    assert {k: v for k, v in after.items() if not k.startswith("outbox")} == before


def test_a_refused_recipient_is_taken_back_and_the_rest_recorded(tmp_path):
    ledger = books(tmp_path)
    mailbox = Mailbox(refuse={"bo@bolt.example"})
    controller = start_smtp(mailbox)
    env = {"COLLECTCTL_SMTP_HOST": "127.0.0.1", "COLLECTCTL_SMTP_PORT": str(controller.port),
           "COLLECTCTL_SMTP_SECURITY": "none"}  # fmt: skip
    try:
        result = on(ledger, "2026-11-12", "remind", "--send", env=env)
        assert result.code == 1
        assert "bolt " in result.out and "refused" in result.out
        assert result.err.startswith("collectctl: the reminder to bolt was refused: ")
        assert [e.rcpt_tos for e in mailbox.envelopes] == [["ann@acme.example"]]
        assert len(reminder_events(ledger, "acme")) == 1 and not reminder_events(ledger, "bolt")
        assert git(ledger, "status", "--porcelain") == ""
        everyone_refused = Mailbox(refuse=True)
        other = start_smtp(everyone_refused)
        env["COLLECTCTL_SMTP_PORT"] = str(other.port)
        before = snapshot(ledger)
        again = on(ledger, "2026-11-13", "remind", "--send", env=env)
        other.stop()
        assert again.code == 1 and again.err.startswith("collectctl: no reminder sent: ")
        assert snapshot(ledger) == before
    finally:
        controller.stop()


def test_killed_mid_run_it_resumes_without_sending_twice(tmp_path, smtp_server):
    ledger = books(tmp_path)
    killed = subprocess.run(
        [COLLECTCTL, "-L", str(ledger), "--today", "2026-11-12", "--collector", "maria",
         "remind", "--send"],
        capture_output=True, text=True,
        env={**__import__("os").environ, **smtp_server.env, "COLLECTCTL_FAULT": "after-data"},
    )  # fmt: skip
    assert killed.returncode == -9
    assert [e.rcpt_tos for e in smtp_server.mailbox.envelopes] == [["ann@acme.example"]]

    resumed = remind(ledger, "2026-11-12", smtp_server)

    assert sent_on(resumed) == [("bolt", 1, ["B-1"])]  # acme's went out before the kill
    assert sorted(e.rcpt_tos[0] for e in smtp_server.mailbox.envelopes) == [
        "ann@acme.example", "bo@bolt.example"
    ]  # fmt: skip
    [acme] = reminder_events(ledger, "acme")
    assert "delivery: interrupted" in acme  # it may have gone: never sent again
    assert git(ledger, "status", "--porcelain") == ""
    assert "may not have arrived" in on(ledger, "2026-11-12", "brief", "acme").out


def test_templates_are_overridden_in_the_ledger(tmp_path, smtp_server):
    ledger = books(tmp_path)
    (ledger / "templates").mkdir()
    (ledger / "templates/reminder-friendly.subject.j2").write_text(
        "{{ customer.name }}: a gentle nudge from {{ company }}\n"
    )
    git(ledger, "add", "templates")
    git(ledger, "commit", "-qm", "our own wording")
    remind(ledger, "2026-11-03", smtp_server)
    assert (
        smtp_server.mailbox.messages()[0]["Subject"] == "Acme Inc.: a gentle nudge from Remind Co"
    )


@pytest.mark.parametrize(
    "levels, problem",
    [
        ("[{level: 1, after: 10, template: a}, {level: 2, after: 5, template: b}]",
         "each reminder level must be higher, and sent later, than the one before"),
        ("[{level: 1, after: 3, template: ../x}]", "template '../x' is not a template name"),
        ("[{level: 1, after: 3, template: a, attach: fax}]", "attach"),
    ],
)  # fmt: skip
def test_bad_levels_are_named_with_their_line(tmp_path, levels, problem):
    ledger = tmp_path / "books"
    assert run("init", str(ledger), "--company", "Remind Co").code == 0
    config = ledger / "collectctl.yaml"
    text = config.read_text()
    start = text.index("  reminders:\n")
    end = text.index("  reminder_gap:")
    config.write_text(text[:start] + f"  reminders: {levels}\n" + text[end:])
    result = run("-L", str(ledger), "remind")
    assert result.code != 0 and result.err.startswith("collectctl: collectctl.yaml:")
    assert problem in result.err


def test_a_month_of_weekday_runs_on_the_sample_company(sample, smtp_server):
    """Every weekday from the sample's Monday for a month, as cron would: the right level
    at the right time, exactly once, never inside a reason to wait."""
    from datetime import date, timedelta

    sent: list[tuple[str, str, int, list[str]]] = []
    day = date(2026, 11, 23)
    while day <= date(2026, 12, 23):
        if day.weekday() < 5:
            result = run("-L", str(sample), "--today", day.isoformat(), "--collector", "maria",
                         "remind", "--send", "--format", "json", env=smtp_server.env)  # fmt: skip
            assert result.code == 0, result.err
            report = json.loads(result.out)
            for row in report["reminders"]:
                assert row["status"] == "sent"
                sent.append((day.isoformat(), row["customer"], row["level"], row["invoices"]))
            skipped = {s["customer"]: s["code"] for s in report["skipped"]}
            assert skipped.get("keystone-build") in ("escalated", None)  # escalated: never
            if day < date(2026, 12, 5):  # ironclad's promise of the 4th is pending
                assert "ironclad" not in [row["customer"] for row in report["reminders"]]
        day += timedelta(days=1)

    assert len(smtp_server.mailbox.envelopes) == len(sent) > 0
    assert "keystone-build" not in {customer for _, customer, _, _ in sent}
    by_customer: dict[str, list[tuple[str, int]]] = {}
    for on_day, customer, level, _ in sent:
        by_customer.setdefault(customer, []).append((on_day, level))
    for customer, runs in by_customer.items():
        levels = [level for _, level in runs]
        assert levels == sorted(set(levels)), (customer, runs)  # rising, never twice
        days = [date.fromisoformat(d) for d, _ in runs]
        gaps = [b - a for a, b in itertools.pairwise(days)]
        assert all(gap >= timedelta(days=7) for gap in gaps), (customer, runs)
    customer = sent[0][1]
    brief = run("-L", str(sample), "--today", "2026-12-23", "brief", customer).out
    assert f"Reminder level {by_customer[customer][-1][1]} emailed" in brief
    assert git(sample, "status", "--porcelain") == ""
