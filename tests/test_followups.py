"""`collectctl followups`: what is booked for today, what is overdue, and a calendar."""

import json

from conftest import run
from icalendar import Calendar


def test_followups_today_and_overdue(sample):
    rows = json.loads(run("-L", str(sample), "followups", "--all", "--format", "json").out)
    assert [(r["date"], r["customer"], r["kind"]) for r in rows] == [
        ("2026-10-23", "keystone-build", "promise-check"),  # the day it broke
        ("2026-10-30", "fulton-foods", "dispute-review"),  # opened 10-20, 10 days on
        ("2026-11-13", "granite-works", "dispute-review"),
        ("2026-11-16", "meridian-health", "call-again"),
        ("2026-11-18", "nordlicht", "retry"),
        ("2026-11-19", "delta-fab", "check-in-mail"),
        ("2026-11-19", "fulton-foods", "escalate"),  # in dispute 30 days, not escalated
        ("2026-11-20", "harbor-marine", "promise-check"),
        ("2026-11-23", "juniper-labs", "callback"),
    ]
    assert rows[5] == {
        "date": "2026-11-19",
        "customer": "delta-fab",
        "kind": "check-in-mail",
        "detail": "check #4411 mailed 2026-11-12 not received",
        "collector": "maria",
        "overdue": True,
        "code": "check-not-received",
    }


def test_looking_ahead_and_by_collector(sample):
    rows = json.loads(
        run(
            "-L", str(sample), "followups", "--days", "14", "--collector", "dev", "--format", "json"
        ).out
    )
    assert [(r["date"], r["customer"], r["kind"]) for r in rows] == [
        ("2026-10-23", "keystone-build", "promise-check"),  # escalated, still dev's account
        ("2026-11-13", "granite-works", "dispute-review"),
        ("2026-11-16", "meridian-health", "call-again"),
        ("2026-11-25", "evergreen", "invoice-copy"),
        ("2026-12-07", "ironclad", "installment"),
    ]


def test_the_table_marks_overdue_and_today(sample):
    lines = run("-L", str(sample), "followups", "--all").out.splitlines()
    assert lines[0] == "Follow-ups for Monday 2026-11-23 · 9 follow-ups"
    assert lines[4].split()[:3] == ["2026-10-23", "overdue", "keystone-build"]
    assert lines[-1].split()[:3] == ["2026-11-23", "today", "juniper-labs"]


def test_ics_export_imports_as_one_event_per_follow_up(sample, tmp_path):
    path = tmp_path / "followups.ics"
    result = run("-L", str(sample), "followups", "--all", "--days", "14", "--ics", str(path))
    assert result.code == 0, result.err
    assert result.err == f"wrote 11 follow-ups to {path}\n"
    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    assert len(events) == 11
    ironclad = next(e for e in events if str(e["summary"]).startswith("ironclad"))
    assert str(ironclad["summary"]) == "ironclad: installment"
    assert ironclad.decoded("dtstart").isoformat() == "2026-12-07"
    assert "installment 3 of 3: 3,000.00 due 2026-12-04" in str(ironclad["description"])
    uids = {str(e["uid"]) for e in events}
    assert len(uids) == 11
    again = tmp_path / "again.ics"
    run("-L", str(sample), "followups", "--all", "--days", "14", "--ics", str(again))
    assert {str(e["uid"]) for e in Calendar.from_ical(again.read_bytes()).walk("VEVENT")} == uids


def test_no_followups(sample):
    result = run("-L", str(sample), "--today", "2026-09-01", "followups", "--all")
    assert (result.code, result.out) == (0, "No follow-ups due on 2026-09-01.\n")


def test_the_calendar_on_stdout(sample):
    result = run("-L", str(sample), "followups", "--all", "--days", "14", "--ics", "-")
    assert result.code == 0, result.err
    assert result.out.startswith("BEGIN:VCALENDAR")
    assert len(Calendar.from_ical(result.out).walk("VEVENT")) == 11
    assert not (sample / "-").exists()
