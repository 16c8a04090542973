"""log-call: what was said and agreed on a call, and the follow-up the policy books."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from collectctl.audit.identity import Identity
from collectctl.changes.account_change import Clock, Outcome, account_change
from collectctl.changes.disputes import DisputeOpening, write_openings
from collectctl.changes.lookups import find_invoices, resolve_contact
from collectctl.changes.promises import (
    PromiseTerms,
    check_days,
    confirm_in_writing,
    overpromised,
    plan_promise,
    promise_record,
)
from collectctl.domain.escalation import credit_manager
from collectctl.domain.followups import booked_follow_up
from collectctl.domain.inputs import amount_option
from collectctl.domain.models import Call
from collectctl.domain.money import format_money
from collectctl.domain.promises import PlannedPromise
from collectctl.errors import CollectctlError, UsageError
from collectctl.ledger.accounts import Ledger
from collectctl.presentation.words import plan_words

if TYPE_CHECKING:
    from collectctl.changes.sending import Confirm


class MailedCheck(Struct, frozen=True):
    """A check the customer says is in the mail, as the collector typed it."""

    number: str
    amount: str
    mailed: date

    @classmethod
    def from_options(
        cls, number: str | None, amount: str | None, mailed: date | None
    ) -> MailedCheck | None:
        """--check-number, --check-amount and --mailed: all three, or none."""
        if number is None and amount is None and mailed is None:
            return None
        if number is None or amount is None or mailed is None:
            raise UsageError(
                "a check in the mail needs --check-number, --check-amount and --mailed"
            )
        return cls(number, amount, mailed)


class CallRecord(Struct, frozen=True):
    """One call as the collector reports it."""

    outcome: str
    contact: str | None = None
    notes: str | None = None
    recording: str | None = None
    invoices: tuple[str, ...] = ()
    check: MailedCheck | None = None
    dispute_reason: str | None = None
    disputed_amount: str | None = None
    promise: PromiseTerms | None = None
    follow_up: date | None = None
    confirm: Confirm | None = None

    def check_options(self, today: date) -> None:
        """Each outcome has what it needs, and nothing that belongs to another."""
        outcome = self.outcome
        needs = {
            "check-in-mail": (
                self.check is not None,
                "--check-number, --check-amount and --mailed",
            ),
            "dispute": (
                bool(self.invoices) and self.dispute_reason is not None,
                "--invoice and --reason",
            ),
            "invoice-not-received": (bool(self.invoices), "--invoice"),
            "promise": (
                self.promise is not None,
                "--amount and --by (or record it with 'collectctl promise')",
            ),
        }
        if outcome in needs and not needs[outcome][0]:
            raise UsageError(f"--outcome {outcome} needs {needs[outcome][1]}")
        stray = {
            "--check-number/--check-amount/--mailed": self.check is not None
            and outcome != "check-in-mail",
            "--reason": self.dispute_reason is not None and outcome != "dispute",
            "--disputed-amount": self.disputed_amount is not None and outcome != "dispute",
            "--amount/--by": self.promise is not None and outcome != "promise",
        }
        for option, misplaced in stray.items():
            if misplaced:
                raise UsageError(f"{option} does not go with --outcome {outcome}")
        if self.follow_up is not None and self.follow_up < today:
            raise UsageError(f"--follow-up {self.follow_up} is in the past (today is {today})")


def log_call(
    ledger: Ledger, identity: Identity, customer_id: str, clock: Clock, call: CallRecord
) -> tuple[Outcome, PlannedPromise | None, str | None]:
    call.check_options(clock.today)
    config = ledger.config
    plan = None
    with account_change(ledger, identity, customer_id, clock) as edit:
        account = edit.account
        currency = account.customer.currency
        chosen = find_invoices(account, list(call.invoices))
        who = resolve_contact(edit, call.contact)
        record: dict[str, Any] = {
            "contact": who,
            "outcome": call.outcome,
            "invoices": [i.number for i in chosen],
        }
        words = call.outcome
        check = call.check
        if check is not None:
            amount = amount_option(check.amount, currency, "--check-amount")
            if check.mailed > clock.today:
                raise UsageError(
                    f"--mailed {check.mailed} is in the future (today is {clock.today})"
                )
            record["check"] = {"number": check.number, "amount": amount, "mailed": check.mailed}
            words = (
                f"check #{check.number} for {format_money(amount, currency)} mailed {check.mailed}"
            )
        if call.outcome == "dispute" and call.dispute_reason:
            record["dispute_reason"] = call.dispute_reason
            words = f"dispute on {', '.join(i.number for i in chosen)} ({call.dispute_reason})"
            opening = DisputeOpening(
                call.dispute_reason, call.disputed_amount, contact=call.contact, notes=call.notes
            )
            write_openings(edit, chosen, opening, "--disputed-amount")
        if call.outcome == "invoice-not-received":
            words = f"invoice {', '.join(i.number for i in chosen)} not received"
        booked = booked_follow_up(
            call.outcome, clock.today, config.policy, check.mailed if check else None
        )
        next_date = call.follow_up or (booked[0] if booked else None)
        record |= {"recording": call.recording, "follow_up": next_date, "notes": call.notes}
        edit.write_event("call", record)
        details: list[str] = []
        if call.promise is not None:
            plan = plan_promise(account, call.promise, clock.today)
            edit.write_event("promise", promise_record(plan, who))
            words = f"promise {plan_words(plan, currency)}"
            details += check_days(plan, config.policy)
            details += overpromised(account, plan, config.policy, clock.today)
        if call.outcome == "escalate":
            to = credit_manager(config)
            reason = call.notes and call.notes.strip().splitlines()[0]
            edit.write_event("escalation", {"to": to, "reason": reason})
            words = f"escalated to {to or 'the credit manager'}"
        if next_date:
            kind = booked[1] if booked else "follow-up"
            details.append(f"next: {kind} on {next_date}")
        if call.outcome == "invoice-not-received":
            numbers = " ".join(i.number for i in chosen)
            details.append(f"send the copy now: collectctl resend-invoice {customer_id} {numbers}")
        if who and call.outcome not in ("promise", "escalate"):
            words += f" ({who})"
        subject = f"log-call {customer_id}: {words}"
        edit.describe(subject, "log-call")
        if plan is not None and call.confirm is not None:
            details.append(confirm_in_writing(edit, plan, who, call.confirm, subject))
    return edit.outcome(details), plan, who


def void_check(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    clock: Clock,
    number: str,
    *,
    status: str,
    replacement: str | None,
    notes: str | None,
) -> Outcome:
    """A check reported mailed that will never arrive: its follow-up closes, the brief
    says why, and the account is chased again."""
    with account_change(ledger, identity, customer_id, clock) as edit:
        account = edit.account
        mailed = [e for e in account.events if type(e) is Call and e.check is not None]
        if not any(e.check is not None and e.check.number == number for e in mailed):
            known = ", ".join(f"#{e.check.number}" for e in mailed if e.check) or "none"
            raise CollectctlError(f"{customer_id} has no check #{number} reported mailed ({known})")
        record = {"number": number, "status": status, "replacement": replacement, "notes": notes}
        edit.write_event("check", record)
        words = f"replaced by #{replacement}" if replacement else status
        edit.describe(f"check-void {customer_id}: check #{number} {words}", "check-void")
    return edit.outcome()
