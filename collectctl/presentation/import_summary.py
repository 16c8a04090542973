"""An import in words: the commit's subject and body, the `--dry-run` listing, and the
same as stable JSON."""

from __future__ import annotations

from typing import Any

from collectctl.domain.import_plan import BooksPayment, ImportPlan
from collectctl.domain.money import format_money


def subject(plan: ImportPlan) -> str:
    """`import invoices from open.csv: 12 new, 3 updated, 2 closed; 4 customers new`."""
    kind, label = plan.options.kind, plan.options.label.rsplit("/", 1)[-1]
    if kind == "invoices":
        counts = [f"{len(plan.new_invoices)} new", f"{len(plan.updated)} updated"]
        counts.append(f"{len(plan.closed)} closed")
        balances = sum(1 for p in plan.payments if p.purpose in ("balance", "credit"))
        if balances:
            counts.append(f"{balances} paid or credited in the books")
    elif kind == "payments":
        counts = [f"{len(plan.payments)} payments"]
    else:
        counts = [f"{len(plan.new_customers)} new", f"{len(plan.changed_customers)} updated"]
    if plan.skipped:
        counts.append(f"{len(plan.skipped)} skipped")
    text = f"import {kind} from {label}: {', '.join(counts)}"
    if kind != "customers" and plan.new_customers:
        text += f"; {len(plan.new_customers)} customers new"
    return text


def lines(plan: ImportPlan) -> list[str]:
    """Every change, one line each, in the order a reviewer reads them."""
    currency = plan.currencies

    def money(customer: str, amount: Any) -> str:
        return format_money(amount, currency.get(customer, ""))

    out = []
    for customer in plan.new_customers:
        out.append(f"new customer {customer.id}: {customer.name}")
    for customer in plan.customers.values():
        for contact in customer.contacts:
            out.append(f"new contact {customer.id}: {contact.name}")
        if customer.books_id and not customer.new:
            out.append(f"customer {customer.id}: books number {customer.books_id}")
    for invoice in plan.new_invoices:
        out.append(
            f"new invoice {invoice.customer} {invoice.number}: "
            f"{money(invoice.customer, invoice.amount)} due {invoice.due}"
        )
    for update in plan.updated:
        changes = ", ".join(f"{name} {old} → {new}" for name, old, new in update.changes)
        out.append(f"updated invoice {update.customer} {update.number}: {changes}")
    for payment in plan.payments:
        out.append(_payment_line(payment, money(payment.customer, payment.amount)))
    for ahead in plan.ahead:
        out.append(
            f"ahead of the books: {ahead.customer} {ahead.invoice} is "
            f"{money(ahead.customer, ahead.ledger_balance)} open here, "
            f"{money(ahead.customer, ahead.books_balance)} in the books (row {ahead.row}): a "
            "payment recorded here the books have not posted"
        )
    for skip in plan.skipped:
        out.append(f"skipped row {skip.row}: {skip.reason}")
    return out


def _payment_line(payment: BooksPayment, amount: str) -> str:
    where = ", ".join(payment.named or tuple(a.invoice for a in payment.allocations))
    if payment.purpose == "balance":
        return f"paid in the books {payment.customer} {where}: {amount}"
    if payment.purpose == "closed":
        return f"closed {payment.customer} {where}: {amount} no longer open in the books"
    if payment.purpose == "credit":
        return f"credit {payment.customer} {payment.reference}: {amount} on account"
    ref = f" ({payment.reference})" if payment.reference else ""
    to = f" to {where}" if where else " (oldest first)"
    return f"payment {payment.customer} {amount} on {payment.date}{ref}{to}"


def as_json(plan: ImportPlan, commit: str | None = None) -> dict[str, Any]:
    """The plan for machines: stable keys, amounts as decimal strings, dates ISO."""
    return {
        "kind": plan.options.kind,
        "file": plan.options.label,
        "recognised_as": plan.layout,
        "commit": commit,
        "customers_new": [{"id": c.id, "name": c.name} for c in plan.new_customers],
        "contacts_new": [
            {"customer": c.id, "name": contact.name}
            for c in plan.customers.values()
            for contact in c.contacts
        ],
        "invoices_new": [
            {
                "customer": i.customer,
                "invoice": i.number,
                "amount": str(i.amount),
                "issued": i.issued.isoformat(),
                "due": i.due.isoformat(),
                "row": i.row,
            }
            for i in plan.new_invoices
        ],
        "invoices_updated": [
            {
                "customer": u.customer,
                "invoice": u.number,
                "changes": {name: {"from": old, "to": new} for name, old, new in u.changes},
                "row": u.row,
            }
            for u in plan.updated
        ],
        "invoices_closed": list(plan.closed),
        "payments": [
            {
                "customer": p.customer,
                "purpose": p.purpose,
                "date": p.date.isoformat(),
                "amount": str(p.amount),
                "reference": p.reference,
                "invoices": list(p.named) + [a.invoice for a in p.allocations],
                "rows": list(p.rows),
            }
            for p in plan.payments
        ],
        "ahead_of_books": [
            {
                "customer": a.customer,
                "invoice": a.invoice,
                "ledger_balance": str(a.ledger_balance),
                "books_balance": str(a.books_balance),
                "row": a.row,
            }
            for a in plan.ahead
        ],
        "skipped": [{"row": s.row, "reason": s.reason} for s in plan.skipped],
    }
