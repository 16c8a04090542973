"""The account's whole life, tried as a collector and a credit manager would on the sample
company: promises counted right, disputes that open and close, escalations the manager
sees, contacts kept current, every touch recorded."""

import json

import pytest
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


def due(ledger, today, collector=None):
    args = ["--today", today, "due", "--format", "json"]
    result = ledger_run(ledger, *args, *(["--collector", collector] if collector else ["--all"]))
    assert result.code == 0, result.err
    return {row["customer"]: row for row in json.loads(result.out)}


def followups(ledger, today, collector=None):
    args = ["--today", today, "followups", "--format", "json"]
    result = ledger_run(ledger, *args, *(["--collector", collector] if collector else ["--all"]))
    assert result.code == 0, result.err
    return [(f["customer"], f["kind"], f["date"]) for f in json.loads(result.out)]


def test_a_partial_dispute_never_takes_the_account_out_of_sight(sample):
    opened = ledger_run(sample, "log-call", "cobalt-tool", "--outcome", "dispute",
                        "--invoice", "INV-2026-0128", "--reason", "pricing",
                        "--disputed-amount", "400")  # fmt: skip
    assert opened.code == 0, opened.err
    later = due(sample, "2027-01-20")["cobalt-tool"]
    assert (later["overdue"], later["disputed"]) == ("6000.00", "400.00")
    assert ("cobalt-tool", "dispute-review", "2026-12-03") in followups(sample, "2027-01-20")


def test_a_dispute_through_a_simulated_month(sample):
    def on(day, *args):
        result = ledger_run(sample, "--today", day, *args)
        assert result.code == 0, result.err
        return result.out

    # 11-23: opened on 400.00 of 6,400.00; the rest is still chased
    said = on("2026-11-23", "dispute", "open", "cobalt-tool", "INV-2026-0128",
              "--reason", "pricing", "--amount", "400", "--owner", "dev",
              "--notes", "quote Q-88 said 6,000")  # fmt: skip
    assert said.startswith("dispute open cobalt-tool: INV-2026-0128 (pricing), 400.00 USD held")
    cobalt = due(sample, "2026-11-23")["cobalt-tool"]
    assert (cobalt["overdue"], cobalt["disputed"]) == ("6000.00", "400.00")
    listed = json.loads(on("2026-11-23", "dispute", "list", "--format", "json"))
    mine = next(d for d in listed if d["customer"] == "cobalt-tool")
    assert mine == {"customer": "cobalt-tool", "invoice": "INV-2026-0128", "reason": "pricing",
                    "held": "400.00", "currency": "USD", "opened": "2026-11-23",
                    "days_open": 0, "owner": "dev", "review": "2026-12-03"}  # fmt: skip
    # 12-03: up for review on dev's follow-ups; a call about it moves the review on
    assert ("cobalt-tool", "dispute-review", "2026-12-03") in followups(sample, "2026-12-03", "dev")
    on("2026-12-03", "log-call", "cobalt-tool", "--outcome", "reached", "--notes", "sent Q-88")
    assert ("cobalt-tool", "dispute-review", "2026-12-14") in followups(sample, "2026-12-14")
    # 12-23: open 30 days — on the credit manager's list the same day, and still on dev's
    grace = due(sample, "2026-12-23", "grace")
    assert (
        "escalate to the credit manager: INV-2026-0128 in dispute 30 days"
        in (grace["cobalt-tool"]["reasons"])
    )
    assert "cobalt-tool" in due(sample, "2026-12-23", "dev")
    on("2026-12-23", "escalate", "cobalt-tool", "--reason", "pricing dispute stuck")
    taken = due(sample, "2026-12-23", "grace")["cobalt-tool"]
    assert taken["collector"] == "grace"
    assert (
        "escalated to Grace Okafor on 2026-12-23 by Maria Lopez: pricing dispute stuck"
        in (taken["reasons"])
    )
    # 12-28: resolved with a credit note: the balance drops, the dispute is gone
    said = on("2026-12-28", "dispute", "resolve", "cobalt-tool", "INV-2026-0128",
              "--outcome", "credited", "--credit", "400")  # fmt: skip
    assert "INV-2026-0128: 6,000.00 USD still open" in said
    assert brief(sample, "cobalt-tool", today="2026-12-28")["balance"] == "6000.00"
    still = json.loads(on("2026-12-28", "dispute", "list", "--format", "json"))
    assert [d["customer"] for d in still] == ["fulton-foods", "granite-works"]
    # handed back: on dev's list, no longer grace's
    on("2026-12-28", "escalate", "cobalt-tool", "--back-to", "dev", "--reason", "credit issued")
    assert "cobalt-tool" not in due(sample, "2026-12-29", "grace")
    assert due(sample, "2026-12-29", "dev")["cobalt-tool"]["collector"] == "dev"
    assert ledger_run(sample, "check").out == "ledger OK\n"


def test_an_escalation_is_on_the_managers_list_the_same_day(sample):
    said = ledger_run(sample, "escalate", "meridian-health", "--reason", "controller stalling")
    assert said.code == 0, said.err
    assert said.out.splitlines()[1] == "  meridian-health now shows on grace's call list"
    row = due(sample, "2026-11-23", "grace")["meridian-health"]
    assert row["reasons"][0] == (
        "escalated to Grace Okafor on 2026-11-23 by Maria Lopez: controller stalling"
    )
    assert brief(sample, "meridian-health")["escalation"] == {
        "to": "grace", "on": "2026-11-23", "by": "maria", "reason": "controller stalling",
    }  # fmt: skip


def test_a_dispute_can_be_rejected_or_refused(sample):
    rejected = ledger_run(sample, "dispute", "resolve", "granite-works", "INV-2026-0104",
                          "--outcome", "rejected")  # fmt: skip
    assert rejected.code == 0, rejected.err
    granite = due(sample, "2026-11-23")["granite-works"]
    assert (granite["overdue"], granite["disputed"]) == ("5980.00", "0.00")
    again = ledger_run(sample, "dispute", "resolve", "granite-works", "INV-2026-0104",
                       "--outcome", "rejected")  # fmt: skip
    assert (again.code, again.err) == (1, "collectctl: INV-2026-0104 has no open dispute\n")
    no_credit = ledger_run(sample, "dispute", "resolve", "fulton-foods", "INV-2026-0095",
                           "--outcome", "credited")  # fmt: skip
    assert no_credit.code == 2
    assert "--credit AMOUNT goes with --outcome credited" in no_credit.err


def test_a_note_and_an_inbound_email_are_in_the_brief_and_the_history(sample):
    noted = ledger_run(sample, "note", "delta-fab", "Tom says it went to the old lockbox",
                       "--follow-up", "2026-11-25")  # fmt: skip
    assert noted.code == 0, noted.err
    assert noted.out.splitlines()[1] == "  next: follow-up on 2026-11-25"
    mailed = ledger_run(sample, "log-email", "delta-fab", "--direction", "in",
                        "--from", "tom@deltafab.example", "--subject", "Remittance: check 4411",
                        "--contact", "Tom Reyes")  # fmt: skip
    assert mailed.code == 0, mailed.err
    touches = brief(sample, "delta-fab")["last_contacts"]
    assert [(t["kind"], t["who"], t["outcome"]) for t in touches[:2]] == [
        ("message", "tom@deltafab.example", "email in: Remittance: check 4411"),
        ("note", None, "note"),
    ]
    assert touches[1]["notes"] == "Tom says it went to the old lockbox"
    follow = followups(sample, "2026-11-25")
    assert ("delta-fab", "follow-up", "2026-11-25") in follow
    trail = ledger_run(sample, "history", "delta-fab", "--format", "json")
    actions = [entry["action"] for entry in json.loads(trail.out)[:2]]
    assert actions == ["log-email", "note"]
    bad = ledger_run(sample, "log-email", "delta-fab", "--direction", "in",
                     "--from", "not an address", "--subject", "x")  # fmt: skip
    assert bad.code == 2 and "--from: 'not an address' is not one email address" in bad.err


def test_the_brief_shows_recordings_and_with_all_every_touch(sample):
    for n in range(6):
        logged = ledger_run(sample, "log-call", "cobalt-tool", "--outcome", "voicemail",
                            "--notes", f"try {n}", "--recording", f"https://rec.example/{n}")  # fmt: skip
        assert logged.code == 0, logged.err
    short = brief(sample, "cobalt-tool")["last_contacts"]
    assert len(short) == 5 and short[0]["recording"] == "https://rec.example/5"
    assert len(brief(sample, "cobalt-tool", "--all")["last_contacts"]) == 6
    text = ledger_run(sample, "brief", "cobalt-tool").out
    assert "    recording: https://rec.example/5" in text


def test_the_sample_story_agrees_with_itself(sample):
    keystone = brief(sample, "keystone-build")
    assert keystone["last_contacts"][0]["date"] == "2026-11-02"  # not "never contacted"
    assert keystone["escalation"]["reason"].startswith("Two broken promises")
    fulton = due(sample, "2026-11-23")["fulton-foods"]
    assert not any("first call" in r for r in fulton["reasons"])  # it was called on 10-20


def test_the_opener_speaks_to_the_person_and_fits_a_disputed_account(sample):
    harbor = brief(sample, "harbor-marine")["opener"]
    assert "When we spoke on 2026-11-10, you agreed to send 2,000.00 USD" in harbor
    whole = ledger_run(sample, "dispute", "open", "cobalt-tool", "INV-2026-0128",
                       "--reason", "wrong-product")  # fmt: skip
    assert whole.code == 0, whole.err
    opener = brief(sample, "cobalt-tool")["opener"]
    assert "past due is 0.00" not in opener
    assert "  - INV-2026-0128: 6,400.00 USD (wrong-product), open since 2026-11-23" in opener
    follow = json.loads(ledger_run(sample, "followups", "--all", "--format", "json").out)
    harbor_check = next(f for f in follow if f["customer"] == "harbor-marine")
    assert (harbor_check["date"], harbor_check["detail"]) == (
        "2026-11-20",
        "promise of 2,000.00 broken on 2026-11-20",
    )
    evergreen = brief(sample, "evergreen")["follow_ups"][0]["detail"]
    assert evergreen.startswith("send the copy of INV-2026-0110: not received (2026-11-20)")


def test_a_stopped_check_closes_its_follow_up_and_says_so(sample):
    assert ("delta-fab", "check-in-mail", "2026-11-19") in followups(sample, "2026-11-23")
    voided = ledger_run(sample, "check-void", "delta-fab", "4411", "--reason", "replaced",
                        "--replacement", "4420")  # fmt: skip
    assert voided.code == 0, voided.err
    assert voided.out.startswith("check-void delta-fab: check #4411 replaced by #4420 [")
    assert not any(f[0] == "delta-fab" for f in followups(sample, "2026-11-23"))
    row = due(sample, "2026-11-23")["delta-fab"]  # chased again as plain past due
    assert row["reasons"] == ["33 days past due"]
    text = ledger_run(sample, "brief", "delta-fab").out
    assert "#4411  3,250.00  mailed 2026-11-12 (reported 2026-11-12): replaced by #4420" in text
    unknown = ledger_run(sample, "check-void", "delta-fab", "1", "--reason", "lost")
    assert (unknown.code, unknown.err) == (
        1,
        "collectctl: delta-fab has no check #1 reported mailed (#4411)\n",
    )


def test_contacts_kept_current(sample):
    edited = ledger_run(sample, "contact", "edit", "delta-fab", "tom reyes", "--rename",
                        "Thomas Reyes", "--phone", "+1 412 555 0000", "--timezone",
                        "America/New_York", "--hours", "08:00-16:00")  # fmt: skip
    assert edited.code == 0, edited.err
    ask = brief(sample, "delta-fab")["ask_for"]
    assert (ask["name"], ask["phone"]) == ("Thomas Reyes", "+1 412 555 0000")
    assert ledger_run(sample, "check").out == "ledger OK\n"  # old events name "Tom Reyes"
    removed = ledger_run(sample, "contact", "remove", "delta-fab", "Thomas Reyes")
    assert "kept as inactive (events name them)" in removed.out
    assert brief(sample, "delta-fab")["ask_for"] is None
    customer = ledger_run(sample, "customer", "edit", "delta-fab", "--terms", "45",
                          "--credit-limit", "-", "--books-id", "DF-100", "--owner", "dev")  # fmt: skip
    assert customer.code == 0, customer.err
    info = brief(sample, "delta-fab")["customer"]
    assert (info["terms"], info["credit_limit"], info["owner"]) == (45, None, "dev")
    for args, message in (
        (["--timezone", "Mars/Base"], "--timezone: 'Mars/Base' is not a time zone"),
        (["--hours", "17:00-09:00"], "--hours: '17:00-09:00': the hours must start before"),
    ):
        bad = ledger_run(sample, "customer", "edit", "delta-fab", *args)
        assert bad.code == 2 and message in bad.err


def test_calling_hours_order_the_list_and_time_the_calendar(sample, tmp_path):
    for customer, name, zone in (
        ("nordlicht", "Katrin Vogel", "Europe/Berlin"),
        ("juniper-labs", "Greg Mills", "America/Los_Angeles"),
    ):
        hours = ["--timezone", zone, "--hours", "08:00-16:00" if zone[0] == "E" else "09:00-17:00"]
        assert ledger_run(sample, "contact", "edit", customer, name, *hours).code == 0
    new_york = {"TZ": "America/New_York"}

    def listed(now):
        result = ledger_run(sample, "due", "--all", "--now", now, "--format", "json", env=new_york)
        assert result.code == 0, result.err
        return json.loads(result.out)

    morning = listed("09:00")  # Berlin is open until 10:00 New York time; LA opens at 12:00
    by_id = {row["customer"]: row for row in morning}
    assert by_id["nordlicht"]["call_window"] == {
        "from": "02:00",
        "to": "10:00",
        "reachable_now": True,
    }
    assert by_id["nordlicht"]["rank"] == 4  # reachable now: where the ranking put it
    assert morning[-1]["customer"] == "juniper-labs"  # not before 12:00
    assert [r["rank"] for r in morning] == list(range(1, len(morning) + 1))
    late = listed("11:00")  # Berlin is closed: last; LA opens next
    assert [r["customer"] for r in late[-2:]] == ["juniper-labs", "nordlicht"]
    table = ledger_run(sample, "due", "--all", "--now", "11:00", env=new_york).out
    assert "calls from 12:00 your time" in table
    assert "their hours are over (02:00-10:00 your time)" in table
    bad = ledger_run(sample, "due", "--now", "25:00")
    assert bad.code == 2 and "--now '25:00': write the time as HH:MM" in bad.err

    from icalendar import Calendar

    path = tmp_path / "f.ics"
    assert ledger_run(sample, "followups", "--all", "--days", "7", "--ics", str(path)).code == 0
    events = {str(e["summary"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
    callback = events["juniper-labs: callback"].decoded("dtstart")
    assert (callback.isoformat(), str(callback.tzinfo)) == (
        "2026-11-23T09:00:00-08:00",
        "America/Los_Angeles",
    )
    assert events["delta-fab: check-in-mail"].decoded("dtstart").isoformat() == "2026-11-19"


def test_currencies_without_a_rate_are_ranked_apart_and_it_says_so(sample):
    config = sample / "collectctl.yaml"
    config.write_text(
        config.read_text().replace("rates:", "no_rates:").replace("  EUR: 1.08\n", "")
    )
    config.write_text(config.read_text().replace("no_rates:  # one unit", "# one unit"))
    result = ledger_run(sample, "due", "--all")
    assert result.code == 0, result.err
    title = result.out.splitlines()[0]
    assert title.endswith("· EUR ranked apart (no rate in collectctl.yaml)")
    rows = json.loads(ledger_run(sample, "due", "--all", "--format", "json").out)
    tier_one = [r["customer"] for r in rows if r["currency"] == "EUR"]
    assert tier_one == ["nordlicht"]
    names = [r["customer"] for r in rows]
    assert names.index("nordlicht") > names.index("meridian-health")  # after its tier's USD
    bad = config.read_text() + "rates:\n  euro: 1.08\n"
    config.write_text(bad)
    checked = ledger_run(sample, "check")
    assert "rates: 'euro' is not a currency code" in checked.out


def test_a_statement_printed_saved_as_pdf_and_sent_recorded(sample, smtp_server, tmp_path):
    from conftest import commit_count, git

    text = ledger_run(sample, "statement", "fulton-foods", "--from", "2026-09-01").out
    assert "STATEMENT OF ACCOUNT" in text
    assert "INV-2026-0095 (your PO FF-88410): issued" in text
    assert "Total due: 11,060.00 USD" in text
    pdf = tmp_path / "fulton.pdf"
    saved = ledger_run(sample, "statement", "fulton-foods", "--format", "pdf", "-o", str(pdf))
    assert saved.code == 0, saved.err
    assert pdf.read_bytes().startswith(b"%PDF-")
    again = tmp_path / "again.pdf"
    ledger_run(sample, "statement", "fulton-foods", "--format", "pdf", "-o", str(again))
    assert again.read_bytes() == pdf.read_bytes()  # the same statement, the same bytes
    no_file = ledger_run(sample, "statement", "fulton-foods", "--format", "pdf")
    assert no_file.code == 2 and "--format pdf needs --output FILE" in no_file.err

    before = commit_count(sample)
    sent = ledger_run(sample, "statement", "fulton-foods", "--send", env=smtp_server.env)
    assert sent.code == 0, sent.err
    [message] = smtp_server.mailbox.messages()
    assert message["To"] == "Derek Lowe <dlowe@fultonfoods.example>"
    assert message["Subject"] == (
        "Statement of account for Fulton Foods Distribution from Harbor Line Supply Co., 2026-11-23"
    )
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "statement-fulton-foods-2026-11-23.pdf"
    assert attachment.get_content().startswith(b"%PDF-")
    assert commit_count(sample) == before + 1
    assert git(sample, "log", "-1", "--format=%s").strip() == (
        "statement fulton-foods: emailed to dlowe@fultonfoods.example"
    )
    touches = brief(sample, "fulton-foods")["last_contacts"]
    assert touches[0]["kind"] == "email" and "dlowe@fultonfoods.example" in touches[0]["who"]


def test_the_full_record_for_an_agency(sample):
    text = ledger_run(sample, "export", "keystone-build").out
    assert text.startswith("# Keystone Builders (keystone-build)\n")
    assert "- Frank Doyle (owner, +1 717 555 0155, frank@keystonebuild.example" in text
    assert "- 2026-10-14 · promise · dev · promised 5,000.00 by 2026-10-21 — Frank Doyle" in text
    assert "  > Second promise after the first check never came." in text
    assert "escalated to Grace Okafor: Two broken promises" in text
    data = json.loads(ledger_run(sample, "export", "evergreen", "--format", "json").out)
    assert data["documents"] == ["documents/INV-2026-0110.pdf"]
    assert all(e["file"] for e in data["events"])
    dates = [e["date"] for e in data["events"]]
    assert dates == sorted(dates)


def test_a_partly_disputed_account_still_escalates_on_its_days(sample):
    granite = due(sample, "2026-12-23", "grace")["granite-works"]  # 60 days on 5,500.00
    assert (
        "escalate to the credit manager: 60 days past due, INV-2026-0104 in dispute 50 days"
        in (granite["reasons"])
    )
    assert (granite["overdue"], granite["disputed"]) == ("5500.00", "480.00")


@pytest.mark.parametrize("day", ["2026-11-23", "2026-12-08", "2026-12-31", "2027-01-20"])
def test_no_account_with_money_overdue_drops_out_of_sight(sample, day):
    """Every account with an overdue amount is on the call list, or has a follow-up
    booked within two weeks: disputes, promises and escalations included."""
    listed = set(due(sample, day))
    ahead = ledger_run(
        sample, "--today", day, "followups", "--all", "--days", "14", "--format", "json"
    )
    listed |= {f["customer"] for f in json.loads(ahead.out)}
    aging = ledger_run(sample, "--today", day, "report", "aging", "--format", "json")
    overdue = {
        row["customer"]
        for row in json.loads(aging.out)
        if row["customer"] != "TOTAL" and row["total"] != row["current"]
    }
    assert overdue and overdue <= listed, overdue - listed
