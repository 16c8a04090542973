"""The collector's records: calls, promises, payments, escalations — each one commit.

Every record is a new event file in the customer's activity/ folder; a payment or a
dispute also updates invoices.yaml, and a new contact name joins customer.yaml, all in
the same commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from collectctl import policy, store
from collectctl.actions import Outcome, amount_option, finish
from collectctl.audit import Audit, Change, Identity
from collectctl.errors import CollectctlError, NotFoundError, UsageError
from collectctl.layout import Layout, event_file_name
from collectctl.ledger import Ledger, load_account
from collectctl.models import Account, Config, Invoice
from collectctl.money import format_money, minor_units


@dataclass(frozen=True)
class Clock:
    """The business date (--today) and the wall-clock moment events are recorded at."""

    today: date
    now: datetime


@dataclass(frozen=True)
class MailedCheck:
    number: str
    amount: str
    mailed: date


@dataclass(frozen=True)
class PromiseTerms:
    amount: str
    dates: list[date]
    installments: int | None = None
    every: str | None = None
    method: str | None = None
    invoices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Confirm:
    """Email the written confirmation of a promise: to --to, else the promising contact."""

    profile: dict[str, Any]  # the collector: name and email
    to: str | None = None


@dataclass(frozen=True)
class PlannedPromise:
    """A promise ready to record: installments, the invoices it covers, its total."""

    installments: list[tuple[date, Decimal]]
    invoices: list[Invoice]
    total: Decimal
    method: str | None

    def words(self, currency: str) -> str:
        total = format_money(self.total, currency)
        if len(self.installments) == 1:
            return f"{total} by {self.installments[0][0]}"
        first, last = self.installments[0][0], self.installments[-1][0]
        return f"{total} in {len(self.installments)} installments, {first} to {last}"


# --- helpers shared by the records -----------------------------------------------------


def find_invoices(account: Account, numbers: list[str]) -> list[Invoice]:
    """The named invoices of an account, in the order named; an unknown one is an error."""
    found = []
    for number in numbers:
        invoice = account.find_invoice(number)
        if invoice is None:
            raise NotFoundError(f"{account.id} has no invoice {number}")
        found.append(invoice)
    return found


def write_event(
    change: Change,
    layout: Layout,
    account: Account,
    clock: Clock,
    kind: str,
    record: dict[str, Any],
) -> str:
    """Write one new activity file and return its name."""
    identity = change.identity
    folder = layout.activity_dir(account.id)
    name = event_file_name(clock.today, clock.now, kind, identity.collector_id)
    suffix = 1
    while (folder / name).exists():  # the same collector, twice in one microsecond
        suffix += 1
        name = event_file_name(clock.today, clock.now, kind, identity.collector_id)
        name = name.removesuffix(".yaml") + f"-{suffix}.yaml"
    header = {
        "kind": kind,
        "date": clock.today,
        "collector": identity.collector_id,
        "recorded": clock.now.astimezone(UTC).isoformat(timespec="seconds"),
    }
    body = {key: value for key, value in record.items() if value not in (None, [], "")}
    change.write(folder / name, store.to_yaml_text(header | body))
    return name


def _resolve_contact(
    change: Change, layout: Layout, account: Account, name: str | None
) -> str | None:
    """The contact's name as the ledger spells it; a new name joins customer.yaml."""
    if name is None:
        contact, _ = policy.contact_to_call(account)
        return contact.name if contact else None
    name = name.strip()
    if not name:
        raise UsageError("--contact must not be empty")
    known = account.customer.find_contact(name)
    if known:
        return known.name
    path = layout.customer_file(account.id)
    document = store.Document.open(path, layout.rel(path))
    contacts = document.data.get("contacts")
    if contacts is None:
        document.data["contacts"] = store.to_yaml_node([{"name": name}])
    else:
        contacts.append(store.to_yaml_node({"name": name}))
    change.write(path, document.text())
    return name


def _invoice_nodes(layout: Layout, account: Account) -> tuple[store.Document, dict[str, Any]]:
    path = layout.invoices_file(account.id)
    document = store.Document.open(path, layout.rel(path))
    nodes = {str(node["number"]): node for node in document.data["invoices"]}
    return document, nodes


# --- promise ---------------------------------------------------------------------------

_EVERY = re.compile(r"(\d+)([dwm])")


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
        dates = [dates[0] + delta * k for k in range(terms.installments)]
    elif terms.every is not None:
        raise UsageError("--every goes with --installments N")
    if len(set(dates)) != len(dates):
        raise UsageError("two installments fall on the same date")
    past = [d for d in dates if d < today]
    if past:
        raise UsageError(f"--by {past[0]} is in the past (today is {today})")

    quantum = Decimal(1).scaleb(-minor_units(currency))
    share = (total / len(dates)).quantize(quantum, rounding=ROUND_DOWN)
    amounts = [share] * (len(dates) - 1) + [total - share * (len(dates) - 1)]

    open_invoices = policy.open_invoices(account)
    if terms.invoices:
        chosen = find_invoices(account, terms.invoices)
        closed = [i.number for i in chosen if not policy.is_open(i)]
        if closed:
            raise CollectctlError(f"invoice {closed[0]} has no open balance")
    else:  # oldest first, undisputed before disputed, until the promise is covered
        ordered = sorted(open_invoices, key=policy.in_dispute)
        chosen, covered = [], Decimal(0)
        for invoice in ordered:
            if covered >= total:
                break
            chosen.append(invoice)
            covered += invoice.balance
    available = sum((i.balance for i in (chosen if terms.invoices else open_invoices)), Decimal(0))
    if total > available:
        where = "those invoices" if terms.invoices else account.id
        raise CollectctlError(
            f"{format_money(total, currency)} is more than the open balance of {where} "
            f"({format_money(available, currency)})"
        )
    return PlannedPromise(list(zip(dates, amounts, strict=True)), chosen, total, terms.method)


def _promise_record(plan: PlannedPromise, contact: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {"contact": contact}
    if len(plan.installments) == 1:
        record["amount"], record["by"] = plan.installments[0][1], plan.installments[0][0]
    else:
        record["installments"] = [{"by": by, "amount": amount} for by, amount in plan.installments]
    record["method"] = plan.method
    record["invoices"] = [i.number for i in plan.invoices]
    return record


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
    ledger.account(customer_id)
    layout = ledger.layout
    with Audit(layout).change(identity) as change:
        account = load_account(layout, ledger.config, customer_id)
        plan = plan_promise(account, terms, clock.today)
        who = _resolve_contact(change, layout, account, contact)
        write_event(change, layout, account, clock, "promise", _promise_record(plan, who))
        subject = f"promise {customer_id}: {plan.words(account.customer.currency)}"
        change.describe(subject, "promise", customer_id)
        details = _check_days(plan, ledger.config)
        if confirm is not None:
            details.append(_confirm(change, ledger, account, clock, plan, who, confirm, subject))
    return finish(change, tuple(details)), plan, who


def _confirm(
    change: Change,
    ledger: Ledger,
    account: Account,
    clock: Clock,
    plan: PlannedPromise,
    who: str | None,
    confirm: Confirm,
    subject: str,
) -> str:
    """Send the written confirmation as part of the promise's own commit."""
    from collectctl import sending

    message = sending.confirmation_message(
        ledger, account, plan, who, confirm.profile, sending.Recipient(confirm.to), clock.now
    )
    to = ", ".join(a.addr_spec for a in message["To"].addresses)
    action = change.trailers["Collectctl-Action"]
    change.describe(f"{subject}, confirmed to {to}", action, account.id)
    detail, sent = sending.send_confirmation(change, ledger, account, clock, message, plan)
    if not sent:
        change.describe(subject, action, account.id)
    return detail


def _check_days(plan: PlannedPromise, config: Config) -> list[str]:
    """When the policy will check each installment: its date plus the grace."""
    return [f"next: check on {policy.check_day(by, config.policy)}" for by, _ in plan.installments]


# --- log-call --------------------------------------------------------------------------


def log_call(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    clock: Clock,
    *,
    outcome: str,
    contact: str | None,
    notes: str | None,
    recording: str | None,
    invoices: list[str],
    check: MailedCheck | None,
    dispute_reason: str | None,
    disputed_amount: str | None,
    promise: PromiseTerms | None,
    follow_up: date | None,
    confirm: Confirm | None = None,
) -> tuple[Outcome, PlannedPromise | None, str | None]:
    _check_outcome_options(outcome, invoices, check, dispute_reason, disputed_amount, promise)
    if follow_up is not None and follow_up < clock.today:
        raise UsageError(f"--follow-up {follow_up} is in the past (today is {clock.today})")
    ledger.account(customer_id)
    layout, config = ledger.layout, ledger.config
    plan = None
    with Audit(layout).change(identity) as change:
        account = load_account(layout, config, customer_id)
        currency = account.customer.currency
        chosen = find_invoices(account, invoices)
        who = _resolve_contact(change, layout, account, contact)
        record: dict[str, Any] = {
            "contact": who,
            "outcome": outcome,
            "invoices": [i.number for i in chosen],
        }
        words = outcome
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
        if outcome == "dispute":
            record["dispute_reason"] = dispute_reason
            words = f"dispute on {', '.join(i.number for i in chosen)} ({dispute_reason})"
            _open_disputes(
                change, layout, account, chosen, clock.today, dispute_reason, disputed_amount, notes
            )
        if outcome == "invoice-not-received":
            words = f"invoice {', '.join(i.number for i in chosen)} not received"
        booked = policy.booked_follow_up(
            outcome, clock.today, config.policy, check.mailed if check else None
        )
        next_date = follow_up or (booked[0] if booked else None)
        record |= {"recording": recording, "follow_up": next_date, "notes": notes}
        write_event(change, layout, account, clock, "call", record)
        details: list[str] = []
        if promise is not None:
            plan = plan_promise(account, promise, clock.today)
            write_event(change, layout, account, clock, "promise", _promise_record(plan, who))
            words = f"promise {plan.words(currency)}"
            details += _check_days(plan, config)
        if outcome == "escalate":
            to = policy.credit_manager(config)
            write_event(
                change,
                layout,
                account,
                clock,
                "escalation",
                {"to": to, "reason": notes and notes.strip().splitlines()[0]},
            )
            words = f"escalated to {to or 'the credit manager'}"
        if next_date:
            kind = booked[1] if booked else "follow-up"
            details.append(f"next: {kind} on {next_date}")
        if outcome == "invoice-not-received":
            numbers = " ".join(i.number for i in chosen)
            details.append(f"send the copy now: collectctl resend-invoice {customer_id} {numbers}")
        if who and outcome not in ("promise", "escalate"):
            words += f" ({who})"
        subject = f"log-call {customer_id}: {words}"
        change.describe(subject, "log-call", customer_id)
        if plan is not None and confirm is not None:
            details.append(_confirm(change, ledger, account, clock, plan, who, confirm, subject))
    return finish(change, tuple(details)), plan, who


def _check_outcome_options(outcome, invoices, check, dispute_reason, disputed_amount, promise):
    needs = {
        "check-in-mail": (check is not None, "--check-number, --check-amount and --mailed"),
        "dispute": (bool(invoices) and dispute_reason is not None, "--invoice and --reason"),
        "invoice-not-received": (bool(invoices), "--invoice"),
        "promise": (
            promise is not None,
            "--amount and --by (or record it with 'collectctl promise')",
        ),
    }
    if outcome in needs and not needs[outcome][0]:
        raise UsageError(f"--outcome {outcome} needs {needs[outcome][1]}")
    stray = {
        "--check-number/--check-amount/--mailed": check is not None and outcome != "check-in-mail",
        "--reason": dispute_reason is not None and outcome != "dispute",
        "--disputed-amount": disputed_amount is not None and outcome != "dispute",
        "--amount/--by": promise is not None and outcome != "promise",
    }
    for option, misplaced in stray.items():
        if misplaced:
            raise UsageError(f"{option} does not go with --outcome {outcome}")


def _open_disputes(
    change: Change,
    layout: Layout,
    account: Account,
    invoices: list[Invoice],
    today: date,
    reason: str,
    amount_text: str | None,
    notes: str | None,
) -> None:
    if amount_text is not None and len(invoices) != 1:
        raise UsageError("--disputed-amount goes with exactly one --invoice")
    document, nodes = _invoice_nodes(layout, account)
    for invoice in invoices:
        if policy.in_dispute(invoice):
            raise CollectctlError(
                f"{invoice.number} is already in dispute ({invoice.dispute.reason}, "
                f"since {invoice.dispute.opened})"
            )
        dispute: dict[str, Any] = {"reason": reason, "opened": today}
        if amount_text is not None:
            amount = amount_option(amount_text, invoice.currency, "--disputed-amount")
            if amount > invoice.balance:
                raise UsageError(
                    f"--disputed-amount {amount} is more than the balance of {invoice.number}"
                )
            dispute["amount"] = amount
        if notes:
            dispute["notes"] = notes.strip().splitlines()[0]
        nodes[invoice.number]["dispute"] = store.to_yaml_node(dispute)
    change.write(layout.invoices_file(account.id), document.text())


# --- pay -------------------------------------------------------------------------------


def record_payment(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    clock: Clock,
    *,
    amount: str,
    received: date | None,
    reference: str | None,
    method: str | None,
    invoices: list[str],
) -> Outcome:
    received = received or clock.today
    if received > clock.today:
        raise UsageError(f"--date {received} is in the future (today is {clock.today})")
    ledger.account(customer_id)
    layout, config = ledger.layout, ledger.config
    with Audit(layout).change(identity) as change:
        account = load_account(layout, config, customer_id)
        currency = account.customer.currency
        total = amount_option(amount, currency, "--amount")
        if invoices:
            targets = find_invoices(account, invoices)
            paid = [i.number for i in targets if not policy.is_open(i)]
            if paid:
                raise CollectctlError(f"invoice {paid[0]} has no open balance")
        else:  # oldest first; disputed invoices last
            targets = sorted(policy.open_invoices(account), key=policy.in_dispute)
        before = policy.installment_statuses(account, config.policy, clock.today)

        remaining, applied, details = total, [], []
        document, nodes = _invoice_nodes(layout, account) if targets else (None, {})
        for invoice in targets:
            if remaining <= 0:
                break
            share = min(remaining, invoice.balance)
            remaining -= share
            applied.append({"invoice": invoice.number, "amount": share})
            node = nodes[invoice.number]
            entry = {"date": received, "amount": share}
            if reference:
                entry["reference"] = reference
            if "payments" in node and node["payments"] is not None:
                node["payments"].append(store.to_yaml_node(entry))
            else:
                node["payments"] = store.to_yaml_node([entry])
            if share == invoice.balance:
                node["status"] = "paid"
                details.append(f"{invoice.number} paid in full")
            else:
                still_open = format_money(invoice.balance - share, currency)
                details.append(f"{invoice.number}: {still_open} still open")
        if document is not None and applied:
            change.write(layout.invoices_file(account.id), document.text())
        if remaining > 0:
            details.append(f"unapplied credit: {format_money(remaining, currency)}")
        write_event(
            change,
            layout,
            account,
            clock,
            "payment",
            {
                "amount": total,
                "reference": reference,
                "method": method,
                "applied": applied,
                "unapplied": remaining if remaining > 0 else None,
            },
        )
        for call in account.events:
            if getattr(call, "check", None) and reference == call.check.number:
                details.append(f"check #{reference} arrived: its follow-up is closed")
        ref = f" ({method + ' ' if method else ''}{reference})" if reference else ""
        change.describe(
            f"pay {customer_id}: {format_money(total, currency)} received {received}{ref}",
            "pay",
            customer_id,
        )
    after = policy.installment_statuses(
        load_account(layout, config, customer_id), config.policy, clock.today
    )
    for old, new in zip(before, after, strict=False):
        if new.status == "kept" and old.status != "kept":
            details.append(new.describe(currency))
    return finish(change, tuple(details))


# --- escalate --------------------------------------------------------------------------


def escalate(
    ledger: Ledger,
    identity: Identity,
    customer_id: str,
    clock: Clock,
    *,
    to: str | None,
    reason: str,
) -> Outcome:
    config = ledger.config
    if to is not None:
        collector = config.find_collector(to)
        if collector is None and config.collectors:
            raise UsageError(f"--to: {to!r} is not a collector in collectctl.yaml")
        to = collector.id if collector else to
    else:
        to = policy.credit_manager(config)
        if to is None:
            raise UsageError("no collector has role credit-manager in collectctl.yaml; pass --to")
    ledger.account(customer_id)
    layout = ledger.layout
    with Audit(layout).change(identity) as change:
        account = load_account(layout, config, customer_id)
        write_event(change, layout, account, clock, "escalation", {"to": to, "reason": reason})
        change.describe(f"escalate {customer_id}: to {to}: {reason}", "escalate", customer_id)
    return finish(change, (f"{customer_id} now shows on {to}'s call list",))
