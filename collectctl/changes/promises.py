"""promise: a promise to pay, checked against the account and laid out in installments,
with its written confirmation sent in the same commit when asked."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field

from collectctl.audit.identity import Identity
from collectctl.changes.account_change import AccountEdit, Clock, Outcome, account_change
from collectctl.changes.lookups import find_invoices, resolve_contact
from collectctl.domain.inputs import amount_option
from collectctl.domain.invoices import in_dispute, is_open, open_invoices
from collectctl.domain.models import Account, Policy
from collectctl.domain.money import format_money, minor_units
from collectctl.domain.promises import PlannedPromise, check_day, installment_statuses
from collectctl.errors import CollectctlError, UsageError
from collectctl.ledger.accounts import Ledger
from collectctl.presentation.words import plan_words

if TYPE_CHECKING:
    from collectctl.changes.sending import Confirm

_EVERY = re.compile(r"(\d+)([dwm])")


class PromiseTerms(Struct, frozen=True):
    """A promise as the collector typed it."""

    amount: str
    dates: list[date]
    installments: int | None = None
    every: str | None = None
    method: str | None = None
    invoices: list[str] = field(default_factory=list)

    @classmethod
    def from_options(
        cls, amount: str | None, dates: list[date] | None, method: str | None
    ) -> PromiseTerms | None:
        """A promise made on a call (--amount, --by, --method), if one was made."""
        if amount is not None or dates:
            return cls(amount or "", list(dates or []), method=method)
        if method is not None:
            raise UsageError("--method goes with a promise (--amount and --by)")
        return None


def plan_promise(account: Account, terms: PromiseTerms, today: date) -> PlannedPromise:
    """Check a promise against the account and lay out its installments."""
    from dateutil.relativedelta import relativedelta

    currency = account.customer.currency
    total = amount_option(terms.amount, currency, "--amount")
    if not terms.dates:
        raise UsageError("a promise needs a date: --by YYYY-MM-DD")
    dates = sorted(terms.dates)
    if terms.installments is not None:
        if len(dates) != 1 or terms.every is None:
            raise UsageError(
                "--installments N needs one --by (the first date) and --every 14d|2w|1m"
            )
        step = _EVERY.fullmatch(terms.every)
        if not step or int(step.group(1)) == 0:
            raise UsageError(f"--every: {terms.every!r} is not a period like 14d, 2w or 1m")
        count, unit = int(step.group(1)), step.group(2)
        delta = {
            "d": relativedelta(days=count),
            "w": relativedelta(weeks=count),
            "m": relativedelta(months=count),
        }[unit]
        try:
            dates = [dates[0] + delta * k for k in range(terms.installments)]
        except (OverflowError, ValueError):
            dates = [date.max]
        if dates[-1] > today + timedelta(days=3660):
            raise UsageError(f"--every {terms.every}: the plan would run past ten years")
    elif terms.every is not None:
        raise UsageError("--every goes with --installments N")
    if len(set(dates)) != len(dates):
        raise UsageError("two installments fall on the same date")
    past = [d for d in dates if d < today]
    if past:
        raise UsageError(f"--by {past[0]} is in the past (today is {today})")

    quantum = Decimal(1).scaleb(-minor_units(currency))
    share = (total / len(dates)).quantize(quantum, rounding=ROUND_DOWN)
    if share <= 0:
        raise UsageError(
            f"--amount {total} in {len(dates)} installments leaves nothing for each; "
            "promise more, or in fewer installments"
        )
    amounts = [share] * (len(dates) - 1) + [total - share * (len(dates) - 1)]

    still_open = open_invoices(account)
    if terms.invoices:
        chosen = find_invoices(account, terms.invoices)
        closed = [i.number for i in chosen if not is_open(i)]
        if closed:
            raise CollectctlError(f"invoice {closed[0]} has no open balance")
    else:  # oldest first, undisputed before disputed, until the promise is covered
        chosen, covered = [], Decimal(0)
        for invoice in sorted(still_open, key=in_dispute):
            if covered >= total:
                break
            chosen.append(invoice)
            covered += invoice.balance
    available = sum((i.balance for i in (chosen if terms.invoices else still_open)), Decimal(0))
    if total > available:
        where = "those invoices" if terms.invoices else account.id
        raise CollectctlError(
            f"{format_money(total, currency)} is more than the open balance of {where} "
            f"({format_money(available, currency)})"
        )
    return PlannedPromise(list(zip(dates, amounts, strict=True)), chosen, total, terms.method)


def promise_record(plan: PlannedPromise, contact: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {"contact": contact}
    if len(plan.installments) == 1:
        record["amount"], record["by"] = plan.installments[0][1], plan.installments[0][0]
    else:
        record["installments"] = [{"by": by, "amount": amount} for by, amount in plan.installments]
    record["method"] = plan.method
    record["invoices"] = [i.number for i in plan.invoices]
    return record


def overpromised(account: Account, plan: PlannedPromise, policy: Policy, today: date) -> list[str]:
    """A note when this promise and those still pending promise more than is open: two
    promises of the whole balance usually mean the second restates the first."""
    pending = sum(
        (s.amount - s.paid for s in installment_statuses(account, policy, today)
         if s.status == "pending"),
        Decimal(0),
    )  # fmt: skip
    open_balance = sum((i.balance for i in open_invoices(account)), Decimal(0))
    promised = pending + plan.total
    if not pending or promised <= open_balance:
        return []
    currency = account.customer.currency
    return [
        f"note: promises pending now add up to {format_money(promised, currency)}, more than "
        f"the {format_money(open_balance, currency)} open; record a correction if this one "
        "replaces an earlier promise"
    ]


def check_days(plan: PlannedPromise, policy: Policy) -> list[str]:
    """When the policy will check each installment: its date plus the grace."""
    return [f"next: check on {check_day(by, policy)}" for by, _ in plan.installments]


def add_promise(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    clock: Clock,
    *,
    terms: PromiseTerms,
    contact: str | None,
    confirm: Confirm | None = None,
) -> tuple[Outcome, PlannedPromise, str | None]:
    with account_change(ledger, identity, customer_id, clock) as edit:
        plan = plan_promise(edit.account, terms, clock.today)
        who = resolve_contact(edit, contact)
        edit.write_event("promise", promise_record(plan, who))
        subject = f"promise {customer_id}: {plan_words(plan, edit.account.customer.currency)}"
        edit.describe(subject, "promise")
        details = check_days(plan, edit.config.policy)
        details += overpromised(edit.account, plan, edit.config.policy, clock.today)
        if confirm is not None:
            details.append(confirm_in_writing(edit, plan, who, confirm, subject))
    return edit.outcome(details), plan, who


def confirm_in_writing(
    edit: AccountEdit, plan: PlannedPromise, who: str | None, confirm: Confirm, subject: str
) -> str:
    """Send the written confirmation as part of the promise's own commit."""
    from collectctl.changes import sending  # email is imported only when one goes out

    message = sending.confirmation_message(edit, plan, who, confirm)
    to = {a.addr_spec for a in message["To"].addresses}
    interrupted = sending.interrupted_send(edit.account, "promise-confirmation", to)
    if interrupted is not None and not confirm.resend:
        raise CollectctlError(
            f"the last promise confirmation to {', '.join(sorted(to))} ({interrupted.date}) "
            "was interrupted and may have been delivered; ask the customer, or pass --resend"
        )
    action = edit.change.trailers["Collectctl-Action"]
    recipients = ", ".join(a.addr_spec for a in message["To"].addresses)
    edit.describe(f"{subject}, confirmed to {recipients}", action)
    detail, sent = sending.record_and_send(
        edit, message, "promise-confirmation", [i.number for i in plan.invoices]
    )
    if not sent:
        edit.describe(subject, action)
    return detail
