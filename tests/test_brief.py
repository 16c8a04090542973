"""`collectctl brief`: one screen to read before dialing."""

import json

from conftest import run


def brief(sample, customer, *args):
    result = run("-L", str(sample), "brief", customer, *args)
    assert result.code == 0, result.err
    return result.out


def test_brief_names_the_approver_and_the_person_spoken_to(sample):
    text = brief(sample, "meridian-health")
    assert "Robert Chen (approver, approves payments)\n" in text  # said once, not twice
    assert "phone +1 404 555 0160 · email rchen@meridianhealth.example" in text
    assert "Spoke to last time: Priya Nair" in text
    assert "Terms net 30 · credit limit 50,000.00 USD · collector dev" in text


def test_brief_shows_invoices_with_po_aging_and_disputes(sample):
    data = json.loads(brief(sample, "fulton-foods", "--format", "json"))
    assert data["aging"] == {
        "current": "0.00",
        "1-30": "2300.00",
        "31-60": "8760.00",
        "61-90": "0.00",
        "90+": "0.00",
    }
    disputed, plain = data["open_invoices"]
    assert disputed["number"] == "INV-2026-0095" and disputed["po"] == "FF-88410"
    assert disputed["days_late"] == 46
    assert disputed["dispute"]["reason"] == "short-shipment"
    assert disputed["dispute"]["amount"] == "1460.00"
    assert plain["dispute"] is None
    assert (data["overdue"], data["disputed"]) == ("9600.00", "1460.00")  # only 1,460 is disputed

    text = brief(sample, "fulton-foods")
    assert "INV-2026-0095  FF-88410" in text
    assert "short-shipment 1,460.00 since 2026-10-20" in text


def test_brief_shows_promises_with_their_status_and_payments(sample):
    data = json.loads(brief(sample, "ironclad", "--format", "json"))
    assert [(p["by"], p["status"], p["installment"]) for p in data["promises"]] == [
        ("2026-12-04", "pending", "3 of 3"),
        ("2026-11-20", "kept", "2 of 3"),
        ("2026-11-06", "kept", "1 of 3"),
    ]
    assert [p["reference"] for p in data["payments"]] == ["ACH-77502", "ACH-77311"]
    assert data["customer"]["notes"].startswith("Cash-flow squeeze")
    harbor = json.loads(brief(sample, "harbor-marine", "--format", "json"))
    assert harbor["promises"][0]["status"] == "broken"


def test_brief_shows_checks_mailed_and_last_contacts_with_notes(sample):
    text = brief(sample, "delta-fab")
    assert "#4411  3,250.00  mailed 2026-11-12 (reported 2026-11-12): NOT RECEIVED" in text
    assert "2026-11-12 call Tom Reyes: check-in-mail (maria)" in text
    assert "Tom says check #4411 for the full 3,250.00 goes out in today's mail." in text
    assert "2026-11-02 call Tom Reyes: voicemail (maria)" in text


def test_brief_average_days_to_pay(sample):
    data = json.loads(brief(sample, "lakeside-print", "--format", "json"))
    assert data["average_days_to_pay"] == "30.5"  # 27 and 34 days
    assert data["open_invoices"] == [] and data["balance"] == "0.00"


def test_the_opener_fits_the_situation(sample):
    assert "That payment hasn't reached us." in brief(sample, "harbor-marine")
    assert "check #4411 for 3,250.00 USD was mailed on 2026-11-12" in brief(sample, "delta-fab")
    juniper = brief(sample, "juniper-labs")
    assert "I promised to call back once you had a chance to look into it." in juniper
    cobalt = brief(sample, "cobalt-tool")
    assert "this is Dev Patel from Harbor Line Supply Co." in cobalt
    assert "INV-2026-0128 (your PO PO-55102): 6,400.00, due 2026-11-18, 5 days ago" in cobalt


def test_the_opener_speaks_for_the_collector_at_the_keyboard(sample):
    result = run("-L", str(sample), "--collector", "grace", "brief", "cobalt-tool")
    assert "this is Grace Okafor from Harbor Line Supply Co." in result.out


def test_markdown_brief(sample):
    text = brief(sample, "harbor-marine", "--format", "markdown")
    assert text.startswith("# Harbor Marine Services (harbor-marine)\n")
    assert "\n## Open invoices\n" in text
    assert "| INV-2026-0089 | HM-2026-14 |" in text
    assert "> That payment hasn't reached us." in text


def test_brief_for_an_unknown_customer(sample):
    result = run("-L", str(sample), "brief", "harbor")
    assert (result.code, result.err) == (
        1,
        "collectctl: unknown customer 'harbor' (did you mean 'harbor-marine'?)\n",
    )
