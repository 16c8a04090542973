"""The merge driver: contacts by name and invoices by number merge where git's line
merge gives up; anything both sides changed differently is left for a person."""

from collectctl.storage.merge import merge_text

BASE = """\
name: Acme  # as on the contract
terms: 30
contacts:
  - name: Dana Whitfield
    role: approver
"""


def with_contact(text, name, role="payables"):
    return text + f"  - name: {name}\n    role: {role}\n"


def test_two_new_contacts_both_join_and_our_comments_stay():
    merged = merge_text(BASE, with_contact(BASE, "Bob Stone"), with_contact(BASE, "Sue Park"), "c")
    assert merged == with_contact(with_contact(BASE, "Bob Stone"), "Sue Park")


def test_a_change_on_one_side_and_an_addition_on_the_other_both_land():
    theirs = BASE.replace("terms: 30", "terms: 45")
    ours = with_contact(BASE, "Bob Stone")
    assert merge_text(BASE, ours, theirs, "c") == with_contact(theirs, "Bob Stone")


def test_the_same_fact_changed_differently_is_left_for_a_person():
    assert merge_text(BASE, BASE.replace("30", "45"), BASE.replace("30", "60"), "c") is None
    ours, theirs = with_contact(BASE, "Bob Stone", "ap"), with_contact(BASE, "Bob Stone", "cfo")
    assert merge_text(BASE, ours, theirs, "c") is None


def test_invoices_merge_by_number():
    base = "invoices:\n  - number: A-1\n    issued: 2026-09-01\n    amount: 100.00\n"
    ours = base + "  - number: A-2\n    issued: 2026-10-01\n    amount: 200.00\n"
    theirs = base.replace("amount: 100.00", "amount: 90.00")
    merged = merge_text(base, ours, theirs, "invoices.yaml")
    assert merged == ours.replace("amount: 100.00", "amount: 90.00")


def test_a_file_that_does_not_parse_is_left_to_git():
    assert merge_text(BASE, "name: [unclosed\n", BASE, "c") is None
