"""The collection policy as pure functions: no files, no clock, every number from Policy."""

from datetime import date
from decimal import Decimal

import pytest

from collectctl.domain import calendar as business_days
from collectctl.domain import call_list as call_lists
from collectctl.domain import contacts as contact_rules
from collectctl.domain import followups as follow_up_rules
from collectctl.domain import invoices as invoice_rules
from collectctl.domain import promises as promise_rules
from collectctl.domain import schedule
from collectctl.domain import standing as standings
from collectctl.domain.models import (
    Account,
    AppliedPayment,
    Call,
    Config,
    Contact,
    Customer,
    Dispute,
    Escalation,
    Installment,
    Invoice,
    MailedCheck,
    Payment,
    Policy,
    Promise,
)
from collectctl.presentation import words

D = Decimal
HOLIDAYS = Policy(holidays=(date(2026, 11, 26), date(2026, 11, 27)))
CONFIG = Config(company="Test Co", policy=HOLIDAYS)
MONDAY = date(2026, 11, 23)


def invoice(number="INV-1", due=date(2026, 10, 1), amount="1000.00", paid=(), dispute=None):
    payments = tuple(AppliedPayment(day, D(value)) for day, value in paid)
    status = "paid" if sum((p.amount for p in payments), D(0)) == D(amount) else "open"
    return Invoice(
        number,
        date(2026, 9, 1),
        due,
        D(amount),
        "USD",
        status=status,
        payments=payments,
        dispute=dispute,
    )


def account(*invoices, events=(), contacts=(Contact("Pat", role="payables"),), id="acme"):
    customer = Customer(id, "Acme", 30, "USD", owner="maria", contacts=tuple(contacts))
    return Account(customer, tuple(invoices), tuple(events))


def call(day, outcome, **extra):
    return Call(
        file=f"{day}T090000-call-maria.yaml", date=day, collector="maria", outcome=outcome, **extra
    )


def promise(day, *parts):
    installments = tuple(Installment(by, D(amount)) for by, amount in parts)
    return Promise(
        file=f"{day}T091000-promise-maria.yaml",
        date=day,
        collector="maria",
        installments=installments,
    )


def payment(day, amount, reference=None):
    return Payment(
        file=f"{day}T120000-payment-maria.yaml",
        date=day,
        collector="maria",
        amount=D(amount),
        reference=reference,
    )


# --- business days -----------------------------------------------------------------------


def test_follow_ups_never_land_on_weekends_or_holidays():
    friday = date(2026, 11, 20)
    assert business_days.next_business_day(friday, HOLIDAYS) == MONDAY
    # Wednesday before Thanksgiving: Thursday and Friday are holidays, then the weekend
    assert business_days.next_business_day(date(2026, 11, 25), HOLIDAYS) == date(2026, 11, 30)
    assert business_days.days_later(date(2026, 11, 19), 7, HOLIDAYS) == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("outcome", "booked"),
    [
        ("hostile", (date(2026, 11, 24), "callback")),
        ("voicemail", (date(2026, 11, 25), "retry")),
        ("no-answer", (date(2026, 11, 25), "retry")),
        ("reached", (date(2026, 11, 30), "call-again")),
        ("invoice-not-received", (date(2026, 11, 30), "invoice-copy")),  # 26th is a holiday
        ("promise", None),
        ("dispute", None),
    ],
)
def test_each_outcome_books_the_policy_follow_up(outcome, booked):
    assert follow_up_rules.booked_follow_up(outcome, MONDAY, HOLIDAYS) == booked


def test_a_check_in_the_mail_is_chased_n_days_after_mailing():
    mailed = date(2026, 11, 12)
    assert follow_up_rules.booked_follow_up("check-in-mail", MONDAY, Policy(), mailed) == (
        date(2026, 11, 19),
        "check-in-mail",
    )
    assert follow_up_rules.booked_follow_up(
        "check-in-mail", MONDAY, Policy(check_in_mail_followup=5), mailed
    ) == (date(2026, 11, 17), "check-in-mail")


# --- promises ------------------------------------------------------------------------------


def statuses(acct, today, grace=1):
    return [
        (s.status, s.paid)
        for s in promise_rules.installment_statuses(acct, Policy(promise_grace=grace), today)
    ]


def test_a_promise_is_pending_until_its_date_plus_grace_then_broken():
    acct = account(invoice(), events=[promise(date(2026, 11, 10), (date(2026, 11, 18), "500"))])
    assert statuses(acct, date(2026, 11, 19)) == [("pending", D(0))]
    assert statuses(acct, date(2026, 11, 20)) == [("broken", D(0))]
    assert statuses(acct, date(2026, 11, 20), grace=3) == [("pending", D(0))]


def test_a_promise_paid_in_full_by_the_grace_day_is_kept_and_a_part_payment_is_partial():
    made = promise(date(2026, 11, 10), (date(2026, 11, 18), "500"))
    kept = account(invoice(), events=[made, payment(date(2026, 11, 19), "500")])
    partial = account(invoice(), events=[made, payment(date(2026, 11, 17), "200")])
    late = account(invoice(), events=[made, payment(date(2026, 11, 20), "500")])
    assert statuses(kept, MONDAY) == [("kept", D(500))]
    assert statuses(partial, MONDAY) == [("partial", D(200))]
    assert statuses(late, MONDAY) == [("broken", D(0))]


def test_payments_before_the_promise_do_not_count_toward_it():
    acct = account(
        invoice(),
        events=[
            payment(date(2026, 11, 1), "500"),
            promise(date(2026, 11, 10), (date(2026, 11, 18), "500")),
        ],
    )
    assert statuses(acct, MONDAY) == [("broken", D(0))]


def test_one_payment_keeps_one_promise_not_every_promise():
    first = promise(date(2026, 11, 10), (date(2026, 11, 16), "1000"))
    second = promise(date(2026, 11, 11), (date(2026, 11, 18), "1000"))
    acct = account(
        invoice(amount="3000"), events=[first, second, payment(date(2026, 11, 12), "1000")]
    )
    assert statuses(acct, MONDAY) == [("kept", D(1000)), ("broken", D(0))]


def test_a_payment_earlier_the_same_day_does_not_keep_a_promise_made_after_it():
    paid = payment(date(2026, 11, 10), "1000")  # recorded at 12:00
    before = Promise(
        file="2026-11-10T091000-promise-maria.yaml",
        date=date(2026, 11, 10),
        collector="maria",
        installments=(Installment(date(2026, 11, 16), D(1000)),),
    )
    after = Promise(
        file="2026-11-10T150000-promise-maria.yaml",
        date=date(2026, 11, 10),
        collector="maria",
        installments=(Installment(date(2026, 11, 16), D(1000)),),
    )
    assert statuses(account(invoice(), events=[before, paid]), MONDAY) == [("kept", D(1000))]
    assert statuses(account(invoice(), events=[paid, after]), MONDAY) == [("broken", D(0))]


def test_payments_before_between_and_after_promises():
    acct = account(
        invoice(amount="5000"),
        events=[
            payment(date(2026, 11, 2), "700"),  # before any promise: counts for none
            promise(date(2026, 11, 3), (date(2026, 11, 9), "500")),
            payment(date(2026, 11, 5), "800"),  # 500 keeps the first, 300 left over
            promise(date(2026, 11, 6), (date(2026, 11, 12), "500")),
            payment(date(2026, 11, 11), "200"),  # the 300 came before the second: partial
            promise(date(2026, 11, 13), (date(2026, 11, 17), "400")),
            payment(date(2026, 11, 19), "400"),  # after the third's check day: too late
        ],
    )
    assert statuses(acct, MONDAY) == [("kept", D(500)), ("partial", D(200)), ("broken", D(0))]


def test_each_installment_of_a_plan_has_its_own_status():
    plan = promise(
        date(2026, 10, 30),
        (date(2026, 11, 6), "300"),
        (date(2026, 11, 20), "300"),
        (date(2026, 12, 4), "300"),
    )
    acct = account(
        invoice(amount="900"),
        events=[plan, payment(date(2026, 11, 5), "300"), payment(date(2026, 11, 21), "100")],
    )
    # the 2nd is due Friday the 20th; with a day's grace it is checked on Monday the 23rd
    assert statuses(acct, MONDAY) == [("kept", D(300)), ("pending", D(100)), ("pending", D(0))]
    assert statuses(acct, date(2026, 11, 24)) == [
        ("kept", D(300)),
        ("partial", D(100)),
        ("pending", D(0)),
    ]


def test_payments_applied_on_invoices_count_when_no_event_records_them():
    acct = account(
        invoice(paid=[(date(2026, 11, 15), "500")]),
        events=[promise(date(2026, 11, 10), (date(2026, 11, 18), "500"))],
    )
    assert statuses(acct, MONDAY) == [("kept", D(500))]


# --- accounts ------------------------------------------------------------------------------


def test_aging_buckets_hold_open_balances():
    acct = account(
        invoice("A", due=date(2026, 12, 1), amount="10"),
        invoice("B", due=date(2026, 11, 1), amount="20"),
        invoice("C", due=date(2026, 10, 1), amount="40", paid=[(date(2026, 10, 5), "15")]),
        invoice("D", due=date(2026, 9, 1), amount="80"),
        invoice("E", due=date(2026, 6, 1), amount="160"),
        invoice("F", due=date(2026, 6, 1), amount="999", paid=[(date(2026, 6, 2), "999")]),
    )
    assert invoice_rules.aging(acct, MONDAY) == {
        "current": D(10),
        "1-30": D(20),
        "31-60": D(25),
        "61-90": D(80),
        "90+": D(160),
    }


def test_whom_to_call_the_approver_then_the_last_person_then_the_first():
    clerk, boss = Contact("Clerk", role="payables"), Contact("Boss", authorizes_payment=True)
    spoke = call(date(2026, 11, 2), "reached", contact="Other")
    assert contact_rules.contact_to_call(account(contacts=[clerk, boss])).contact == boss
    others = [clerk, Contact("Other")]
    assert (
        contact_rules.contact_to_call(account(contacts=others, events=[spoke])).contact.name
        == "Other"
    )
    assert contact_rules.contact_to_call(account(contacts=others)).contact.name == "Clerk"


# --- the call list ---------------------------------------------------------------------------


def entry(acct, today=MONDAY):
    return call_lists.call_list_entry(standings.standing(acct, CONFIG), CONFIG, today)


def said(listed):
    """An entry's reasons as the call list prints them."""
    return [words.reason(found, "USD", CONFIG) for found in listed.reasons]


def test_an_account_joins_the_list_on_the_first_call_line():
    acct = account(invoice(due=date(2026, 11, 18)))
    assert entry(acct, date(2026, 11, 22)) is None
    assert said(entry(acct, MONDAY)) == ["5 days past due — first call"]


def test_a_pending_promise_or_a_later_follow_up_says_wait():
    waiting_on_promise = account(
        invoice(), events=[promise(date(2026, 11, 20), (date(2026, 11, 30), "1000"))]
    )
    callback_booked = account(
        invoice(), events=[call(date(2026, 11, 20), "reached", follow_up=date(2026, 11, 25))]
    )
    assert entry(waiting_on_promise) is None
    assert entry(callback_booked) is None
    assert said(entry(callback_booked, date(2026, 11, 25)))[0].startswith("call again")


def test_a_disputed_invoice_is_held_back_but_comes_up_for_review():
    dispute = Dispute("pricing", date(2026, 11, 3))
    assert entry(account(invoice(dispute=dispute)), date(2026, 11, 12)) is None
    review = entry(account(invoice(dispute=dispute)))  # 10 business days on: review it
    assert review is not None and review.overdue == 0 and review.disputed == D(1000)
    assert [r.code for r in review.reasons] == ["dispute-review"]
    resolved = Dispute("pricing", date(2026, 11, 3), resolved=date(2026, 11, 20))
    assert entry(account(invoice(dispute=resolved))) is not None


def test_only_the_disputed_part_is_held_back():
    dispute = Dispute("pricing", date(2026, 11, 20), amount=D(400))
    found = entry(account(invoice(dispute=dispute)))
    assert (found.overdue, found.disputed) == (D(600), D(400))
    assert "past-due" in [r.code for r in found.reasons]


def test_a_dispute_open_past_the_line_escalates():
    dispute = Dispute("pricing", date(2026, 10, 20))
    found = entry(account(invoice(dispute=dispute)))  # 34 days open on 2026-11-23
    assert said(found)[0] == "escalate to the credit manager: INV-1 in dispute 34 days"


def test_reasons_speak_a_collectors_language():
    check = MailedCheck("4411", D("1000"), date(2026, 11, 12))
    mailed = account(invoice(), events=[call(date(2026, 11, 12), "check-in-mail", check=check)])
    broken = account(invoice(), events=[promise(date(2026, 11, 10), (date(2026, 11, 18), "2000"))])
    hostile = account(invoice(), events=[call(date(2026, 11, 20), "hostile")])
    assert said(entry(mailed))[0] == "check #4411 mailed 2026-11-12 not received"
    assert said(entry(broken))[0] == "promise of 2,000.00 broken on 2026-11-20"
    assert said(entry(hostile))[0] == "callback after hostile call on 2026-11-20"


def test_a_payment_matching_the_mailed_check_closes_its_follow_up():
    check = MailedCheck("4411", D("400"), date(2026, 11, 12))
    acct = account(
        invoice(),
        events=[
            call(date(2026, 11, 12), "check-in-mail", check=check),
            payment(date(2026, 11, 16), "400", reference="4411"),
        ],
    )
    assert [f.kind for f in schedule.follow_ups(acct, CONFIG, MONDAY)] == []


def test_escalation_after_n_days_past_due_or_n_broken_promises():
    old = account(invoice(due=date(2026, 9, 20)))
    assert "escalate to the credit manager: 64 days past due" in said(entry(old))
    two_broken = account(
        invoice(due=date(2026, 10, 20)),
        events=[
            promise(date(2026, 10, 25), (date(2026, 11, 1), "100")),
            promise(date(2026, 11, 5), (date(2026, 11, 10), "100")),
        ],
    )
    assert said(entry(two_broken)) == [
        "escalate to the credit manager: 2 broken promises",  # both on the day it broke
        "promise of 100.00 broken on 2026-11-12",
        "34 days past due",
    ]
    handled = account(
        invoice(due=date(2026, 9, 20)),
        events=[Escalation(file="e.yaml", date=date(2026, 11, 20), collector="maria", to="grace")],
    )
    assert entry(handled).account.collector == "grace"
    assert said(entry(handled))[0] == "escalated to grace on 2026-11-20 by maria"


def test_ranking_puts_broken_promises_first_then_follow_ups_then_amount_times_age():
    broken = account(
        invoice(amount="10"),
        id="small-broken",
        events=[promise(date(2026, 11, 10), (date(2026, 11, 18), "10"))],
    )
    callback = account(
        invoice(amount="10"), id="callback", events=[call(date(2026, 11, 20), "hostile")]
    )
    big = account(invoice("B", due=date(2026, 11, 10), amount="9000"), id="big-recent")
    old = account(invoice("O", due=date(2026, 10, 1), amount="1000"), id="small-old")
    listed = call_lists.call_list(
        [standings.standing(a, CONFIG) for a in (old, big, callback, broken)], CONFIG, MONDAY
    )
    # 9000 x 13 days = 117,000 outweighs 1000 x 53 days = 53,000
    assert [e.account.id for e in listed] == ["small-broken", "callback", "big-recent", "small-old"]


def due_days(acct, config):
    """The days from September to January when the account would be listed or have a
    follow-up due, worked out without the `wake` shortcut."""
    from datetime import timedelta

    from msgspec.structs import replace

    awake = replace(standings.standing(acct, config), wake=date.min)
    for offset in range(150):
        day = date(2026, 9, 1) + timedelta(days=offset)
        listed = call_lists.call_list_entry(awake, config, day) is not None
        if listed or any(f.date <= day for f in schedule.standing_follow_ups(awake, config, day)):
            yield day


def booked_follow_ups(open_invoice):
    """One account for each kind of follow-up a conversation books, on this invoice."""
    check = MailedCheck("4411", D("1000"), date(2026, 11, 12))
    return [
        account(open_invoice, events=[call(date(2026, 11, 20), "hostile")]),
        account(open_invoice, events=[call(date(2026, 11, 12), "check-in-mail", check=check)]),
        account(open_invoice, events=[promise(date(2026, 11, 10), (date(2026, 11, 18), "500"))]),
    ]


def test_no_account_is_due_before_its_standing_says_it_wakes(sample):
    """`wake` lets a call list skip sleeping accounts unread; it must never skip one that
    is due: every sample account, and one of each kind of follow-up booked before any
    invoice reaches its first-call line."""
    from collectctl.ledger.read import read_ledger

    booked_early = booked_follow_ups(invoice(due=date(2026, 12, 15)))
    # The same follow-ups booked on an account already past its first-call line: they
    # hold it off the list until they fall due, so it wakes later than the line.
    booked_late = booked_follow_ups(invoice(due=date(2026, 10, 1)))
    ledger = read_ledger(sample).strict()
    cases = [(a, ledger.config) for a in ledger.accounts.values()]
    cases += [(a, CONFIG) for a in booked_early + booked_late]
    for acct, config in cases:
        wake = standings.standing(acct, config).wake
        days = list(due_days(acct, config))
        assert all(wake is not None and wake <= day for day in days), acct.id
    for acct in booked_early:
        assert next(due_days(acct, CONFIG)) < date(2026, 12, 1)  # before the invoice is due
    for acct in booked_late:  # asleep between the first-call line and the booked day
        assert standings.standing(acct, CONFIG).wake == next(due_days(acct, CONFIG))


def test_reasons_are_data_with_stable_codes():
    """The policy says why in data; the words are the presentation's."""
    from collectctl.domain.reasons import CheckNotReceived, Escalated, PastDue

    check = MailedCheck("4411", D("1000"), date(2026, 11, 12))
    mailed = account(invoice(), events=[call(date(2026, 11, 12), "check-in-mail", check=check)])
    assert entry(mailed).reasons == (
        CheckNotReceived("4411", date(2026, 11, 12)),
        PastDue(53, first_call=False),
    )
    broken = account(invoice(), events=[promise(date(2026, 11, 10), (date(2026, 11, 18), "2000"))])
    reason = entry(broken).reasons[0]
    assert (reason.code, reason.amount, reason.broken_on) == (
        "promise-broken",
        D("2000"),
        date(2026, 11, 20),
    )
    handled = account(
        invoice(due=date(2026, 9, 20)),
        events=[Escalation(file="e.yaml", date=date(2026, 11, 20), collector="maria", to="grace")],
    )
    assert entry(handled).reasons[0] == Escalated("grace", date(2026, 11, 20), "maria")
    assert [r.code for r in entry(handled).reasons] == ["escalated", "past-due"]
