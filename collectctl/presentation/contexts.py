"""What each template is given: the call openers, the promise confirmation and the
invoice copy. Kept beside the templates' own folder in spirit: a template's variables
are all named here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from collectctl.domain.contacts import contact_to_call, last_conversation
from collectctl.domain.invoices import chased as owed
from collectctl.domain.invoices import days_past_due, held, open_invoices
from collectctl.domain.models import Account, Call, Config, Contact, Invoice
from collectctl.domain.money import format_amount, format_money
from collectctl.domain.promises import PlannedPromise, installment_statuses
from collectctl.domain.reminders import Reminder
from collectctl.domain.schedule import follow_ups
from collectctl.domain.sent_reminders import last_reminder


def collector_context(config: Config, who: str | None) -> dict[str, Any]:
    """Name and email of the collector a template speaks for."""
    found = config.find_collector(who) if who else None
    if found:
        return {"id": found.id, "name": found.name, "email": found.email}
    return {"id": who, "name": who or "your collector", "email": None}


def contact_context(contact: Contact | None) -> dict[str, Any]:
    if contact is None:
        return {"name": None, "phone": None, "email": None}
    return {"name": contact.name, "phone": contact.phone, "email": contact.email}


# --- the call opener -------------------------------------------------------------------


def opener_template(account: Account, config: Config, today: date) -> str:
    """The opener that fits the situation: a broken promise, a check that has not come,
    a call back, or a first call."""
    due_now = [f for f in follow_ups(account, config, today) if f.date <= today]
    kinds = {f.kind for f in due_now}
    statuses = installment_statuses(account, config.policy, today)
    if any(s.is_broken for s in statuses) and kinds & {"promise-check", "installment"}:
        return "opener-broken-promise.txt.j2"
    if "check-in-mail" in kinds:
        return "opener-check-not-received.txt.j2"
    owed_now = any(days_past_due(i, today) > 0 and owed(i) > 0 for i in open_invoices(account))
    if not owed_now and any(held(i) > 0 for i in open_invoices(account)):
        return "opener-dispute.txt.j2"
    if last_conversation(account) is not None:
        return "opener-callback.txt.j2"
    return "opener-first-call.txt.j2"


def opener_context(
    account: Account, config: Config, today: date, collector: dict[str, Any]
) -> dict[str, Any]:
    currency = account.customer.currency
    chased = [i for i in open_invoices(account) if days_past_due(i, today) > 0 and owed(i) > 0]
    contact = contact_to_call(account).contact
    broken = [s for s in installment_statuses(account, config.policy, today) if s.is_broken]
    last_call = last_conversation(account)
    check_call = next((e for e in reversed(account.events) if type(e) is Call and e.check), None)
    promise = broken[-1] if broken else None
    return {
        "today": today.isoformat(),
        "company": config.company,
        "collector": collector,
        "customer": {"id": account.id, "name": account.customer.name},
        "contact": contact_context(contact) | {"role": contact.role} if contact else None,
        "currency": currency,
        "total_overdue": format_money(sum((owed(i) for i in chased), Decimal(0)), currency),
        "invoices": [
            {
                "number": i.number,
                "po": i.po,
                "due": i.due.isoformat(),
                "amount": format_amount(i.amount, currency),
                "balance": format_amount(owed(i), currency),
                "disputed": format_amount(held(i), currency) if held(i) else None,
                "days_late": days_past_due(i, today),
            }
            for i in chased
        ],
        "promise": None
        if promise is None
        else {
            "made": promise.promise.date.isoformat(),
            # "you" to the person who made it; their name to anyone else
            "who": "you"
            if promise.promise.contact in (None, contact.name if contact else None)
            else promise.promise.contact,
            "amount": format_money(promise.amount, currency),
            "by": promise.by.isoformat(),
            "method": promise.promise.method,
            "paid": format_money(promise.paid, currency) if promise.paid else None,
        },
        "check": None
        if check_call is None or check_call.check is None
        else {
            "number": check_call.check.number,
            "amount": format_money(check_call.check.amount, currency),
            "mailed": check_call.check.mailed.isoformat(),
            "reported": check_call.date.isoformat(),
        },
        "disputes": [
            {
                "number": i.number,
                "reason": i.dispute.reason,
                "amount": format_money(held(i), currency),
                "opened": i.dispute.opened.isoformat(),
            }
            for i in open_invoices(account)
            if i.dispute is not None and held(i) > 0
        ],
        "last_call": None
        if last_call is None
        else {
            "date": last_call.date.isoformat(),
            "contact": last_call.contact,
            "outcome": last_call.outcome if type(last_call) is Call else "promise",
        },
        "reminder": _reminder_since(account, last_call.date if last_call else None),
    }


def _reminder_since(account: Account, last_call: date | None) -> dict[str, Any] | None:
    """The last written reminder, when it came after the last conversation: "you'll
    have seen our reminder of the 12th"."""
    sent = last_reminder(account)
    if sent is None or (last_call is not None and sent.date < last_call):
        return None
    return {"date": sent.date.isoformat(), "level": sent.level, "to": ", ".join(sent.to)}


def reminder_context(
    account: Account,
    config: Config,
    reminder: Reminder,
    today: date,
    collector: dict[str, Any],
) -> dict[str, Any]:
    """A written reminder's variables (templates/reminder-*.j2)."""
    currency = reminder.currency
    levels = config.policy.reminders
    before = last_reminder(account)
    return {
        "today": today.isoformat(),
        "company": config.company,
        "collector": collector,
        "customer": {"id": account.id, "name": account.customer.name},
        "contact": {"name": reminder.to.name},
        "level": reminder.level.level,
        "final": bool(levels) and reminder.level.level == levels[-1].level,
        "total_overdue": format_money(reminder.overdue, currency),
        "invoices": [
            {
                "number": i.number,
                "po": found.po if (found := account.find_invoice(i.number)) else None,
                "due": i.due.isoformat(),
                "balance": format_money(i.chased, currency),
                "days_late": days_past_due(i, today),
            }
            for i in reminder.invoices
        ],
        "last_reminder": None
        if before is None
        else {"date": before.date.isoformat(), "level": before.level},
        "attached": [],
    }


# --- emails ----------------------------------------------------------------------------


def confirmation_context(
    account: Account,
    config: Config,
    plan: PlannedPromise,
    contact_name: str | None,
    collector: dict[str, Any],
) -> dict[str, Any]:
    currency = account.customer.currency
    contact = account.customer.find_contact(contact_name) if contact_name else None
    return {
        "company": config.company,
        "collector": collector,
        "customer": {"id": account.id, "name": account.customer.name},
        "contact": contact_context(contact) if contact else None,
        "total": format_money(plan.total, currency),
        "method": plan.method,
        "installments": [
            {"by": by.isoformat(), "amount": format_money(amount, currency)}
            for by, amount in plan.installments
        ],
        "invoices": [{"number": i.number, "po": i.po} for i in plan.invoices],
    }


def invoice_copy_context(
    account: Account,
    config: Config,
    invoices: list[Invoice],
    attached: list[str | None],
    contact: Contact | None,
    collector: dict[str, Any],
) -> dict[str, Any]:
    currency = account.customer.currency
    return {
        "company": config.company,
        "collector": collector,
        "customer": {"id": account.id, "name": account.customer.name},
        "contact": {"name": contact.name} if contact else None,
        "invoices": [
            {
                "number": invoice.number,
                "po": invoice.po,
                "issued": invoice.issued.isoformat(),
                "due": invoice.due.isoformat(),
                "amount": format_money(invoice.amount, currency),
                "balance": format_money(invoice.balance, currency),
                "attached": filename,
            }
            for invoice, filename in zip(invoices, attached, strict=True)
        ],
    }


def promise_confirmation(
    root: Path,
    account: Account,
    config: Config,
    plan: PlannedPromise,
    contact_name: str | None,
    collector: dict[str, Any],
) -> tuple[str, str, str]:
    """The promise confirmation as the customer reads it: subject, text and HTML."""
    from collectctl.presentation.templates import Templates

    context = confirmation_context(account, config, plan, contact_name, collector)
    return Templates(root).message("promise-confirmation", context)
